/* ioctl_ids: terminals' ioctl on what is not a terminal, descriptor flags
 * by ioctl, and the identity and system-figure calls.
 * Checks: TCGETS on a pipe and on stdout (a pipe in the tests) gives -ENOTTY,
 * as does an unknown request; FIONBIO sets and clears O_NONBLOCK; FIOCLEX and
 * FIONCLEX set and clear close-on-exec; FIONREAD counts the bytes in a pipe;
 * getuid == geteuid, getgid == getegid, getresuid's three ids equal getuid;
 * getgroups(0, NULL), getppid, getpgrp and getsid(0) are >= 0 (Linux gives 0
 * when the parent, group or session leader lives outside the caller's PID
 * namespace, as in a CI container; gostep's own answers are positive and
 * the e2e test checks r14);
 * sysinfo reports RAM and at least one process; times and getrusage succeed.
 * Ends: exit 0, stdout "ok\n", r12 = getuid, r13 = getgid, r14 = getppid. */
#include "linux.h"

  .section .rodata
abc: .ascii "abc"
one: .long 1
zero: .long 0

  .bss
  .balign 16
fds: .skip 8
termios: .skip 64
nread: .skip 8
ids: .skip 16
info: .skip 128
tms: .skip 32
usage: .skip 144

  .text
  .globl _start
  .type _start, @function
_start:
  lea fds(%rip), %rdi
  xor %esi, %esi
  SYS SYS_pipe2
  EXPECT_EQ $0, %rax, 2
  movslq fds(%rip), %rbx

  mov %rbx, %rdi
  mov $TCGETS, %esi
  lea termios(%rip), %rdx
  SYS SYS_ioctl
  EXPECT_EQ $-ENOTTY, %rax, 3
  mov $1, %edi
  mov $TCGETS, %esi
  lea termios(%rip), %rdx
  SYS SYS_ioctl
  EXPECT_EQ $-ENOTTY, %rax, 4
  mov %rbx, %rdi
  mov $0x5499, %esi
  xor %edx, %edx
  SYS SYS_ioctl
  EXPECT_EQ $-ENOTTY, %rax, 5

  mov %rbx, %rdi
  mov $FIONBIO, %esi
  lea one(%rip), %rdx
  SYS SYS_ioctl
  EXPECT_EQ $0, %rax, 6
  mov %rbx, %rdi
  mov $F_GETFL, %esi
  SYS SYS_fcntl
  test $O_NONBLOCK, %eax
  jz fail_nonblock
  mov %rbx, %rdi
  mov $FIONBIO, %esi
  lea zero(%rip), %rdx
  SYS SYS_ioctl
  mov %rbx, %rdi
  mov $F_GETFL, %esi
  SYS SYS_fcntl
  test $O_NONBLOCK, %eax
  jnz fail_nonblock

  mov %rbx, %rdi
  mov $FIOCLEX, %esi
  SYS SYS_ioctl
  EXPECT_EQ $0, %rax, 7
  mov %rbx, %rdi
  mov $F_GETFD, %esi
  SYS SYS_fcntl
  EXPECT_EQ $FD_CLOEXEC, %rax, 8
  mov %rbx, %rdi
  mov $FIONCLEX, %esi
  SYS SYS_ioctl
  mov %rbx, %rdi
  mov $F_GETFD, %esi
  SYS SYS_fcntl
  EXPECT_EQ $0, %rax, 9

  movslq fds+4(%rip), %rdi
  lea abc(%rip), %rsi
  mov $3, %edx
  SYS SYS_write
  mov %rbx, %rdi
  mov $FIONREAD, %esi
  lea nread(%rip), %rdx
  SYS SYS_ioctl
  EXPECT_EQ $0, %rax, 10
  movl nread(%rip), %eax
  EXPECT_EQ $3, %rax, 11

  SYS SYS_getuid
  mov %rax, %r12
  SYS SYS_geteuid
  EXPECT_EQ %r12, %rax, 12
  SYS SYS_getgid
  mov %rax, %r13
  SYS SYS_getegid
  EXPECT_EQ %r13, %rax, 13
  lea ids(%rip), %rdi
  lea ids+4(%rip), %rsi
  lea ids+8(%rip), %rdx
  SYS SYS_getresuid
  EXPECT_EQ $0, %rax, 14
  movl ids(%rip), %eax
  EXPECT_EQ %r12, %rax, 15
  movl ids+8(%rip), %eax
  EXPECT_EQ %r12, %rax, 16
  xor %edi, %edi
  xor %esi, %esi
  SYS SYS_getgroups
  test %rax, %rax
  js fail_ids
  SYS SYS_getppid
  mov %rax, %r14
  test %rax, %rax
  js fail_ids
  SYS SYS_getpgrp
  test %rax, %rax
  js fail_ids
  xor %edi, %edi
  SYS SYS_getsid
  test %rax, %rax
  js fail_ids

  lea info(%rip), %rdi
  SYS SYS_sysinfo
  EXPECT_EQ $0, %rax, 17
  cmpq $0, info+32(%rip)              /* totalram */
  je fail_sysinfo
  cmpw $0, info+80(%rip)              /* procs */
  je fail_sysinfo
  lea tms(%rip), %rdi
  SYS SYS_times
  test %rax, %rax
  js fail_sysinfo
  xor %edi, %edi                      /* RUSAGE_SELF */
  lea usage(%rip), %rsi
  SYS SYS_getrusage
  EXPECT_EQ $0, %rax, 18
  EXIT_OK
fail_nonblock: DIE 30
fail_ids: DIE 31
fail_sysinfo: DIE 32
  .size _start, . - _start
