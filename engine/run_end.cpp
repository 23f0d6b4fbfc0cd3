#include "run_end.h"

#include "code_address.h"
#include "emulator/disassembler.h"

namespace gostep::engine {
namespace {

StopPlace place(Process& p, CodeAddresses& names, int tid, GuestAddr pc) {
  StopPlace s;
  s.tid = tid;
  s.pc = pc;
  s.function = names.describe(pc);
  std::uint8_t bytes[16] = {};
  if (p.memory().peek(pc, bytes, sizeof bytes)) s.instruction = disassemble_one(bytes, pc);
  return s;
}

}  // namespace

RunEnd end_of(Process& p, const StopReason& r) {
  RunEnd e;
  e.reason = r;
  e.stats = p.stats();
  e.max_memory = p.options().max_memory;
  e.outside = p.outside_lookup();
  CodeAddresses names(p.image());
  if (r.kind == StopKind::deadlock) {
    for (const auto& t : p.threads()) {
      if (t->state == ThreadState::exited) continue;
      // A blocked thread's RIP is after its SYSCALL.
      StopPlace s = place(p, names, t->tid, p.regs_of(*t)[Reg::rip] - 2);
      s.wait = t->wait;
      s.futex_addr = t->futex_addr;
      e.places.push_back(std::move(s));
    }
  } else if (r.kind != StopKind::exited) {
    e.places.push_back(place(p, names, r.tid, r.pc));
  }
  return e;
}

}  // namespace gostep::engine
