/* pipe_block: blocking pipes between threads, and SA_RESTART.
 * Checks: a thread blocked in read() of an empty pipe is interrupted by
 * SIGUSR1, whose handler has SA_RESTART: the handler runs and the read goes
 * on, returning the 3 bytes written later; with SIGUSR2 (no SA_RESTART) the
 * read returns -EINTR instead; a blocking 10-byte write to a full pipe
 * (65536 bytes, filled through a non-blocking write end) waits until a read
 * makes room, then returns 10; with SIGPIPE ignored, writing to a pipe whose
 * read end is closed gives -EPIPE.
 * Ends: exit 0, stdout "ok\n", r12 = the restarted read's result (3), r13 =
 * the interrupted read's (-EINTR), r14 = the blocking write's (10), r15 = the
 * bytes the full pipe held (65536). */
#include "linux.h"
#define NOT_DONE 0x7777

  .section .rodata
abc: .ascii "abc"
delay:  .quad 0, 50000000              /* 50 ms: long enough for the child to block natively */
act_restart:
  .quad handler
  .quad SA_RESTORER | SA_RESTART
  .quad restorer
  .quad 0
act_plain:
  .quad handler
  .quad SA_RESTORER
  .quad restorer
  .quad 0
act_ignore:
  .quad 1                               /* SIG_IGN */
  .quad SA_RESTORER
  .quad restorer
  .quad 0

  .bss
  .balign 4096
stack: .skip 65536
stack_top:
fds: .skip 8
child_tid: .skip 4
  .balign 8
handled: .skip 8
result: .skip 8
buf: .skip 4096

  .text
  .globl _start
  .type _start, @function
_start:
  lea fds(%rip), %rdi
  xor %esi, %esi
  SYS SYS_pipe2
  EXPECT_EQ $0, %rax, 2
  mov $SIGUSR1, %edi
  lea act_restart(%rip), %rsi
  xor %edx, %edx
  mov $8, %r10d
  SYS SYS_rt_sigaction
  EXPECT_EQ $0, %rax, 3
  mov $SIGUSR2, %edi
  lea act_plain(%rip), %rsi
  xor %edx, %edx
  mov $8, %r10d
  SYS SYS_rt_sigaction

  /* 1: SA_RESTART. */
  lea child_read(%rip), %r15
  call spawn
  call pause
  mov $SIGUSR1, %edx
  call signal_child
  call pause
  EXPECT_MEM_EQ $1, handled(%rip), 4
  EXPECT_MEM_EQ $NOT_DONE, result(%rip), 5   /* restarted: still waiting */
  movslq fds+4(%rip), %rdi
  lea abc(%rip), %rsi
  mov $3, %edx
  SYS SYS_write
  call join
  mov result(%rip), %r12
  EXPECT_EQ $3, %r12, 6

  /* 2: no SA_RESTART. */
  lea child_read(%rip), %r15
  call spawn
  call pause
  mov $SIGUSR2, %edx
  call signal_child
  call join
  EXPECT_MEM_EQ $2, handled(%rip), 7
  mov result(%rip), %r13
  EXPECT_EQ $-EINTR, %r13, 8

  /* 3: a blocking write to a full pipe. */
  movslq fds+4(%rip), %rdi
  mov $F_SETFL, %esi
  mov $O_NONBLOCK, %edx
  SYS SYS_fcntl
  xor %r15d, %r15d
fill:
  movslq fds+4(%rip), %rdi
  lea buf(%rip), %rsi
  mov $4096, %edx
  SYS SYS_write
  cmp $-EAGAIN, %rax
  je full
  test %rax, %rax
  jle fail_fill
  add %rax, %r15
  jmp fill
full:
  EXPECT_EQ $65536, %r15, 9
  movslq fds+4(%rip), %rdi
  mov $F_SETFL, %esi
  xor %edx, %edx
  SYS SYS_fcntl
  push %r15
  lea child_write(%rip), %r15
  call spawn
  pop %r15
  call pause
  EXPECT_MEM_EQ $NOT_DONE, result(%rip), 10
  movslq fds(%rip), %rdi
  lea buf(%rip), %rsi
  mov $4096, %edx
  SYS SYS_read
  EXPECT_EQ $4096, %rax, 11
  call join
  mov result(%rip), %r14
  EXPECT_EQ $10, %r14, 12

  /* 4: EPIPE. */
  mov $SIGPIPE, %edi
  lea act_ignore(%rip), %rsi
  xor %edx, %edx
  mov $8, %r10d
  SYS SYS_rt_sigaction
  movslq fds(%rip), %rdi
  SYS SYS_close
  movslq fds+4(%rip), %rdi
  lea abc(%rip), %rsi
  mov $1, %edx
  SYS SYS_write
  EXPECT_EQ $-EPIPE, %rax, 13
  EXIT_OK
fail_fill: DIE 20
fail_clone: DIE 21
  .size _start, . - _start

/* spawn: a thread that runs the code at r15. */
spawn:
  movq $NOT_DONE, result(%rip)
  mov $THREAD_FLAGS, %edi
  lea stack_top(%rip), %rsi
  lea child_tid(%rip), %rdx
  lea child_tid(%rip), %r10
  xor %r8d, %r8d
  SYS SYS_clone
  test %rax, %rax
  jz 1f
  js fail_clone
  ret
1:jmp *%r15

/* signal_child: tgkill(getpid(), child, edx). */
signal_child:
  push %rdx
  SYS SYS_getpid
  mov %rax, %rdi
  movl child_tid(%rip), %esi
  pop %rdx
  SYS SYS_tgkill
  ret

pause:
  lea delay(%rip), %rdi
  xor %esi, %esi
  SYS SYS_nanosleep
  ret

/* join: wait until the kernel clears child_tid. */
join:
  movl child_tid(%rip), %edx
  test %edx, %edx
  jz 1f
  lea child_tid(%rip), %rdi
  mov $FUTEX_WAIT, %esi
  xor %r10d, %r10d
  SYS SYS_futex
  jmp join
1:ret

child_read:
  movslq fds(%rip), %rdi
  lea buf(%rip), %rsi
  mov $16, %edx
  SYS SYS_read
  mov %rax, result(%rip)
  xor %edi, %edi
  SYS SYS_exit

child_write:
  movslq fds+4(%rip), %rdi
  lea buf(%rip), %rsi
  mov $10, %edx
  SYS SYS_write
  mov %rax, result(%rip)
  xor %edi, %edi
  SYS SYS_exit

handler:
  lock incq handled(%rip)
  ret

restorer:
  mov $SYS_rt_sigreturn, %eax
  syscall
  hlt
