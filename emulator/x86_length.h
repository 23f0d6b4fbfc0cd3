// The length of an x86-64 instruction and whether it transfers control, from
// its bytes alone. Block counting decodes every translated block once
// (block_cache.h). Capstone takes ~250 ns per instruction, which cost hello
// 12 ms of its 60 ms run (measured; the budget is 1.2x Unicorn alone), so
// this table-driven decoder does only what counting needs, in tens of
// nanoseconds, and hands what it does not know (VEX, anything it calls
// invalid) to Capstone. A unit test compares it with Capstone over every
// instruction of the bundled programs (X86Length.*).
#pragma once

#include <cstdint>

namespace gostep {

// RDTSC and RDTSCP read the host's clock in Unicorn: gostep replaces what
// they return with the virtual clock (cpu_identity.h).
enum class TscRead : std::uint8_t { none, rdtsc, rdtscp };

struct X86Insn {
  std::uint8_t length = 0;  // 0: not an instruction gostep can execute (VEX/EVEX, invalid in 64-bit mode, truncated)
  // Control leaves the straight line after it: jumps, calls, returns, loops,
  // INT/INT3/IRET, SYSCALL/SYSRET/SYSENTER/SYSEXIT, and each iteration of a
  // REP-prefixed string instruction. Unicorn (QEMU) ends a translated block
  // after every one of these (docs/ARCHITECTURE.md, "Threads and time").
  bool transfer = false;
  TscRead tsc = TscRead::none;
};

// Decodes at most `avail` bytes (15 is the architectural maximum).
X86Insn x86_decode(const std::uint8_t* p, std::uint32_t avail);

}  // namespace gostep
