// The signals a user sends to `gostep run` (SIGINT, SIGTERM, SIGHUP,
// SIGQUIT; DESIGN.md, "Sandbox"): caught while the guest runs, so that they
// reach the guest at the next instruction boundary instead of ending gostep.
// The handler only counts the signal, asks the attached run to stop at the
// next block (engine::ProgramRun::request_interrupt, async-signal-safe) and
// writes a byte to a pipe that ends a real-time wait; the run takes the
// signals and queues them for the guest. A signal handler can reach only globals, so
// one instance at a time may exist.
#pragma once

#include <vector>

namespace gostep {

namespace engine {
class ProgramRun;
}

class HostSignals {
 public:
  HostSignals();   // installs the handlers
  ~HostSignals();  // restores the previous dispositions
  HostSignals(const HostSignals&) = delete;
  HostSignals& operator=(const HostSignals&) = delete;

  // The run a signal interrupts (null: none).
  void attach(engine::ProgramRun* run);
  int wake_fd() const;
  // The signals that arrived since the last take, in signal-number order
  // (a signal sent twice appears twice).
  std::vector<int> take();
};

}  // namespace gostep
