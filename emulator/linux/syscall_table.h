// The Linux layer as data: every system call gostep answers, with its number,
// name, argument names and a one-line summary (rr's syscalls.py and Ripes'
// self-describing syscalls). The same table feeds the dispatcher, `info
// syscalls`, traces and docs/syscalls.md.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>

#include "../process.h"

namespace gostep {

using SyscallHandler = SysResult (*)(Process&, Thread&, const SyscallArgs&);

struct SyscallInfo {
  int nr;
  const char* name;
  std::array<const char*, 6> args;  // nullptr after the last
  const char* summary;
  const char* family;  // the file under emulator/linux/ that implements it
  SyscallHandler handler;
};

std::span<const SyscallInfo> syscall_table();
const SyscallInfo* find_syscall(std::uint64_t nr);
const SyscallInfo* find_syscall(const std::string& name);
// Any x86-64 Linux system call's name, supported or not ("syscall_N" if unknown).
std::string syscall_name(std::uint64_t nr);

}  // namespace gostep
