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
  std::vector<model::Frame> frames;
  std::string stopped;      // why the unwind ended early ("" at the outermost frame)
  bool truncated = false;   // more frames than the limit
  std::string unavailable;  // why there is no unwind at all (no pclntab, no such thread)
};

inline constexpr std::size_t kMaxFrames = 10'000;

// The stack of thread `tid` now.
Backtrace backtrace(Session& s, int tid, std::size_t max_frames = kMaxFrames);
// The goroutine context of a thread with these registers (for the g0 -> goroutine switch).
model::GContext goroutine_context(Session& s, const RegFile& rf);

}  // namespace gostep::engine
