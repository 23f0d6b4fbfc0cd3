// Where the chapter's milestones fall in time: the instruction index of each
// one's first hit, and the runtime's state there. The tour walks them (forwards
// and back with goto insn:N), the pictures mark the start-up path with them, and
// "the first milestone after the current instruction" is a lookup.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "emulator/process.h"
#include "runtime_model/runtime_state.h"

namespace gostep::engine {

struct MilestoneTime {
  std::string name;
  std::string description;             // the one-line English description (milestones.cpp)
  std::optional<GuestAddr> pc;         // nullopt: not found in this binary
  std::optional<std::uint64_t> insn;   // its first hit: the stop is before instruction `insn`
  std::optional<model::RuntimeState> state;  // the runtime's state there (when the binary has DWARF)
  std::string why_missing;             // no pc, or never reached
};

// One run of a fresh copy of the program at `path` with `options` (its output
// thrown away, its stdin empty), stopping at each milestone's first hit until all
// are reached or the program stops. The caller's own process is not touched, so
// its breakpoints, watchpoints and position play no part.
std::vector<MilestoneTime> milestone_timeline(const std::string& path, ProcessOptions options);

// The first milestone reached at or after instruction `insn` (a stop before it),
// or nullopt when none is.
std::optional<std::size_t> milestone_at_or_after(const std::vector<MilestoneTime>& t, std::uint64_t insn);
// The last milestone reached at or before instruction `insn`, or nullopt.
std::optional<std::size_t> milestone_at_or_before(const std::vector<MilestoneTime>& t, std::uint64_t insn);

}  // namespace gostep::engine
