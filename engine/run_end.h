// How a run of the guest ended, as a report of it needs it: the stop, the
// statistics, and the threads involved named and disassembled. `gostep run`
// (ProgramRun), `dump` and `debug` render it (tools/stop_report.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "emulator/process.h"

namespace gostep::engine {

// A thread where the run stopped, as a report names it.
struct StopPlace {
  int tid = 0;
  GuestAddr pc = 0;
  std::string function;     // "runtime.rt0_go.abi0+0x12", or the address
  std::string instruction;  // its disassembly; "" when no code is there
  WaitKind wait = WaitKind::none;  // deadlock: what the thread is blocked in
  GuestAddr futex_addr = 0;
};

// How a whole run ended.
struct RunEnd {
  StopReason reason;
  bool second_sigint = false;  // gostep stopped it: a second Ctrl-C (DESIGN.md)
  ProcessStats stats;
  std::uint64_t max_memory = 0;           // the limit in force (memory_limit)
  std::vector<StopPlace> places;          // the stopping thread; for a deadlock every blocked one
  std::optional<OutsideLookup> outside;   // the first path looked for outside the grants
  std::uint64_t reexecuted = 0;           // instructions run again to make a fault exact
};

// Describes how `p` stopped with `r`.
RunEnd end_of(Process& p, const StopReason& r);

}  // namespace gostep::engine
