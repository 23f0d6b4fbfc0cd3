// The milestones of the chapter (DESIGN.md, "Milestones"): where in a Go 1.19
// binary each step of the bootstrap is, found by symbol and by decoding
// rt0_go's instructions, never by a fixed address.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "emulator/elf_image.h"

namespace gostep::model {

// Offsets the instruction patterns use (from DWARF: g.stack.hi, m.g0, g.m).
struct BootstrapOffsets {
  std::int64_t g_stack_hi = 8;
  std::int64_t m_g0 = 0;
  std::int64_t g_m = 0x30;
};

struct Milestone {
  std::string name;
  std::string description;      // one line, for `milestones` and the tour
  std::optional<GuestAddr> pc;  // nullopt: not found in this binary
  std::string why_missing;      // when pc is nullopt
};

// All milestones in bootstrap order. A miniature (asm_fixtures/mini) has its own
// instead: `entry`, then its functions main.milestone_NAME in address order.
std::vector<Milestone> find_milestones(const ElfImage& img, const BootstrapOffsets& off);

// A miniature's milestones (empty for any other program).
std::vector<Milestone> demo_milestones(const ElfImage& img);

// The names, in order (for help and completion).
const std::vector<std::string>& milestone_names();

}  // namespace gostep::model
