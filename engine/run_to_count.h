// Running a process forward to an instruction count, through the stops the
// caller does not want: what re-enacting a run needs, both when `gostep run`
// runs a program again to make a fault exact (ProgramRun) and when time
// travel replays from a checkpoint (Recording).
#pragma once

#include <cstdint>
#include <functional>

#include "emulator/process.h"

namespace gostep::engine {

// Runs `p` until it has executed `count` instructions. Every other stop on
// the way goes to `run_on`: true runs on, false ends the run there. Returns
// the stop it ended at (StopKind::insn_reached when it got there).
StopReason run_to_count(Process& p, std::uint64_t count, const std::function<bool(const StopReason&)>& run_on);

// The user's breakpoints, watchpoints and caught calls: the stops a replay of
// the past runs through (they were seen when that past was run).
bool is_user_stop(const StopReason& r);

}  // namespace gostep::engine
