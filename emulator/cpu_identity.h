// The one CPU every guest sees, on every host: CPUID answers from a fixed
// table, and RDTSC/RDTSCP read the virtual clock (docs/TRAPS.md: Unicorn
// cannot hook RDTSC, so the instruction after each RDTSC site is hooked).
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "elf_image.h"

namespace gostep {

// CPUID(leaf, subleaf) -> {eax, ebx, ecx, edx}. No AVX, no XSAVE (Unicorn 2.0.1
// cannot execute VEX instructions), vendor GenuineIntel as in the chapter.
std::array<std::uint32_t, 4> fixed_cpuid(std::uint32_t leaf, std::uint32_t subleaf);

// AT_HWCAP for the fixed CPU (CPUID.1:EDX, as Linux reports it).
std::uint64_t fixed_hwcap();

struct TscSite {
  GuestAddr addr;       // the RDTSC/RDTSCP instruction
  std::uint32_t length;  // 2 or 3
  bool rdtscp;
};

// Every byte sequence 0F 31 (RDTSC) and 0F 01 F9 (RDTSCP) in the executable
// segments. Some may be inside other instructions: a hook on such a site never
// fires, because hooks fire only where an instruction starts.
std::vector<TscSite> find_tsc_sites(const ElfImage& img);

}  // namespace gostep
