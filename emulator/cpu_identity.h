// The one CPU every guest sees, on every host: CPUID answers from a fixed
// table. RDTSC/RDTSCP read the virtual clock: Unicorn cannot hook them
// (docs/TRAPS.md), so each one is found as its block is decoded
// (block_cache.h) and hooked with the instruction after it
// (Process::hook_tsc_sites).
#pragma once

#include <array>
#include <cstdint>

namespace gostep {

// CPUID(leaf, subleaf) -> {eax, ebx, ecx, edx}. No AVX, no XSAVE (Unicorn 2.0.1
// cannot execute VEX instructions), vendor GenuineIntel as in the chapter.
std::array<std::uint32_t, 4> fixed_cpuid(std::uint32_t leaf, std::uint32_t subleaf);

// AT_HWCAP for the fixed CPU (CPUID.1:EDX, as Linux reports it).
std::uint64_t fixed_hwcap();

}  // namespace gostep
