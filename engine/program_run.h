// `gostep run`'s engine: one program from its entry to its end at full speed
// (block counting), the host's signals given to it, and what a report of the
// end needs. The front end (tools/cmd_run.cpp) parses options, forwards host
// signals and renders the RunEnd; everything that decides how the guest runs
// or why it stopped is here.
//
// Exact faults by re-execution (docs/ARCHITECTURE.md, "Counting and time
// slices"): the program runs without the memory hook that makes RIP exact at
// a data fault, which costs up to half of Unicorn's speed. At the first data
// fault the process is dropped, and a new one runs the same program again
// from its entry, with the host's answers (input, files, waits) replayed from
// the log of the first run and the user's signals queued at the instructions
// they came at. It has the hook from the faulting block on, so the fault is
// exact and the run goes on exactly as under instruction counting. Output
// written by the first run is not written again.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "emulator/elf_image.h"
#include "emulator/host_io_replay.h"
#include "emulator/process.h"
#include "engine/run_end.h"

namespace gostep::engine {

class ProgramRun {
 public:
  // Loads the program (load_elf's errors) and makes its process.
  ProgramRun(const std::string& path, ProcessOptions options);
  ProgramRun(ElfImage image, ProcessOptions options);
  ~ProgramRun();
  ProgramRun(const ProgramRun&) = delete;
  ProgramRun& operator=(const ProgramRun&) = delete;

  // Async-signal-safe (a host signal handler): run() asks `take_signals`
  // for the host's signals at the next block.
  void request_interrupt();

  // Runs to the guest's end, or until gostep stops it. `take_signals` gives
  // the host signals that came since it was last called, in order.
  using TakeSignals = std::function<std::vector<int>()>;
  RunEnd run(const TakeSignals& take_signals);

  // The process as it is now (after run(): as it ended), for tests.
  Process& process() { return *proc_; }

  // The log of host answers is dropped past this many bytes (a program that
  // reads a lot of input): faults are made exact from then on instead.
  static constexpr std::size_t kMaxLogBytes = 64u << 20;

 private:
  void start_process();
  // A data fault that was not exact: run again up to the block that faulted.
  // False when the new run ended before it got there (it should not).
  bool reexecute(std::uint64_t block_start, StopReason& end, const TakeSignals& take_signals);
  // Runs until the count is `n`, keeping host signals for later; false and
  // `end` set when the run ends first.
  bool run_to(std::uint64_t n, StopReason& end, const TakeSignals& take_signals);
  // A host signal for the guest; true when it means gostep stops (second SIGINT).
  bool host_signal(int sig);
  void watch_log();
  RunEnd finish(const StopReason& r);

  ElfImage image_;
  ProcessOptions opts_;
  std::shared_ptr<ReplayHostIo> replay_;
  std::unique_ptr<Process> proc_;
  std::atomic<Process*> live_{nullptr};  // what request_interrupt reaches
  std::atomic<bool> interrupt_pending_{false};
  std::vector<int> deferred_;            // host signals that came during a re-execution
  std::optional<std::int64_t> last_sigint_ns_;
  bool can_reexecute_ = true;
  std::uint64_t reexecuted_ = 0;
};

}  // namespace gostep::engine
