// Time travel (issue 8): every `gostep debug` session records, so that any
// instruction index already reached can be reached again, backwards or forwards.
// The run is deterministic, so "recording" is what re-executing needs: how far
// the run got (the high-water mark), and the way back to an earlier moment:
// rewind(N) restores the state before instruction N by re-executing from the
// entry point (checkpoints to re-execute from are not built yet: going back is
// correct but costs the whole prefix). Reverse commands are built on rewind() and on
// scan(), which re-executes a stretch of the past observing it.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "emulator/guest.h"

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
  explicit Recording(Target& t) : t_(t) {}

  bool on() const { return on_; }
  void set_on(bool on) { on_ = on; }
  // The furthest the run got: instructions executed at the high-water mark.
  std::uint64_t recorded() const { return high_water_; }
  // Whether the session stands before the high-water mark (in the past).
  bool in_past() const;
  // After any forward run: the high-water mark moves with the process.
  void note_progress();
  // The state before instruction `index` executes (1 <= index <= recorded() + 1),
  // reached by re-executing without stopping for anything.
  void rewind(std::uint64_t index);
  // Re-executes [from, to) calling `seen` before each instruction (its thread, index, pc);
  // the session then stands before `to`.
  void scan(std::uint64_t from, std::uint64_t to, const std::function<void(int, std::uint64_t, GuestAddr)>& seen);
  // The instructions thread `tid` executed in [from, to) (indices), each with pc and SP before it.
  std::vector<PastInsn> scan_thread(int tid, std::uint64_t from, std::uint64_t to);
  // The index of the last instruction thread `tid` executed before `before` (0: none).
  std::optional<std::uint64_t> previous_of(int tid, std::uint64_t before) const;

  std::uint64_t rewinds() const { return rewinds_; }

 private:
  void requeue_user_signals(std::uint64_t index);

  Target& t_;
  bool on_ = true;
  std::uint64_t high_water_ = 0;
  std::uint64_t rewinds_ = 0;
  // Who ran when, to the high-water mark: (instructions before the stretch, tid).
  std::vector<std::pair<std::uint64_t, int>> schedule_;
};

}  // namespace gostep::engine
