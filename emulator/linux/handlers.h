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
GOSTEP_SYSCALL(read); GOSTEP_SYSCALL(write); GOSTEP_SYSCALL(openat); GOSTEP_SYSCALL(open);
GOSTEP_SYSCALL(close); GOSTEP_SYSCALL(fcntl); GOSTEP_SYSCALL(readlinkat); GOSTEP_SYSCALL(pipe2);
GOSTEP_SYSCALL(eventfd2); GOSTEP_SYSCALL(copy_file_range);
// epoll.cpp
GOSTEP_SYSCALL(epoll_create1); GOSTEP_SYSCALL(epoll_ctl); GOSTEP_SYSCALL(epoll_pwait);
// utsname.cpp
GOSTEP_SYSCALL(uname);
// resource.cpp
GOSTEP_SYSCALL(getrlimit); GOSTEP_SYSCALL(setrlimit); GOSTEP_SYSCALL(prlimit64);
// random.cpp
GOSTEP_SYSCALL(getrandom);

}  // namespace gostep::linux_abi
