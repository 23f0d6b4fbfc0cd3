// Recording what a stretch of execution did, seen from one thread: registers
// before and after, memory written (every store of one instruction; the net,
// named change of a whole call), system calls made, and runtime fields changed.
#pragma once

#include <optional>

#include "engine/stop_event.h"

namespace gostep::engine {

class Target;

class EffectRecorder {
 public:
  // Starts recording thread `tid`: turns the process's write log on.
  EffectRecorder(Target& target, int tid);
  ~EffectRecorder();
  EffectRecorder(const EffectRecorder&) = delete;
  EffectRecorder& operator=(const EffectRecorder&) = delete;

  // One instruction's effects: every store of the thread, in order.
  Effects instruction();
  // A call's or a line's: the net change, words with names listed, the rest counted.
  Effects net();

 private:
  Effects common();
  Target& t_;
  int tid_;
  Effects fx_;
  std::optional<model::RuntimeState> before_;
  std::uint64_t start_count_ = 0;
};

}  // namespace gostep::engine
