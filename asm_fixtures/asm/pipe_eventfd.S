/* pipe_eventfd: the io family inside the guest.
 * Checks: pipe2(O_NONBLOCK|O_CLOEXEC) gives two descriptors above 2; three
 * bytes written come back in order; reading the empty pipe gives -EAGAIN;
 * F_GETFL shows O_NONBLOCK; after the write end is closed, read gives 0 (EOF);
 * eventfd2(3): writing 5 then reading gives the sum 8 and resets it, so the
 * next read gives -EAGAIN (O_NONBLOCK); closing a closed descriptor gives
 * -EBADF; opening a path that does not exist gives -ENOENT.
 * Ends: exit 0, stdout "ok\n", r12 = the pipe's read end, r13 = the eventfd
 * (both still open), r14 = 8 (the eventfd sum). */
#include "linux.h"

  .bss
  .balign 8
fds: .skip 8
buf: .skip 16

  .section .rodata
abc: .ascii "abc"
missing: .asciz "/dev/nonexistent-gostep-fixture"
five: .quad 5

  .text
  .globl _start
  .type _start, @function
_start:
  lea fds(%rip), %rdi
  mov $(O_NONBLOCK | O_CLOEXEC), %esi
  SYS SYS_pipe2
  EXPECT_EQ $0, %rax, 2
  movslq fds(%rip), %r12
  movslq fds+4(%rip), %rbx
  cmp $2, %r12
  jle fail_fd
  cmp %r12, %rbx
  jle fail_fd

  mov %rbx, %rdi
  lea abc(%rip), %rsi
  mov $3, %edx
  SYS SYS_write
  EXPECT_EQ $3, %rax, 3
  mov %r12, %rdi
  lea buf(%rip), %rsi
  mov $16, %edx
  SYS SYS_read
  EXPECT_EQ $3, %rax, 4
  movl buf(%rip), %eax
  and $0xffffff, %eax
  EXPECT_EQ $0x636261, %rax, 5       /* "abc" */

  mov %r12, %rdi
  lea buf(%rip), %rsi
  mov $16, %edx
  SYS SYS_read
  EXPECT_EQ $-EAGAIN, %rax, 6

  mov %r12, %rdi
  mov $F_GETFL, %esi
  SYS SYS_fcntl
  test $O_NONBLOCK, %eax
  jz fail_flags

  mov %rbx, %rdi
  SYS SYS_close
  EXPECT_EQ $0, %rax, 7
  mov %r12, %rdi
  lea buf(%rip), %rsi
  mov $16, %edx
  SYS SYS_read
  EXPECT_EQ $0, %rax, 8
  mov %rbx, %rdi
  SYS SYS_close
  EXPECT_EQ $-EBADF, %rax, 9

  mov $3, %edi
  mov $O_NONBLOCK, %esi
  SYS SYS_eventfd2
  cmp $0, %rax
  jl fail_fd
  mov %rax, %r13
  mov %r13, %rdi
  lea five(%rip), %rsi
  mov $8, %edx
  SYS SYS_write
  EXPECT_EQ $8, %rax, 10
  mov %r13, %rdi
  lea buf(%rip), %rsi
  mov $8, %edx
  SYS SYS_read
  EXPECT_EQ $8, %rax, 11
  mov buf(%rip), %r14
  EXPECT_EQ $8, %r14, 12
  mov %r13, %rdi
  lea buf(%rip), %rsi
  mov $8, %edx
  SYS SYS_read
  EXPECT_EQ $-EAGAIN, %rax, 13

  mov $AT_FDCWD, %rdi
  lea missing(%rip), %rsi
  xor %edx, %edx
  xor %r10d, %r10d
  SYS SYS_openat
  EXPECT_EQ $-ENOENT, %rax, 14
  EXIT_OK
fail_fd: DIE 15
fail_flags: DIE 16
  .size _start, . - _start
