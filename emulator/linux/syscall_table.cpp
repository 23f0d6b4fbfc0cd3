#include "syscall_table.h"

#include <string_view>

#include "handlers.h"

namespace gostep {
namespace {

using namespace linux_abi;

// Numbers from arch/x86/entry/syscalls/syscall_64.tbl.
constexpr SyscallInfo kTable[] = {
    {0, "read", {"fd", "buf", "count"}, "Read from a file descriptor (stdin, a pipe, an eventfd, a virtual file)", "io", sys_read},
    {1, "write", {"fd", "buf", "count"}, "Write to a file descriptor (stdout, stderr, a pipe, an eventfd)", "io", sys_write},
    {2, "open", {"path", "flags", "mode"}, "Open a file: only gostep's virtual files exist", "io", sys_open},
    {3, "close", {"fd"}, "Close a file descriptor", "io", sys_close},
    {9, "mmap", {"addr", "length", "prot", "flags", "fd", "offset"}, "Map anonymous memory (a hint is honoured when free; MAP_FIXED replaces)", "mman", sys_mmap},
    {10, "mprotect", {"addr", "length", "prot"}, "Change the protection of mapped pages", "mman", sys_mprotect},
    {11, "munmap", {"addr", "length"}, "Unmap pages", "mman", sys_munmap},
    {12, "brk", {"addr"}, "Move the end of the data segment", "mman", sys_brk},
    {13, "rt_sigaction", {"sig", "act", "oldact", "sigsetsize"}, "Install or query a signal handler", "signal", sys_rt_sigaction},
    {14, "rt_sigprocmask", {"how", "set", "oldset", "sigsetsize"}, "Block or unblock signals for the calling thread", "signal", sys_rt_sigprocmask},
    {15, "rt_sigreturn", {}, "Return from a signal handler: restore the registers saved in the frame", "signal", sys_rt_sigreturn},
    {24, "sched_yield", {}, "Give the CPU to the next runnable thread", "sched", sys_sched_yield},
    {28, "madvise", {"addr", "length", "advice"}, "Advise on memory use (MADV_DONTNEED zeroes pages)", "mman", sys_madvise},
    {35, "nanosleep", {"req", "rem"}, "Sleep on the virtual clock", "time", sys_nanosleep},
    {39, "getpid", {}, "Process id (deterministic: 1000)", "sched", sys_getpid},
    {56, "clone", {"flags", "stack", "parent_tid", "child_tid", "tls"}, "Create a thread: new registers and FS base, same memory", "sched", sys_clone},
    {60, "exit", {"status"}, "End the calling thread", "sched", sys_exit},
    {62, "kill", {"pid", "sig"}, "Send a signal to the process", "signal", sys_kill},
    {63, "uname", {"buf"}, "System name and version (fixed)", "utsname", sys_uname},
    {72, "fcntl", {"fd", "cmd", "arg"}, "File descriptor flags (F_GETFL, F_SETFL, F_GETFD, F_SETFD)", "io", sys_fcntl},
    {97, "getrlimit", {"resource", "rlim"}, "Get a resource limit", "resource", sys_getrlimit},
    {160, "setrlimit", {"resource", "rlim"}, "Set a resource limit (lowering only; Go raises NOFILE's soft limit)", "resource", sys_setrlimit},
    {131, "sigaltstack", {"ss", "old_ss"}, "Set or query the alternate signal stack", "signal", sys_sigaltstack},
    {157, "prctl", {"option", "arg2", "arg3", "arg4", "arg5"}, "Process control (PR_SET_NAME and friends are accepted)", "prctl", sys_prctl},
    {158, "arch_prctl", {"code", "addr"}, "Set or get the FS/GS base: ARCH_SET_FS points %fs at the TLS block", "prctl", sys_arch_prctl},
    {186, "gettid", {}, "Thread id of the calling thread", "sched", sys_gettid},
    {202, "futex", {"uaddr", "op", "val", "timeout", "uaddr2", "val3"}, "Wait on or wake a futex word (WAIT blocks, WAKE wakes in FIFO order)", "futex", sys_futex},
    {204, "sched_getaffinity", {"pid", "len", "mask"}, "CPU mask: --ncpu CPUs", "sched", sys_sched_getaffinity},
    {228, "clock_gettime", {"clock", "tp"}, "Read the virtual clock (1 ns per instruction)", "time", sys_clock_gettime},
    {230, "clock_nanosleep", {"clock", "flags", "req", "rem"}, "Sleep on the virtual clock", "time", sys_clock_nanosleep},
    {231, "exit_group", {"status"}, "End every thread of the process", "sched", sys_exit_group},
    {232, "epoll_wait", {"epfd", "events", "maxevents", "timeout"}, "Wait for events on an epoll instance", "epoll", sys_epoll_pwait},
    {233, "epoll_ctl", {"epfd", "op", "fd", "event"}, "Add, change or remove an fd of an epoll instance", "epoll", sys_epoll_ctl},
    {234, "tgkill", {"tgid", "tid", "sig"}, "Send a signal to one thread", "signal", sys_tgkill},
    {257, "openat", {"dirfd", "path", "flags", "mode"}, "Open a file: only gostep's virtual files exist", "io", sys_openat},
    {267, "readlinkat", {"dirfd", "path", "buf", "size"}, "Read a symbolic link (/proc/self/exe is argv[0])", "io", sys_readlinkat},
    {281, "epoll_pwait", {"epfd", "events", "maxevents", "timeout", "sigmask", "sigsetsize"}, "Wait for events on an epoll instance", "epoll", sys_epoll_pwait},
    {290, "eventfd2", {"initval", "flags"}, "Create an event counter", "io", sys_eventfd2},
    {291, "epoll_create1", {"flags"}, "Create an epoll instance", "epoll", sys_epoll_create1},
    {293, "pipe2", {"fds", "flags"}, "Create a pipe inside the guest", "io", sys_pipe2},
    {302, "prlimit64", {"pid", "resource", "new", "old"}, "Get and set a resource limit (as setrlimit: the hard limit can only go down)", "resource", sys_prlimit64},
    {318, "getrandom", {"buf", "count", "flags"}, "Random bytes from --seed", "random", sys_getrandom},
    {326, "copy_file_range", {"fd_in", "off_in", "fd_out", "off_out", "len", "flags"}, "Copy between files in the kernel: refused with EINVAL (no guest file is a regular file), so Go falls back to read and write", "io", sys_copy_file_range},
};

// Every x86-64 call's name, generated from <asm/unistd_64.h> at build time.
struct NameEntry {
  int nr;
  const char* name;
};
constexpr NameEntry kAllNames[] = {
#include "syscall_names.inc"
};

}  // namespace

std::span<const SyscallInfo> syscall_table() { return kTable; }

const SyscallInfo* find_syscall(std::uint64_t nr) {
  for (const auto& s : kTable)
    if (static_cast<std::uint64_t>(s.nr) == nr) return &s;
  return nullptr;
}

const SyscallInfo* find_syscall(const std::string& name) {
  for (const auto& s : kTable)
    if (name == s.name) return &s;
  return nullptr;
}

std::string syscall_name(std::uint64_t nr) {
  for (const auto& n : kAllNames)
    if (static_cast<std::uint64_t>(n.nr) == nr) return n.name;
  return "syscall_" + std::to_string(nr);
}

}  // namespace gostep
