#include "process_snapshot.h"

#include <algorithm>

namespace gostep {

Process::Snapshot::Snapshot(Process& p, const Snapshot* previous)
    :
#define GOSTEP_COPY(m) m(p.m),
      GOSTEP_PROCESS_VALUES(GOSTEP_COPY)
#undef GOSTEP_COPY
      vfs(previous && *previous->vfs == p.vfs_ ? previous->vfs : std::make_shared<const vfs::Vfs>(p.vfs_)),
      memory(GuestPages::take(p.mem_, previous ? &previous->memory : nullptr)) {
  auto chunk = std::make_shared<ScheduleChunk>();
  std::size_t shared = 0;
  if (previous) {
    // The previous snapshot's schedule is a prefix of this one when it is in
    // this run's past (checkpoints are taken in order along one history).
    const ScheduleChunk& pc = *previous->schedule;
    if (pc.total > 0 && pc.total <= p.schedule_.size() && pc.last == p.schedule_[pc.total - 1]) {
      shared = pc.total;
      chunk->before = previous->schedule;
    }
  }
  chunk->entries.assign(p.schedule_.begin() + static_cast<std::ptrdiff_t>(shared), p.schedule_.end());
  chunk->total = p.schedule_.size();
  if (!p.schedule_.empty()) chunk->last = p.schedule_.back();
  schedule = std::move(chunk);

  threads.reserve(p.threads_.size());
  for (std::size_t i = 0; i < p.threads_.size(); ++i) {
    const Thread& t = *p.threads_[i];
    Thread& copy = threads.emplace_back(t);  // every field but the context
    if (i == p.current_) {
      copy.context = p.uc_.new_context();
      p.uc_.save(*copy.context);
      copy.fs_base = p.uc_.reg(Reg::fs_base);
      copy.after_transfer = p.after_transfer_;
    } else if (t.context) {
      copy.context = p.uc_.copy_context(*t.context);
    }
  }
}

std::shared_ptr<const Process::Snapshot> Process::snapshot(const Snapshot* previous) {
  if (opts_.counting != Counting::instructions)
    throw EmulatorError("checkpoints need instruction counting");
  return std::make_shared<const Snapshot>(*this, previous);
}

void Process::restore(const Snapshot& s) {
#define GOSTEP_ASSIGN(m) m = s.m;
  GOSTEP_PROCESS_VALUES(GOSTEP_ASSIGN)
#undef GOSTEP_ASSIGN
  vfs_ = *s.vfs;
  schedule_.resize(s.schedule->total);
  for (const Snapshot::ScheduleChunk* c = s.schedule.get(); c; c = c->before.get())
    std::copy(c->entries.begin(), c->entries.end(),
              schedule_.begin() + static_cast<std::ptrdiff_t>(c->total - c->entries.size()));
  threads_.clear();
  for (const Thread& t : s.threads) {
    auto copy = std::make_unique<Thread>(t);
    if (t.context) copy->context = uc_.copy_context(*t.context);
    threads_.push_back(std::move(copy));
  }
  const Thread& on_cpu = *threads_[current_];
  uc_.restore(*on_cpu.context);
  uc_.set_reg(Reg::fs_base, on_cpu.fs_base);  // explicit, as docs/TRAPS.md advises

  std::vector<std::pair<GuestAddr, GuestAddr>> code_changed;
  if (!s.memory.restore(mem_, code_changed))
    throw EmulatorError("cannot reserve host memory to restore a checkpoint of guest memory");
  for (const auto& [begin, end] : code_changed) {
    uc_.invalidate_code(begin, end);
    drop_tsc_hooks(begin, end);  // hooked again if its blocks still hold them
  }
  blocks_.clear();
  cur_block_ = nullptr;

  write_log_.clear();
  syscall_log_.clear();
  engine_stop_ = EngineStop::none;
  interrupt_.reset();
  clear_exact_stop();
  next_stop_ = ~0ULL;
  update_next_stop();
  if (checkpoint_every_) next_checkpoint_ = insn_count_ + checkpoint_every_;
}

}  // namespace gostep
