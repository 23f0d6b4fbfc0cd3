// The stack a new process finds at its entry point, laid out as Linux 6.x's
// execve does (fs/exec.c, fs/binfmt_elf.c: create_elf_tables) with address
// randomisation off, so that every address derived from it (rsp, g0's stack,
// argv) equals a native run's.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "guest.h"

namespace gostep {

// auxv entry types (linux/auxvec.h).
enum AuxType : std::uint64_t {
  AT_NULL_ = 0, AT_IGNORE_ = 1, AT_PHDR_ = 3, AT_PHENT_ = 4, AT_PHNUM_ = 5, AT_PAGESZ_ = 6,
  AT_BASE_ = 7, AT_FLAGS_ = 8, AT_ENTRY_ = 9, AT_UID_ = 11, AT_EUID_ = 12, AT_GID_ = 13,
  AT_EGID_ = 14, AT_PLATFORM_ = 15, AT_HWCAP_ = 16, AT_CLKTCK_ = 17, AT_SECURE_ = 23,
  AT_RANDOM_ = 25, AT_HWCAP2_ = 26, AT_RSEQ_FEATURE_SIZE_ = 27, AT_RSEQ_ALIGN_ = 28,
  AT_EXECFN_ = 31, AT_SYSINFO_EHDR_ = 33, AT_MINSIGSTKSZ_ = 51,
};

struct AuxEntry {
  std::uint64_t type;
  std::uint64_t value;  // for AT_RANDOM, AT_PLATFORM, AT_EXECFN: filled in by the builder
};

struct InitialStackInput {
  std::vector<std::string> argv;
  std::vector<std::string> envp;
  std::string execfn;  // the path as given to execve (AT_EXECFN)
  std::array<std::uint8_t, 16> random{};
  GuestAddr phdr = 0;
  std::uint64_t phnum = 0;
  GuestAddr entry = 0;
  std::uint64_t hwcap = 0;
};

struct InitialStack {
  GuestAddr rsp = 0;
  GuestAddr low = 0;               // lowest byte written
  std::vector<std::uint8_t> bytes;  // the image of [low, kStackTop)
  std::vector<AuxEntry> auxv;      // as written, values resolved
  GuestAddr argv0 = 0, execfn = 0, platform = 0, random = 0;
};

// The auxv a native run shows on this machine kind, in the kernel's order
// (go1.19-bootstrap-facts.md). gostep has no vDSO: AT_SYSINFO_EHDR's slot is
// AT_IGNORE, so the vector keeps its length and the stack its addresses.
std::vector<AuxEntry> linux_auxv(const InitialStackInput& in);

InitialStack build_initial_stack(const InitialStackInput& in, GuestAddr stack_top);

}  // namespace gostep
