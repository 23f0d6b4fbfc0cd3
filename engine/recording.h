// Time travel (issue 8): every `gostep debug` session records, so that any
// instruction index already reached can be reached again, backwards or forwards.
// The run is deterministic, so "recording" is what re-executing needs: how far
// the run got (the high-water mark), who ran when, and checkpoints: snapshots
// of the whole process (Process::Snapshot) taken at time-slice ends every
// kCheckpointEvery instructions or so. rewind(N) restores the last checkpoint
// before N and re-executes from there, without stopping for anything. Old
// checkpoints are thinned so that memory levels off (docs/ARCHITECTURE.md,
// "Going backwards"). Reverse commands are built on rewind() and on
// scan_back(), which re-executes the past a stretch at a time, newest first,
// observing it.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "emulator/process.h"

namespace gostep::engine {

class Target;

// One instruction of one thread, as scan() saw it (before it executed).
struct PastInsn {
  std::uint64_t index = 0;  // 1-based, across all threads
  GuestAddr pc = 0;
  GuestAddr sp = 0;
};

class Recording {
 public:
  // Instructions between checkpoints (they fall on the first time-slice end
  // after that many): at least kCheckpointEvery, and kInsnsPerPage for each
  // page of guest memory the last checkpoint had to compare, so that taking
  // them costs a small share of the run whatever the program's size
  // (comparing a page costs about what 30 instructions do).
  static constexpr std::uint64_t kCheckpointEvery = 20'000;
  static constexpr std::uint64_t kInsnsPerPage = 32;
  // Limits beyond which older checkpoints are thinned out (the bytes: checkpoint_bytes()).
  static constexpr std::size_t kMaxCheckpoints = 400;
  static constexpr std::uint64_t kMaxCheckpointBytes = 256ULL << 20;

  explicit Recording(Target& t) : t_(t) {}

  bool on() const { return on_; }
  void set_on(bool on);
  // The Target has a new process (or recording was turned on): the
  // checkpoints start again from where it stands.
  void attach();
  // Back to the start of the recording (`run`, `kill`): false when there is no
  // checkpoint there and the Target must make a new process.
  bool back_to_start();
  // The furthest the run got: instructions executed at the high-water mark.
  std::uint64_t recorded() const { return high_water_; }
  // Whether the session stands before the high-water mark (in the past).
  bool in_past() const;
  // After any forward run: the high-water mark moves with the process.
  void note_progress();
  // The user changed what happens from now on (queue-signal in the past):
  // the recorded future is discarded.
  void discard_future();
  // The state before instruction `index` executes (1 <= index <= recorded() + 1),
  // reached by re-executing from the last checkpoint before it without stopping for anything.
  void rewind(std::uint64_t index);
  // Re-executes [from, to) calling `seen` before each instruction (its thread, index, pc);
  // the session then stands before `to`.
  void scan(std::uint64_t from, std::uint64_t to, const std::function<void(int, std::uint64_t, GuestAddr)>& seen);
  // The stretches of the past before `before`, newest first: [from, to) runs
  // from each checkpoint to the next (from is 1 + the checkpoint's count),
  // until `fn` returns true. Nothing is executed here.
  void for_each_stretch_back(std::uint64_t before, const std::function<bool(std::uint64_t from, std::uint64_t to)>& fn) const;
  // The instructions thread `tid` executed before `before`, newest first, to
  // `visit` until it returns true (found). The past is re-executed a stretch
  // at a time, from the last checkpoint before the stretch, so finding
  // something recent costs a stretch, not the whole recording. The session
  // then stands somewhere in the past: the caller rewinds where it wants.
  void scan_thread_back(int tid, std::uint64_t before, const std::function<bool(const PastInsn&)>& visit);
  // Every instruction (of any thread) before `before`, newest stretch first:
  // `visit_stretch` gets each stretch's instructions in order (tid, index,
  // pc) and returns true to stop.
  void scan_back(std::uint64_t before,
                 const std::function<bool(const std::vector<std::pair<int, PastInsn>>&)>& visit_stretch);
  // The index of the last instruction thread `tid` executed before `before` (0: none).
  std::optional<std::uint64_t> previous_of(int tid, std::uint64_t before) const;

  // The state now, to come back to with return_to() after looking ahead: a
  // snapshot that shares what it can with the newest checkpoint before it,
  // cheaper than re-executing to here again.
  struct Moment {
    std::shared_ptr<const Process::Snapshot> snap;
    std::size_t host_pos = 0;
    StopReason how;  // how the rewind that reached it ended
  };
  Moment here();
  void return_to(const Moment& m);

  std::uint64_t rewinds() const { return rewinds_; }
  std::size_t checkpoints() const { return checkpoints_.size(); }
  // Where the checkpoints stand (instructions executed), oldest first.
  std::vector<std::uint64_t> checkpoint_insns() const;
  // Bytes of guest pages the checkpoints hold (pages shared between them counted once).
  // Bytes the checkpoints' guest memory costs: the page copies (shared ones
  // counted once) and each checkpoint's list of its pages.
  std::uint64_t checkpoint_bytes() const { return pages_held_ * kPageSize + index_bytes_; }

 private:
  struct Checkpoint {
    std::shared_ptr<const Process::Snapshot> snap;
    std::size_t host_pos = 0;   // ReplayHostIo::used() then
    std::size_t own_pages = 0;  // page copies not shared with the checkpoint before it
    std::uint64_t insns() const;
  };
  void take_checkpoint();
  void thin();
  void restore(const Process::Snapshot& s, std::size_t host_pos, bool replay_output = true);
  void quiet();
  void run_to(std::uint64_t index);
  const Checkpoint* last_before(std::uint64_t index) const;
  bool requeue_user_signals(std::uint64_t index, std::size_t already_queued);

  Target& t_;
  bool on_ = true;
  std::uint64_t high_water_ = 0;
  std::uint64_t rewinds_ = 0;
  // Who ran when, to the high-water mark: (instructions before the stretch, tid).
  std::vector<std::pair<std::uint64_t, int>> schedule_;
  std::vector<Checkpoint> checkpoints_;  // by instruction count
  std::size_t pages_held_ = 0;
  std::uint64_t index_bytes_ = 0;
};

}  // namespace gostep::engine
