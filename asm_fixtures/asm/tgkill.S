/* tgkill: signals a thread sends itself.
 * Checks: tgkill(getpid(), gettid(), SIGUSR1) runs the SA_SIGINFO handler
 * before tgkill returns to the caller, with si_signo 10, si_code -6 (SI_TKILL)
 * and si_pid = getpid(); while SIGUSR1 is blocked with rt_sigprocmask the
 * signal stays pending and the handler runs as soon as it is unblocked;
 * SIGURG with its default action is ignored; tgkill to a thread that does not
 * exist fails with -ESRCH.
 * Ends: exit 0, stdout "ok\n", usr1_runs = 2, r12 = the pid, r13 = the tid. */
#include "linux.h"

  .bss
  .globl usr1_runs
  .type usr1_runs, @object
usr1_runs: .skip 8
  .size usr1_runs, 8
sigset: .skip 8
last_code: .skip 8
last_pid: .skip 8

  .data
  .balign 8
sigaction_buf:
  .quad handler
  .quad SA_SIGINFO | SA_RESTORER
  .quad restorer
  .quad 0
usr1_set:
  .quad 1 << (SIGUSR1 - 1)

  .text
  .globl _start
  .type _start, @function
_start:
  SYS SYS_getpid
  mov %rax, %r12
  SYS SYS_gettid
  mov %rax, %r13
  mov $SIGUSR1, %edi
  lea sigaction_buf(%rip), %rsi
  xor %edx, %edx
  mov $8, %r10d
  SYS SYS_rt_sigaction
  EXPECT_EQ $0, %rax, 2

  mov %r12, %rdi
  mov %r13, %rsi
  mov $SIGUSR1, %edx
  SYS SYS_tgkill
  EXPECT_EQ $0, %rax, 3
  EXPECT_MEM_EQ $1, usr1_runs(%rip), 4
  EXPECT_MEM_EQ $-6, last_code(%rip), 5
  EXPECT_EQ %r12, last_pid(%rip), 6

  /* Blocked: stays pending. */
  mov $SIG_BLOCK, %edi
  lea usr1_set(%rip), %rsi
  xor %edx, %edx
  mov $8, %r10d
  SYS SYS_rt_sigprocmask
  EXPECT_EQ $0, %rax, 7
  mov %r12, %rdi
  mov %r13, %rsi
  mov $SIGUSR1, %edx
  SYS SYS_tgkill
  EXPECT_EQ $0, %rax, 8
  EXPECT_MEM_EQ $1, usr1_runs(%rip), 9
  /* Unblocking delivers it. */
  mov $SIG_UNBLOCK, %edi
  lea usr1_set(%rip), %rsi
  xor %edx, %edx
  mov $8, %r10d
  SYS SYS_rt_sigprocmask
  EXPECT_EQ $0, %rax, 10
  EXPECT_MEM_EQ $2, usr1_runs(%rip), 11

  /* SIGURG, default action: ignored. */
  mov %r12, %rdi
  mov %r13, %rsi
  mov $SIGURG, %edx
  SYS SYS_tgkill
  EXPECT_EQ $0, %rax, 12

  /* No such thread. */
  mov %r12, %rdi
  mov $0x3fffffff, %esi
  mov $SIGUSR1, %edx
  SYS SYS_tgkill
  EXPECT_EQ $-ESRCH, %rax, 13
  EXPECT_MEM_EQ $2, usr1_runs(%rip), 14
  EXIT_OK
  .size _start, . - _start

  .type handler, @function
handler:
  EXPECT_EQ $SIGUSR1, %rdi, 20
  movl (%rsi), %eax
  EXPECT_EQ $SIGUSR1, %rax, 21
  movslq 8(%rsi), %rax
  mov %rax, last_code(%rip)
  movl 16(%rsi), %eax
  mov %rax, last_pid(%rip)
  incq usr1_runs(%rip)
  ret
  .size handler, . - handler

  .type restorer, @function
restorer:
  mov $SYS_rt_sigreturn, %eax
  syscall
  hlt
  .size restorer, . - restorer
