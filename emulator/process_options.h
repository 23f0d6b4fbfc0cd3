// What a Process is started with: the guest's command line and environment,
// its limits, how instructions are counted, and what it may see of the host.
// Its own header so that front ends can fill it in without the Process class.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "host_io.h"

namespace gostep {

// A host directory the guest may see (--dir HOSTDIR[:GUESTDIR][:rw]).
struct DirGrant {
  std::string host_dir;   // absolute
  std::string guest_dir;  // absolute
  bool rw = false;
};

// How instructions are counted (docs/ARCHITECTURE.md, "Counting and time
// slices"). Both counting modes run the same instructions in the same order
// and agree on every count; `none` is only the benchmarks' no-hook baseline.
enum class Counting {
  instructions,  // a hook before every instruction: stops anywhere, watchpoints (debug, tour, dump)
  blocks,        // a hook per translated block, exact counts where they matter (run)
  none,          // no counting, no time slices: for measuring Unicorn alone
};

struct ProcessOptions {
  std::vector<std::string> argv;  // argv[0] is the path as the user gave it
  std::vector<std::string> env;   // "K=V"; empty by default
  std::uint64_t seed = 0;         // AT_RANDOM and getrandom
  std::uint64_t quantum = 10'000; // instructions per time slice
  int ncpu = 2;                   // CPUs in the affinity mask
  std::uint64_t max_insns = 0;    // 0: no limit
  std::uint64_t max_memory = 4ULL << 30;  // touched guest memory (bytes); 0: no limit
  Counting counting = Counting::instructions;
  // Block counting: make RIP exact at every data fault, which costs a memory
  // hook on all loads and stores (docs/TRAPS.md). false: a data fault stops
  // run() with StopKind::inexact_fault instead, the process is spent, and the
  // caller runs the program again, exact from that block on
  // (engine::ProgramRun, what `gostep run` does).
  bool exact_faults = true;
  bool track_writes = false;      // memory-write hook: effects display and watchpoints (instruction counting only)
  int stdin_fd = 0;               // host fd read for the guest's fd 0; -1 reads as empty
  int stdout_fd = 1;              // host fd the guest's fd 1 writes to
  int stderr_fd = 2;              // host fd the guest's fd 2 writes to
  std::vector<DirGrant> dirs;     // host directories the guest may see; the first is the working directory
  bool terminals_visible = false; // `run`: a terminal on stdin/stdout/stderr is one for the guest too
  bool enosys = false;            // --enosys: a call gostep does not provide returns -ENOSYS
  // A host fd that is made readable with each request_interrupt() (a signal
  // handler's self-pipe): it ends a real-time wait for the host. -1: none.
  int wake_fd = -1;
  // The host as the Linux layer sees it; null: the real one (PosixHostIo).
  std::shared_ptr<HostIo> host_io;
};

}  // namespace gostep
