// Call stacks of the guest's threads, unwound with Go's own metadata
// (runtime_model/unwind.h), crossing from g0's stack back to the goroutine's
// through curg.sched as Go's tracebacks do.
#pragma once

#include <string>
#include <vector>

#include "runtime_model/unwind.h"
#include "session/session.h"

namespace gostep::engine {

struct Backtrace {
  std::vector<model::Frame> frames;  // innermost first; inlined calls are frames of their own
  std::string stopped;      // why the unwind ended early ("" at the outermost frame)
  bool truncated = false;   // more frames than the limit
  std::string unavailable;  // why there is no unwind at all (no pclntab, no such thread)
  // Frame 0's registers are the thread's own (a running thread): DWARF locations in
  // registers can be read there. A parked goroutine (unwound from g.sched) has none,
  // and Go's register ABI keeps nothing for outer frames (no callee-saved registers).
  bool registers = false;
  int tid = 0;              // the thread whose registers frame 0 has (registers == true)
};

inline constexpr std::size_t kMaxFrames = 10'000;

// The stack of thread `tid` now.
Backtrace backtrace(Session& s, int tid, std::size_t max_frames = kMaxFrames);
// The goroutine context of a thread with these registers (for the g0 -> goroutine switch).
model::GContext goroutine_context(Session& s, const RegFile& rf);
// The stack of a goroutine that is not running: from its saved g.sched (pc, sp).
Backtrace parked_backtrace(Session& s, GuestAddr g, std::size_t max_frames = kMaxFrames);
// Gives each inlined call active at a physical frame's pc a frame of its own
// (pclntab's inline tree, so stripped binaries have them too) and names every frame.
void expand_inlined(Session& s, Backtrace& b);

}  // namespace gostep::engine
