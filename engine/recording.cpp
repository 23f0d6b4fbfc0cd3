#include "engine/recording.h"

#include <algorithm>

#include "emulator/process_snapshot.h"
#include "engine/run_to_count.h"
#include "engine/target.h"

namespace gostep::engine {

std::uint64_t Recording::Checkpoint::insns() const { return snap->insns(); }

bool Recording::in_past() const { return t_.s_.process().insn_count() < high_water_; }

void Recording::set_on(bool on) {
  if (on == on_) return;
  on_ = on;
  attach();
}

void Recording::attach() {
  checkpoints_.clear();
  pages_held_ = 0;
  index_bytes_ = 0;
  Process& p = t_.s_.process();
  // Checkpoints are snapshots, which need instruction counting (debug's).
  if (!on_ || p.options().counting != Counting::instructions) {
    p.set_checkpoint_hook(0, nullptr);
    return;
  }
  p.set_checkpoint_hook(kCheckpointEvery, [this] { take_checkpoint(); });
  take_checkpoint();
}

bool Recording::back_to_start() {
  if (!on_ || checkpoints_.empty() || checkpoints_.front().insns() != 0) return false;
  restore(*checkpoints_.front().snap, checkpoints_.front().host_pos, t_.host_->replaying_output());
  return true;
}

void Recording::note_progress() {
  Process& p = t_.s_.process();
  if (p.insn_count() < high_water_) return;
  high_water_ = p.insn_count();
  schedule_ = p.schedule();
}

void Recording::discard_future() {
  Process& p = t_.s_.process();
  while (checkpoints_.size() > 1 && checkpoints_.back().insns() > p.insn_count()) {
    pages_held_ -= checkpoints_.back().own_pages;
    index_bytes_ -= checkpoints_.back().snap->memory.index_bytes();
    checkpoints_.pop_back();
  }
  high_water_ = p.insn_count();
  schedule_ = p.schedule();
}

// Called at a time-slice end (Process::set_checkpoint_hook), and once when the
// process is new. Only the frontier gets new checkpoints: re-executing the
// past passes the same moments again, and their checkpoints (or the thinned
// gaps between them) stay as they are.
void Recording::take_checkpoint() {
  Process& p = t_.s_.process();
  if (!checkpoints_.empty() && p.insn_count() <= checkpoints_.back().insns()) return;
  Checkpoint c;
  c.snap = p.snapshot(checkpoints_.empty() ? nullptr : checkpoints_.back().snap.get());
  c.host_pos = t_.host_->used();
  c.own_pages = c.snap->memory.fresh_pages();  // the copies not shared with the newest checkpoint
  pages_held_ += c.own_pages;
  index_bytes_ += c.snap->memory.index_bytes();
  p.set_checkpoint_every(std::max(kCheckpointEvery, kInsnsPerPage * c.snap->memory.pages()));
  checkpoints_.push_back(std::move(c));
  thin();
}

// Over the limits, drop the checkpoint whose neighbours are closest together
// (never the first or the newest): the spacing stays even over the whole
// recording, and grows as the recording does, so memory levels off.
void Recording::thin() {
  while (checkpoints_.size() > 2 &&
         (checkpoints_.size() > kMaxCheckpoints || checkpoint_bytes() > kMaxCheckpointBytes)) {
    std::size_t victim = 1;
    std::uint64_t best = ~0ULL;
    for (std::size_t k = 1; k + 1 < checkpoints_.size(); ++k) {
      const std::uint64_t gap = checkpoints_[k + 1].insns() - checkpoints_[k - 1].insns();
      if (gap < best) {
        best = gap;
        victim = k;
      }
    }
    Checkpoint& next = checkpoints_[victim + 1];
    pages_held_ -= checkpoints_[victim].own_pages + next.own_pages;
    next.own_pages = next.snap->memory.pages_not_in(checkpoints_[victim - 1].snap->memory);
    pages_held_ += next.own_pages;
    index_bytes_ -= checkpoints_[victim].snap->memory.index_bytes();
    checkpoints_.erase(checkpoints_.begin() + static_cast<std::ptrdiff_t>(victim));
  }
}

std::vector<std::uint64_t> Recording::checkpoint_insns() const {
  std::vector<std::uint64_t> out;
  out.reserve(checkpoints_.size());
  for (const Checkpoint& c : checkpoints_) out.push_back(c.insns());
  return out;
}

const Recording::Checkpoint* Recording::last_before(std::uint64_t index) const {
  const Checkpoint* best = nullptr;
  for (const Checkpoint& c : checkpoints_) {
    if (c.insns() >= index) break;  // the state before `index` is after index-1 instructions
    best = &c;
  }
  return best;
}

// The process as it was in `s`, the host's answers from where they were then.
void Recording::restore(const Process::Snapshot& s, std::size_t host_pos, bool replay_output) {
  t_.host_->begin_run(replay_output, host_pos);
  t_.s_.process().restore(s);
  t_.killed_ = false;
}

Recording::Moment Recording::here() {
  Process& p = t_.s_.process();
  const Checkpoint* c = last_before(p.insn_count() + 1);
  return Moment{p.snapshot(c ? c->snap.get() : nullptr), t_.host_->used(), t_.last_rewind_};
}

void Recording::return_to(const Moment& m) {
  restore(*m.snap, m.host_pos);
  t_.last_rewind_ = m.how;
}

void Recording::rewind(std::uint64_t index) {
  ++rewinds_;
  Process* p = &t_.s_.process();
  const bool can_go_on = index > p->insn_count() && !p->ended();
  const Checkpoint* c = last_before(index);
  std::optional<std::size_t> queued_before;  // user signals in the state it starts from
  if (c && (!can_go_on || c->insns() > p->insn_count())) {
    restore(*c->snap, c->host_pos);
    queued_before = c->snap->user_signals_queued();
  } else if (!can_go_on) {
    const int selected = t_.selected_tid_;
    t_.restart();
    t_.selected_tid_ = selected;  // the same either way; finish() settles it
    p = &t_.s_.process();
    queued_before = 0;
  }
  quiet();
  const bool dropped = queued_before && requeue_user_signals(index, *queued_before);
  run_to(index);
  if (dropped) discard_future();  // recorded with signals this jump took away
  note_progress();
}

// A jump stops at nothing on the way: none of the user's stops are in the process.
void Recording::quiet() {
  Process* p = &t_.s_.process();
  t_.stops_.forget_installed();
  for (const auto& st : t_.stops_.all())
    for (GuestAddr a : st.addrs) p->remove_breakpoint(a);
  p->catch_syscalls({}, false);
  p->set_watch_ranges({});
  p->stop_on_signals(0);  // signals are delivered as in the run being re-enacted
}

// Forwards only, to before `index`.
void Recording::run_to(std::uint64_t index) {
  quiet();
  t_.last_rewind_ = run_to_count(t_.s_.process(), index > 0 ? index - 1 : 0, is_user_stop);
  t_.fresh_ = false;
}

void Recording::scan(std::uint64_t from, std::uint64_t to,
                     const std::function<void(int, std::uint64_t, GuestAddr)>& seen) {
  rewind(std::max<std::uint64_t>(from, 1));
  t_.s_.process().set_insn_observer(seen);
  run_to(to);
  t_.s_.process().set_insn_observer(nullptr);
  note_progress();
}

void Recording::for_each_stretch_back(std::uint64_t before,
                                      const std::function<bool(std::uint64_t, std::uint64_t)>& fn) const {
  std::vector<std::uint64_t> starts = checkpoint_insns();
  if (starts.empty() || starts.front() != 0) starts.insert(starts.begin(), 0);  // recording turned on late
  std::uint64_t end = before;
  for (std::size_t k = starts.size(); k-- > 0;) {
    if (starts[k] + 1 >= end) continue;
    if (fn(starts[k] + 1, end)) return;
    end = starts[k] + 1;
  }
}

void Recording::scan_back(std::uint64_t before,
                          const std::function<bool(const std::vector<std::pair<int, PastInsn>>&)>& visit_stretch) {
  for_each_stretch_back(before, [&](std::uint64_t from, std::uint64_t to) {
    std::vector<std::pair<int, PastInsn>> seen;
    scan(from, to, [&](int tid, std::uint64_t index, GuestAddr pc) {
      seen.push_back({tid, PastInsn{index, pc, t_.s_.process().engine().reg(Reg::rsp)}});
    });
    return visit_stretch(seen);
  });
}

void Recording::scan_thread_back(int tid, std::uint64_t before, const std::function<bool(const PastInsn&)>& visit) {
  scan_back(before, [&](const std::vector<std::pair<int, PastInsn>>& stretch) {
    for (auto it = stretch.rbegin(); it != stretch.rend(); ++it)
      if (it->first == tid && visit(it->second)) return true;
    return false;
  });
}

// Re-enact the signals queue-signal gave this run after the state the run
// starts from (which has the first `already_queued` of them), at the
// instructions they came at; those at or after `index` belong to a future
// this jump discards (true when there were any).
bool Recording::requeue_user_signals(std::uint64_t index, std::size_t already_queued) {
  Process& p = t_.s_.process();
  auto& queued = t_.queued_signals_;
  std::size_t kept = std::min(already_queued, queued.size());
  for (std::size_t i = kept; i < queued.size(); ++i) {
    const UserSignal u = queued[i];
    if (u.insn + 1 >= index) break;
    if (u.insn > p.insn_count() && run_to_count(p, u.insn, is_user_stop).kind != StopKind::insn_reached) break;
    p.queue_user_signal(u.sig);
    ++kept;
  }
  const bool dropped = kept < queued.size();
  queued.resize(kept);
  return dropped;
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
