// step and next: by source line, as gdb's step/next. Single instructions of the
// selected thread until its line changes; a CALL runs to its return (next, and
// step into a function without line information); the function returning ends
// the step too.
#include <fmt/format.h>

#include "emulator/disassembler.h"
#include "engine/effects.h"
#include "engine/runner.h"

namespace gostep::engine {
namespace {

constexpr std::uint64_t kStepLimit = 10'000'000;       // instructions one step/next may run (all threads)
constexpr std::uint64_t kSingleStepLimit = 1'000'000;  // of them single-stepped

struct LineKey {
  std::string file;
  int line = 0;
  bool operator==(const LineKey&) const = default;
};

std::optional<LineKey> line_of(Session& s, GuestAddr pc) {
  auto src = s.symbols().source(pc);
  if (!src || src->line <= 0) return std::nullopt;
  return LineKey{src->file, src->line};
}

}  // namespace

model::Result<bool> Runner::do_line(bool over) {
  Process& p = s_.process();
  const int tid = tid_;
  Thread* t0 = p.thread_by_tid(tid);
  if (!t0 || t0->state == ThreadState::exited) return model::Error{fmt::format("thread {} has exited; \"thread N\" selects another", tid)};
  if (t0->state == ThreadState::blocked) {
    ev_.blocked = wait_name(*t0);
    ev_.blocked_tid = tid;
  }
  static const Disassembler dis;
  const model::Pclntab* table = s_.pclntab();
  std::optional<EffectRecorder> rec;
  if (cmd_.effects) rec.emplace(t_, tid);
  Go g = Go::reached;
  bool over_call = false;  // the net effect is shown only when a call ran
  for (std::uint64_t n = 0; n < cmd_.count && g == Go::reached; ++n) {
    const RegFile start = t_.registers(tid);
    const auto start_line = line_of(s_, start[Reg::rip]);
    const auto start_func = table ? table->function_at(start[Reg::rip]) : std::nullopt;
    // The frame's CFA: once SP is at or above it, the function has returned.
    std::uint64_t cfa = 0;
    if (start_func)
      if (auto d = table->sp_delta(*start_func, start[Reg::rip])) cfa = start[Reg::rsp] + static_cast<std::uint64_t>(*d) + 8;
    const std::uint64_t insn0 = p.insn_count();
    std::uint64_t singles = 0;
    for (;;) {
      const RegFile rf = t_.registers(tid);
      std::uint8_t code[16] = {};
      t_.read_memory(rf[Reg::rip], code, sizeof code);
      const auto insn = dis.decode(code, rf[Reg::rip]);
      g = step_one(tid);
      ++singles;
      if (g != Go::reached) break;
      RegFile now = t_.registers(tid);
      if (insn && insn->flow == Flow::call && now[Reg::rsp] < rf[Reg::rsp]) {
        // next steps over every call; step enters it unless it has no line information.
        if (!over && line_of(s_, now[Reg::rip])) break;
        over_call = true;
        g = run_to_return(tid, insn->next(), now[Reg::rsp]);
        if (g != Go::reached) break;
        now = t_.registers(tid);
      }
      if (cfa && now[Reg::rsp] >= cfa) {
        ev_.note = "returned from " + (start_func ? start_func->name : std::string("the function"));
        break;
      }
      const auto here = line_of(s_, now[Reg::rip]);
      if (here && (!start_line || !(*here == *start_line))) break;
      if (here && start_func) {
        const auto f = table->function_at(now[Reg::rip]);
        if (!f || f->entry != start_func->entry) break;  // a jump into another function
      }
      if (p.insn_count() - insn0 > kStepLimit || singles > kSingleStepLimit) {
        ev_.note = fmt::format("gave up after {} instructions, {} of them single-stepped, without reaching another line",
                               p.insn_count() - insn0, singles);
        ev_.causes.push_back(StopCause::gave_up);
        g = Go::end;
        break;
      }
    }
  }
  if (rec && over_call) ev_.net = rec->net();
  if (g == Go::reached) ev_.causes.push_back(StopCause::step_done);
  return true;
}

}  // namespace gostep::engine
