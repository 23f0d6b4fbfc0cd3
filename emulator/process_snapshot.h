// A checkpoint of the emulated process (time travel, issue 8): what
// Process::snapshot() copies and Process::restore() puts back.
//
// Saved: guest memory (GuestPages), every thread (its registers from the CPU
// or its saved context), the file system (shared with the previous snapshot
// while it is the same: it holds the program's own bytes, /proc/self/exe, and
// a fresh copy of those per checkpoint cost more than all the rest), and each
// Process member in GOSTEP_PROCESS_VALUES
// below, copied as values. One list serves both directions, so they cannot
// drift apart; a member added to Process that the guest's future depends on
// belongs in it (ProcessSnapshot.* tests compare whole runs after a restore).
//
// Not saved, on purpose:
//  - what never changes after the constructor: image_, opts_, stack_ (but
//    make_faults_exact, which changes no instruction the guest runs);
//  - what the session sets: breakpoints_, breakpoint_hooks_, watch_ranges_,
//    caught_syscalls_, catch_all_syscalls_, stop_before_, thread_target_,
//    stop_before_exit_, stop_signals_, observer_, log_writes_, the checkpoint
//    hook, user_interrupt_;
//  - the host: host_io_ (a ReplayHostIo's position is the recording's to keep);
//  - what lives only inside one turn of run()'s loop: engine_stop_, fault_,
//    interrupt_;
//  - caches, rebuilt on demand: blocks_, cur_block_; next_stop_ and the exact
//    stop hook follow from the stop conditions (update_next_stop);
//  - the RDTSC hooks (tsc_hooks_, tsc_found_, arrange_tsc_): the engine's,
//    and they stay in it across a restore.
#pragma once

#include <memory>
#include <vector>

#include "guest_pages.h"
#include "process.h"

// The members copied as values, in declaration order.
#define GOSTEP_PROCESS_VALUES(X)                                                            \
  X(fs_) X(fds_) X(current_) X(next_tid_) X(sigactions_) X(random_state_)                   \
  X(rlimits_) X(insn_count_) X(skipped_ns_) X(slice_end_) X(after_transfer_) X(have_last_)  \
  X(last_is_transfer_) X(cur_ends_with_transfer_) X(block_base_) X(block_entered_)          \
  X(stopped_before_block_) X(resume_over_exit_) X(resume_with_signal_) X(kernel_cause_)     \
  X(syscall_pc_) X(deferred_fault_) X(resume_over_bp_) X(cur_pc_)                          \
  X(tsc_pending_) X(tsc_pending_rdtscp_) X(slice_start_count_) X(mem_base_count_)           \
  X(mem_budget_pages_) X(kernel_pages_) X(touched_peak_) X(watch_hit_) X(watch_writer_)     \
  X(watch_writer_insn_) X(watch_cause_) X(ended_) X(spent_) X(exit_status_) X(fd_changed_)  \
  X(threads_created_) X(syscall_counts_) X(enosys_counts_) X(user_signals_)

namespace gostep {

struct Process::Snapshot {
  Snapshot(Process& p, const Snapshot* previous);

  std::uint64_t insns() const { return insn_count_; }
  // Signals from outside already queued at this moment (Process::queue_user_signal).
  std::size_t user_signals_queued() const { return user_signals_.size(); }

#define GOSTEP_DECLARE(m) decltype(Process::m) m;
  GOSTEP_PROCESS_VALUES(GOSTEP_DECLARE)
#undef GOSTEP_DECLARE
  std::shared_ptr<const vfs::Vfs> vfs;
  // Who ran when (Process::schedule()), which only grows: each snapshot keeps
  // the entries added since the one before and shares the older ones, so
  // that checkpoints of a long run do not each hold a copy of the whole.
  struct ScheduleChunk {
    std::vector<std::pair<std::uint64_t, int>> entries;
    std::shared_ptr<const ScheduleChunk> before;
    std::size_t total = 0;  // entries in this chunk and all before it
    std::pair<std::uint64_t, int> last{};  // the whole schedule's last entry (total > 0)
  };
  std::shared_ptr<const ScheduleChunk> schedule;
  std::vector<Thread> threads;  // the one on the CPU with its registers from the CPU
  GuestPages memory;
};

}  // namespace gostep
