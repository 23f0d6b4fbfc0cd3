#include "syscall_table.h"

#include <string_view>

#include "handlers.h"

namespace gostep {
namespace {

using namespace linux_abi;

// Numbers from arch/x86/entry/syscalls/syscall_64.tbl.
constexpr SyscallInfo kTable[] = {
    {0, "read", {"fd", "buf", "count"}, "Read from a descriptor; a blocking read of an empty pipe, eventfd or stdin blocks only its thread", "io", sys_read},
    {1, "write", {"fd", "buf", "count"}, "Write to a descriptor; a blocking write to a full pipe blocks only its thread", "io", sys_write},
    {2, "open", {"path", "flags", "mode"}, "Open or create a file of the guest's file system", "fcntl", sys_open},
    {3, "close", {"fd"}, "Close a file descriptor", "io", sys_close},
    {4, "stat", {"path", "statbuf"}, "File status, following a final symbolic link", "stat", sys_stat},
    {5, "fstat", {"fd", "statbuf"}, "File status of an open descriptor", "stat", sys_fstat},
    {6, "lstat", {"path", "statbuf"}, "File status of the link itself", "stat", sys_lstat},
    {8, "lseek", {"fd", "offset", "whence"}, "Move a file's offset (SEEK_SET/CUR/END/DATA/HOLE)", "unistd_file", sys_lseek},
    {9, "mmap", {"addr", "length", "prot", "flags", "fd", "offset"}, "Map anonymous memory (a hint is honoured when free; MAP_FIXED replaces)", "mman", sys_mmap},
    {10, "mprotect", {"addr", "length", "prot"}, "Change the protection of mapped pages", "mman", sys_mprotect},
    {11, "munmap", {"addr", "length"}, "Unmap pages", "mman", sys_munmap},
    {12, "brk", {"addr"}, "Move the end of the data segment", "mman", sys_brk},
    {13, "rt_sigaction", {"sig", "act", "oldact", "sigsetsize"}, "Install or query a signal handler", "signal", sys_rt_sigaction},
    {14, "rt_sigprocmask", {"how", "set", "oldset", "sigsetsize"}, "Block or unblock signals for the calling thread", "signal", sys_rt_sigprocmask},
    {15, "rt_sigreturn", {}, "Return from a signal handler: restore the registers saved in the frame", "signal", sys_rt_sigreturn},
    {16, "ioctl", {"fd", "request", "arg"}, "Terminal settings and size of gostep's own streams in `run` (ENOTTY otherwise), FIONBIO, FIOCLEX, FIONCLEX, FIONREAD", "ioctl", sys_ioctl},
    {17, "pread64", {"fd", "buf", "count", "offset"}, "Read at an offset", "uio", sys_pread64},
    {18, "pwrite64", {"fd", "buf", "count", "offset"}, "Write at an offset", "uio", sys_pwrite64},
    {19, "readv", {"fd", "iov", "iovcnt"}, "Read into several buffers", "uio", sys_readv},
    {20, "writev", {"fd", "iov", "iovcnt"}, "Write from several buffers", "uio", sys_writev},
    {21, "access", {"path", "mode"}, "Check the guest user's permission to a file", "unistd_path", sys_access},
    {22, "pipe", {"fds"}, "Create a pipe inside the guest", "io", sys_pipe},
    {24, "sched_yield", {}, "Give the CPU to the next runnable thread", "sched", sys_sched_yield},
    {28, "madvise", {"addr", "length", "advice"}, "Advise on memory use (MADV_DONTNEED zeroes pages)", "mman", sys_madvise},
    {32, "dup", {"oldfd"}, "Another descriptor for the same open file", "fcntl", sys_dup},
    {33, "dup2", {"oldfd", "newfd"}, "Make newfd refer to oldfd's open file", "fcntl", sys_dup2},
    {35, "nanosleep", {"req", "rem"}, "Sleep on the virtual clock", "time", sys_nanosleep},
    {39, "getpid", {}, "Process id (deterministic: 1000)", "sched", sys_getpid},
    {40, "sendfile", {"out_fd", "in_fd", "offset", "count"}, "Copy from a file of the guest's file system to any descriptor", "sendfile", sys_sendfile},
    {56, "clone", {"flags", "stack", "parent_tid", "child_tid", "tls"}, "Create a thread: new registers and FS base, same memory", "sched", sys_clone},
    {60, "exit", {"status"}, "End the calling thread", "sched", sys_exit},
    {62, "kill", {"pid", "sig"}, "Send a signal to the process", "signal", sys_kill},
    {63, "uname", {"buf"}, "System name and version (fixed)", "utsname", sys_uname},
    {72, "fcntl", {"fd", "cmd", "arg"}, "Descriptor and status flags, F_DUPFD with its minimum, locks (always granted)", "fcntl", sys_fcntl},
    {74, "fsync", {"fd"}, "Flush a file (nothing to do; EINVAL for pipes and terminals)", "unistd_file", sys_fsync},
    {75, "fdatasync", {"fd"}, "Flush a file's data (as fsync)", "unistd_file", sys_fdatasync},
    {76, "truncate", {"path", "length"}, "Set a file's size by name", "unistd_file", sys_truncate},
    {77, "ftruncate", {"fd", "length"}, "Set an open file's size", "unistd_file", sys_ftruncate},
    {79, "getcwd", {"buf", "size"}, "The working directory's path", "unistd_path", sys_getcwd},
    {80, "chdir", {"path"}, "Change the working directory", "unistd_path", sys_chdir},
    {81, "fchdir", {"fd"}, "Change the working directory to an open directory", "unistd_path", sys_fchdir},
    {82, "rename", {"oldpath", "newpath"}, "Rename a file or directory", "stdio", sys_rename},
    {83, "mkdir", {"path", "mode"}, "Make a directory", "stat", sys_mkdir},
    {84, "rmdir", {"path"}, "Remove an empty directory", "unistd_path", sys_rmdir},
    {85, "creat", {"path", "mode"}, "Create or truncate a file for writing", "fcntl", sys_creat},
    {86, "link", {"oldpath", "newpath"}, "Make a hard link", "unistd_path", sys_link},
    {87, "unlink", {"path"}, "Remove a name", "unistd_path", sys_unlink},
    {88, "symlink", {"target", "linkpath"}, "Make a symbolic link", "unistd_path", sys_symlink},
    {89, "readlink", {"path", "buf", "size"}, "Read a symbolic link (/proc/self/exe is argv[0])", "unistd_path", sys_readlink},
    {90, "chmod", {"path", "mode"}, "Change permission bits", "stat", sys_chmod},
    {91, "fchmod", {"fd", "mode"}, "Change an open file's permission bits", "stat", sys_fchmod},
    {92, "chown", {"path", "uid", "gid"}, "Change owner (only to the guest's own user and group; never on the host)", "unistd_file", sys_chown},
    {93, "fchown", {"fd", "uid", "gid"}, "Change an open file's owner (as chown)", "unistd_file", sys_fchown},
    {94, "lchown", {"path", "uid", "gid"}, "Change a link's owner (as chown)", "unistd_file", sys_lchown},
    {95, "umask", {"mask"}, "Set the file mode creation mask", "stat", sys_umask},
    {97, "getrlimit", {"resource", "rlim"}, "Get a resource limit", "resource", sys_getrlimit},
    {98, "getrusage", {"who", "usage"}, "Resource use: user time is the virtual time of the instructions executed", "resource", sys_getrusage},
    {99, "sysinfo", {"info"}, "System figures: uptime from the virtual clock, a fixed 4 GiB machine", "sysinfo", sys_sysinfo},
    {100, "times", {"buf"}, "Process times in clock ticks, from the virtual clock", "sysinfo", sys_times},
    {102, "getuid", {}, "User id of the guest's one user (1000)", "identity", sys_getuid},
    {104, "getgid", {}, "Group id of the guest's one user (1000)", "identity", sys_getgid},
    {107, "geteuid", {}, "Effective user id (1000)", "identity", sys_geteuid},
    {108, "getegid", {}, "Effective group id (1000)", "identity", sys_getegid},
    {110, "getppid", {}, "Parent process id (1)", "identity", sys_getppid},
    {111, "getpgrp", {}, "Process group (the process's own)", "identity", sys_getpgrp},
    {112, "setsid", {}, "New session: EPERM, the process already leads its group", "identity", sys_setsid},
    {115, "getgroups", {"size", "list"}, "Supplementary groups: the user's one group", "identity", sys_getgroups},
    {118, "getresuid", {"ruid", "euid", "suid"}, "Real, effective and saved user ids", "identity", sys_getresuid},
    {120, "getresgid", {"rgid", "egid", "sgid"}, "Real, effective and saved group ids", "identity", sys_getresgid},
    {121, "getpgid", {"pid"}, "Process group of a process", "identity", sys_getpgid},
    {124, "getsid", {"pid"}, "Session of a process", "identity", sys_getsid},
    {131, "sigaltstack", {"ss", "old_ss"}, "Set or query the alternate signal stack", "signal", sys_sigaltstack},
    {157, "prctl", {"option", "arg2", "arg3", "arg4", "arg5"}, "Process control (PR_SET_NAME and friends are accepted)", "prctl", sys_prctl},
    {158, "arch_prctl", {"code", "addr"}, "Set or get the FS/GS base: ARCH_SET_FS points %fs at the TLS block", "prctl", sys_arch_prctl},
    {160, "setrlimit", {"resource", "rlim"}, "Set a resource limit (lowering only; Go raises NOFILE's soft limit)", "resource", sys_setrlimit},
    {186, "gettid", {}, "Thread id of the calling thread", "sched", sys_gettid},
    {202, "futex", {"uaddr", "op", "val", "timeout", "uaddr2", "val3"}, "Wait on or wake a futex word (WAIT blocks, WAKE wakes in FIFO order)", "futex", sys_futex},
    {204, "sched_getaffinity", {"pid", "len", "mask"}, "CPU mask: --ncpu CPUs", "sched", sys_sched_getaffinity},
    {217, "getdents64", {"fd", "dirp", "count"}, "Read directory entries (in name order)", "dirent", sys_getdents64},
    {228, "clock_gettime", {"clock", "tp"}, "Read the virtual clock (1 ns per instruction)", "time", sys_clock_gettime},
    {230, "clock_nanosleep", {"clock", "flags", "req", "rem"}, "Sleep on the virtual clock", "time", sys_clock_nanosleep},
    {231, "exit_group", {"status"}, "End every thread of the process", "sched", sys_exit_group},
    {232, "epoll_wait", {"epfd", "events", "maxevents", "timeout"}, "Wait for events on an epoll instance", "epoll", sys_epoll_pwait},
    {233, "epoll_ctl", {"epfd", "op", "fd", "event"}, "Add, change or remove an fd of an epoll instance (EPERM for files)", "epoll", sys_epoll_ctl},
    {234, "tgkill", {"tgid", "tid", "sig"}, "Send a signal to one thread", "signal", sys_tgkill},
    {257, "openat", {"dirfd", "path", "flags", "mode"}, "Open or create a file relative to a directory descriptor", "fcntl", sys_openat},
    {258, "mkdirat", {"dirfd", "path", "mode"}, "Make a directory relative to a directory descriptor", "stat", sys_mkdirat},
    {260, "fchownat", {"dirfd", "path", "uid", "gid", "flags"}, "Change owner (as chown)", "unistd_file", sys_fchownat},
    {262, "newfstatat", {"dirfd", "path", "statbuf", "flags"}, "File status relative to a directory descriptor", "stat", sys_newfstatat},
    {263, "unlinkat", {"dirfd", "path", "flags"}, "Remove a name or (AT_REMOVEDIR) an empty directory", "unistd_path", sys_unlinkat},
    {264, "renameat", {"olddirfd", "oldpath", "newdirfd", "newpath"}, "Rename relative to directory descriptors", "stdio", sys_renameat},
    {265, "linkat", {"olddirfd", "oldpath", "newdirfd", "newpath", "flags"}, "Make a hard link relative to directory descriptors", "unistd_path", sys_linkat},
    {266, "symlinkat", {"target", "newdirfd", "linkpath"}, "Make a symbolic link relative to a directory descriptor", "unistd_path", sys_symlinkat},
    {267, "readlinkat", {"dirfd", "path", "buf", "size"}, "Read a symbolic link relative to a directory descriptor", "unistd_path", sys_readlinkat},
    {268, "fchmodat", {"dirfd", "path", "mode"}, "Change permission bits relative to a directory descriptor", "stat", sys_fchmodat},
    {269, "faccessat", {"dirfd", "path", "mode"}, "Check permission relative to a directory descriptor", "unistd_path", sys_faccessat},
    {280, "utimensat", {"dirfd", "path", "times", "flags"}, "Set file times (UTIME_NOW is the virtual clock)", "stat", sys_utimensat},
    {281, "epoll_pwait", {"epfd", "events", "maxevents", "timeout", "sigmask", "sigsetsize"}, "Wait for events on an epoll instance", "epoll", sys_epoll_pwait},
    {290, "eventfd2", {"initval", "flags"}, "Create an event counter", "io", sys_eventfd2},
    {291, "epoll_create1", {"flags"}, "Create an epoll instance", "epoll", sys_epoll_create1},
    {292, "dup3", {"oldfd", "newfd", "flags"}, "dup2 with O_CLOEXEC for the new descriptor", "fcntl", sys_dup3},
    {293, "pipe2", {"fds", "flags"}, "Create a pipe inside the guest", "io", sys_pipe2},
    {295, "preadv", {"fd", "iov", "iovcnt", "offset"}, "Read into several buffers at an offset", "uio", sys_preadv},
    {296, "pwritev", {"fd", "iov", "iovcnt", "offset"}, "Write from several buffers at an offset", "uio", sys_pwritev},
    {302, "prlimit64", {"pid", "resource", "new", "old"}, "Get and set a resource limit (as setrlimit: the hard limit can only go down)", "resource", sys_prlimit64},
    {316, "renameat2", {"olddirfd", "oldpath", "newdirfd", "newpath", "flags"}, "Rename with RENAME_NOREPLACE or RENAME_EXCHANGE", "stdio", sys_renameat2},
    {318, "getrandom", {"buf", "count", "flags"}, "Random bytes from --seed", "random", sys_getrandom},
    {326, "copy_file_range", {"fd_in", "off_in", "fd_out", "off_out", "len", "flags"}, "Copy between two files of the guest's file system; EINVAL for anything else, so Go falls back to read and write", "sendfile", sys_copy_file_range},
    {332, "statx", {"dirfd", "path", "flags", "mask", "statxbuf"}, "Extended file status (the basic fields)", "stat", sys_statx},
    {437, "openat2", {"dirfd", "path", "how", "size"}, "openat with RESOLVE_BENEATH, RESOLVE_IN_ROOT, RESOLVE_NO_SYMLINKS, RESOLVE_NO_MAGICLINKS, RESOLVE_NO_XDEV", "fcntl", sys_openat2},
    {439, "faccessat2", {"dirfd", "path", "mode", "flags"}, "Check permission, with AT_SYMLINK_NOFOLLOW and AT_EACCESS", "unistd_path", sys_faccessat2},
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
