#include "engine/recording.h"

#include <algorithm>

#include "engine/target.h"

namespace gostep::engine {

bool Recording::in_past() const { return t_.s_.process().insn_count() < high_water_; }

void Recording::note_progress() {
  Process& p = t_.s_.process();
  if (p.insn_count() < high_water_) return;
  high_water_ = p.insn_count();
  schedule_ = p.schedule();
}

void Recording::rewind(std::uint64_t index) {
  ++rewinds_;
  Process* p = &t_.s_.process();
  const bool restarted = index <= p->insn_count() || p->ended();
  if (restarted) {
    t_.restart();
    p = &t_.s_.process();
  }
  // A jump stops at nothing on the way: none of the user's stops are in the process.
  t_.stops_.forget_installed();
  for (const auto& st : t_.stops_.all())
    for (GuestAddr a : st.addrs) p->remove_breakpoint(a);
  p->catch_syscalls({}, false);
  p->set_watch_ranges({});
  p->stop_on_signals(0);  // signals are delivered as in the run being re-enacted
  StopReason r;
  if (restarted) requeue_user_signals(index);
  p->stop_before_insn(index);
  do {
    r = p->run();
  } while (r.kind == StopKind::breakpoint || r.kind == StopKind::watch || r.kind == StopKind::syscall_caught);
  p->stop_before_insn(std::nullopt);
  t_.fresh_ = false;
  t_.last_rewind_ = r;
  note_progress();
}

void Recording::scan(std::uint64_t from, std::uint64_t to,
                     const std::function<void(int, std::uint64_t, GuestAddr)>& seen) {
  rewind(std::max<std::uint64_t>(from, 1));
  t_.s_.process().set_insn_observer(seen);
  rewind(to);
  t_.s_.process().set_insn_observer(nullptr);
}

std::vector<PastInsn> Recording::scan_thread(int tid, std::uint64_t from, std::uint64_t to) {
  std::vector<PastInsn> out;
  scan(from, to, [&](int who, std::uint64_t index, GuestAddr pc) {
    if (who == tid) out.push_back({index, pc, t_.s_.process().engine().reg(Reg::rsp)});
  });
  return out;
}

// Re-enact the signals queue-signal gave this run, at the instructions they
// came at; those at or after `index` belong to a future this jump discards.
void Recording::requeue_user_signals(std::uint64_t index) {
  Process& p = t_.s_.process();
  auto& queued = t_.queued_signals_;
  std::size_t kept = 0;
  for (const UserSignal& u : queued) {
    if (u.insn + 1 >= index) break;
    if (u.insn > p.insn_count()) {
      p.stop_before_insn(u.insn + 1);
      StopReason r;
      do r = p.run();
      while (r.kind == StopKind::breakpoint || r.kind == StopKind::watch || r.kind == StopKind::syscall_caught);
      if (r.kind != StopKind::insn_reached) break;
    }
    p.queue_user_signal(u.sig);
    ++kept;
  }
  queued.resize(kept);
}

std::optional<std::uint64_t> Recording::previous_of(int tid, std::uint64_t before) const {
  if (before <= 1) return std::nullopt;
  const std::uint64_t executed = before - 1;  // instructions run before `before`
  for (std::size_t k = schedule_.size(); k-- > 0;) {
    const auto [start, who] = schedule_[k];
    if (start >= executed) continue;
    const std::uint64_t end = k + 1 < schedule_.size() ? std::min(schedule_[k + 1].first, executed) : executed;
    if (who == tid && end > start) return end;  // the 1-based index of its last instruction there
  }
  return std::nullopt;
}

}  // namespace gostep::engine
