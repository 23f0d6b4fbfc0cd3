// Handlers of the Linux layer, one file per kernel family. Each takes the
// process, the calling thread and the raw arguments, and returns a value
// (a negative errno on failure, as the kernel does) or says it blocked.
#pragma once

#include "../process.h"

namespace gostep::linux_abi {

#define GOSTEP_SYSCALL(name) SysResult sys_##name(Process& p, Thread& t, const SyscallArgs& a)
// mman.cpp
GOSTEP_SYSCALL(mmap); GOSTEP_SYSCALL(munmap); GOSTEP_SYSCALL(mprotect); GOSTEP_SYSCALL(madvise);
GOSTEP_SYSCALL(brk);
// sched.cpp
GOSTEP_SYSCALL(clone); GOSTEP_SYSCALL(sched_yield); GOSTEP_SYSCALL(sched_getaffinity);
GOSTEP_SYSCALL(gettid); GOSTEP_SYSCALL(getpid); GOSTEP_SYSCALL(exit); GOSTEP_SYSCALL(exit_group);
// futex.cpp
GOSTEP_SYSCALL(futex);
// prctl.cpp
GOSTEP_SYSCALL(arch_prctl); GOSTEP_SYSCALL(prctl);
// signal.cpp
GOSTEP_SYSCALL(rt_sigaction); GOSTEP_SYSCALL(rt_sigprocmask); GOSTEP_SYSCALL(sigaltstack);
GOSTEP_SYSCALL(rt_sigreturn); GOSTEP_SYSCALL(tgkill); GOSTEP_SYSCALL(kill);
// time.cpp
GOSTEP_SYSCALL(nanosleep); GOSTEP_SYSCALL(clock_gettime); GOSTEP_SYSCALL(clock_nanosleep);
// io.cpp
GOSTEP_SYSCALL(read); GOSTEP_SYSCALL(write); GOSTEP_SYSCALL(close); GOSTEP_SYSCALL(pipe2); GOSTEP_SYSCALL(pipe);
GOSTEP_SYSCALL(eventfd2);
// uio.cpp
GOSTEP_SYSCALL(readv); GOSTEP_SYSCALL(writev); GOSTEP_SYSCALL(pread64); GOSTEP_SYSCALL(pwrite64);
GOSTEP_SYSCALL(preadv); GOSTEP_SYSCALL(pwritev);
// fcntl.cpp
GOSTEP_SYSCALL(open); GOSTEP_SYSCALL(openat); GOSTEP_SYSCALL(openat2); GOSTEP_SYSCALL(creat); GOSTEP_SYSCALL(fcntl); GOSTEP_SYSCALL(dup);
GOSTEP_SYSCALL(dup2); GOSTEP_SYSCALL(dup3);
// stat.cpp
GOSTEP_SYSCALL(stat); GOSTEP_SYSCALL(fstat); GOSTEP_SYSCALL(lstat); GOSTEP_SYSCALL(newfstatat); GOSTEP_SYSCALL(statx);
GOSTEP_SYSCALL(mkdir); GOSTEP_SYSCALL(mkdirat); GOSTEP_SYSCALL(chmod); GOSTEP_SYSCALL(fchmod); GOSTEP_SYSCALL(fchmodat);
GOSTEP_SYSCALL(umask); GOSTEP_SYSCALL(utimensat);
// unistd_path.cpp
GOSTEP_SYSCALL(getcwd); GOSTEP_SYSCALL(chdir); GOSTEP_SYSCALL(fchdir); GOSTEP_SYSCALL(unlink); GOSTEP_SYSCALL(unlinkat);
GOSTEP_SYSCALL(rmdir); GOSTEP_SYSCALL(link); GOSTEP_SYSCALL(linkat); GOSTEP_SYSCALL(symlink);
GOSTEP_SYSCALL(symlinkat); GOSTEP_SYSCALL(readlink); GOSTEP_SYSCALL(readlinkat); GOSTEP_SYSCALL(access);
GOSTEP_SYSCALL(faccessat); GOSTEP_SYSCALL(faccessat2);
// unistd_file.cpp
GOSTEP_SYSCALL(lseek); GOSTEP_SYSCALL(truncate); GOSTEP_SYSCALL(ftruncate); GOSTEP_SYSCALL(fsync);
GOSTEP_SYSCALL(fdatasync); GOSTEP_SYSCALL(chown); GOSTEP_SYSCALL(fchown); GOSTEP_SYSCALL(lchown);
GOSTEP_SYSCALL(fchownat);
// dirent.cpp
GOSTEP_SYSCALL(getdents64);
// stdio.cpp
GOSTEP_SYSCALL(rename); GOSTEP_SYSCALL(renameat); GOSTEP_SYSCALL(renameat2);
// sendfile.cpp
GOSTEP_SYSCALL(sendfile); GOSTEP_SYSCALL(copy_file_range);
// ioctl.cpp
GOSTEP_SYSCALL(ioctl);
// identity.cpp
GOSTEP_SYSCALL(getuid); GOSTEP_SYSCALL(geteuid); GOSTEP_SYSCALL(getgid); GOSTEP_SYSCALL(getegid);
GOSTEP_SYSCALL(getgroups); GOSTEP_SYSCALL(getresuid); GOSTEP_SYSCALL(getresgid); GOSTEP_SYSCALL(getppid);
GOSTEP_SYSCALL(getpgrp); GOSTEP_SYSCALL(getpgid); GOSTEP_SYSCALL(getsid); GOSTEP_SYSCALL(setsid);
// sysinfo.cpp
GOSTEP_SYSCALL(sysinfo); GOSTEP_SYSCALL(times);
// epoll.cpp
GOSTEP_SYSCALL(epoll_create1); GOSTEP_SYSCALL(epoll_ctl); GOSTEP_SYSCALL(epoll_pwait);
// utsname.cpp
GOSTEP_SYSCALL(uname);
// resource.cpp
GOSTEP_SYSCALL(getrlimit); GOSTEP_SYSCALL(setrlimit); GOSTEP_SYSCALL(prlimit64); GOSTEP_SYSCALL(getrusage);
// random.cpp
GOSTEP_SYSCALL(getrandom);

}  // namespace gostep::linux_abi
