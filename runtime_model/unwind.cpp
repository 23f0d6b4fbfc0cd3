#include "runtime_model/unwind.h"

#include <fmt/format.h>

namespace gostep::model {
namespace {
std::string hex(std::uint64_t v) { return fmt::format("{:#x}", v); }
}  // namespace

Unwind unwind_stack(const Pclntab& table, std::uint64_t pc, std::uint64_t sp, GContext gc, const ReadWord& read,
                    std::size_t max_frames) {
  Unwind r;
  bool on_g0 = gc.g != 0 && gc.g == gc.g0;
  for (std::size_t level = 0; level < max_frames; ++level) {
    Frame fr;
    fr.pc = pc;
    fr.sp = sp;
    // A caller's pc is a return address: look it up at the CALL (pc-1), which
    // is in the right function even when the call is the function's last instruction.
    const std::uint64_t look = level == 0 ? pc : pc - 1;
    fr.lookup_pc = look;
    const auto f = table.function_at(look);
    if (!f) {
      if (level == 0) {
        r.stopped = "no function in Go's pclntab contains pc " + hex(pc);
        r.frames.push_back(fr);
      } else {
        r.stopped = "the return address " + hex(pc) + " is not in any Go function (a corrupt or foreign stack)";
      }
      return r;
    }
    fr.func = f;
    const auto delta = table.sp_delta(*f, look);
    if (!delta || *delta < 0) {
      r.frames.push_back(fr);
      r.stopped = "no pcsp entry for " + hex(pc) + " in " + f->name;
      return r;
    }
    fr.frame_size = *delta;
    // TOPFRAME; and the ELF entry code (_rt0_amd64_linux, _rt0_amd64), which the
    // kernel started with argc where a return address would be.
    if ((f->flag & kFuncFlagTopFrame) || f->name.rfind("_rt0_", 0) == 0) {
      fr.outermost = true;
      r.frames.push_back(fr);
      return r;
    }
    std::uint64_t frame_sp = sp;
    bool jumped = false;
    if (level > 0 && on_g0 && gc.curg != 0 && gc.curg != gc.g0) {
      if (f->name == "runtime.systemstack" && gc.curg_sched_sp != 0) {
        // systemstack called fn on g0's stack; it returns to its caller on curg's stack.
        frame_sp = gc.curg_sched_sp;
        jumped = true;
        fr.note = "switches from g0's stack back to goroutine " + std::to_string(gc.curg_goid) +
                  "'s stack (curg.sched.sp = " + hex(gc.curg_sched_sp) + ")";
      } else if (f->name == "runtime.morestack" && gc.curg_sched_sp != 0 && gc.curg_sched_pc != 0) {
        fr.note = "morestack: continuing on goroutine " + std::to_string(gc.curg_goid) +
                  "'s stack at curg.sched.pc (the function that needed more stack)";
        fr.cfa = gc.curg_sched_sp;
        fr.ret_addr = gc.curg_sched_pc;
        r.frames.push_back(fr);
        pc = gc.curg_sched_pc;
        sp = gc.curg_sched_sp;
        on_g0 = false;
        continue;
      }
    }
    if (!jumped && (f->flag & kFuncFlagSpWrite) && level > 0) {
      r.frames.push_back(fr);
      if (f->name == "runtime.mcall")
        r.stopped = "runtime.mcall switched to g0's stack to run a function that never returns; "
                    "the goroutine it left is not on this stack";
      else if (f->name == "runtime.systemstack" || f->name == "runtime.morestack")
        r.stopped = f->name + " switched stacks and the goroutine's saved SP (curg.sched.sp) is not known here" +
                    (gc.g == 0 ? " (no g: TLS or runtime.g's layout from DWARF is missing)" : "");
      else
        r.stopped = f->name + " writes SP in a way the pcsp table cannot describe (funcFlag_SPWRITE), "
                    "so its caller cannot be found";
      return r;
    }
    fr.ret_slot = frame_sp + static_cast<std::uint64_t>(*delta);
    const auto ra = read(fr.ret_slot);
    if (!ra) {
      r.frames.push_back(fr);
      r.stopped = "cannot read the return address at " + hex(fr.ret_slot);
      return r;
    }
    fr.ret_addr = *ra;
    fr.cfa = fr.ret_slot + 8;
    r.frames.push_back(fr);
    if (*ra == 0) {
      r.stopped = "the return address is 0";
      return r;
    }
    if (jumped) on_g0 = false;
    pc = *ra;
    sp = fr.cfa;
  }
  r.truncated = true;
  return r;
}

}  // namespace gostep::model
