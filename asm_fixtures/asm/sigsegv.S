/* sigsegv: a SIGSEGV handler installed with rt_sigaction(SA_SIGINFO |
 * SA_RESTORER | SA_ONSTACK) on a sigaltstack, and a read of address 0.
 * Checks, in the handler: signal number 11, si_signo 11, si_code 1
 * (SEGV_MAPERR), si_addr 0; the saved rip is the faulting instruction; the
 * handler runs on the alternate stack, and sigaltstack(NULL, &old) reports
 * SS_ONSTACK (while uc_stack.ss_flags, the interrupted state, is 0); SIGSEGV is blocked while it runs.
 * The handler moves the saved rip past the faulting load, puts 0x7eedface in
 * the saved rax and returns through rt_sigreturn (its sa_restorer).
 * Checks, after it: execution resumes after the load with rax = 0x7eedface and
 * the other registers as they were (r12, rbx), SIGSEGV is no longer blocked,
 * and the thread is off the alternate stack again.
 * Ends: exit 0, stdout "ok\n", handler_runs = 1, rax = 0 (exit_group's number
 * was loaded after), r12 = 0x1234567887654321. */
#include "linux.h"
#define ALTSIZE 65536

  .bss
  .balign 4096
altstack: .skip ALTSIZE
altstack_end:
  .globl handler_runs
  .type handler_runs, @object
handler_runs: .skip 8
  .size handler_runs, 8
sigset: .skip 8
stack_t_buf: .skip 24

  .data
  .balign 8
sigaction_buf:
  .quad handler
  .quad SA_SIGINFO | SA_RESTORER | SA_ONSTACK
  .quad restorer
  .quad 0
new_altstack:
  .quad altstack
  .long 0, 0
  .quad ALTSIZE

  .text
  .globl _start
  .type _start, @function
_start:
  lea new_altstack(%rip), %rdi
  xor %esi, %esi
  SYS SYS_sigaltstack
  EXPECT_EQ $0, %rax, 2
  mov $SIGSEGV, %edi
  lea sigaction_buf(%rip), %rsi
  xor %edx, %edx
  mov $8, %r10d
  SYS SYS_rt_sigaction
  EXPECT_EQ $0, %rax, 3

  movabs $0x1234567887654321, %r12
  mov $0x55, %ebx
  xor %ecx, %ecx
  mov $1, %eax
  .globl fault_insn
fault_insn:
  mov (%rcx), %rax                   /* reads address 0 */
  .globl after_fault
after_fault:
  EXPECT_EQ $0x7eedface, %rax, 4
  EXPECT_MEM_EQ $1, handler_runs(%rip), 5
  EXPECT_EQ $0x55, %rbx, 6
  movabs $0x1234567887654321, %rax
  EXPECT_EQ %rax, %r12, 7

  /* SIGSEGV unblocked again (the frame's mask was restored). */
  mov $SIG_BLOCK, %edi
  xor %esi, %esi
  lea sigset(%rip), %rdx
  mov $8, %r10d
  SYS SYS_rt_sigprocmask
  EXPECT_EQ $0, %rax, 8
  testq $(1 << (SIGSEGV - 1)), sigset(%rip)
  jnz fail_mask
  /* Off the alternate stack: ss_flags 0. */
  xor %edi, %edi
  lea stack_t_buf(%rip), %rsi
  SYS SYS_sigaltstack
  EXPECT_EQ $0, %rax, 9
  movl stack_t_buf+8(%rip), %eax
  EXPECT_EQ $0, %rax, 10
  xor %eax, %eax
  EXIT_OK
fail_mask: DIE 11
  .size _start, . - _start

/* handler(sig, info, uc). Failures exit_group with 20 and up. */
  .type handler, @function
handler:
  EXPECT_EQ $SIGSEGV, %rdi, 20
  movl (%rsi), %eax
  EXPECT_EQ $SIGSEGV, %rax, 21
  movslq 8(%rsi), %rax
  EXPECT_EQ $1, %rax, 22
  mov 16(%rsi), %rax
  EXPECT_EQ $0, %rax, 23
  lea fault_insn(%rip), %rax
  EXPECT_EQ %rax, UC_RIP(%rdx), 24
  /* On the alternate stack. */
  lea altstack(%rip), %rax
  cmp %rax, %rsp
  jb fail_altstack
  lea altstack_end(%rip), %rax
  cmp %rax, %rsp
  ja fail_altstack
  movl UC_STACK_FLAGS(%rdx), %eax     /* uc_stack describes the interrupted code: not on it */
  EXPECT_EQ $0, %rax, 25
  mov %rdx, %r15                     /* keep uc across the calls */
  xor %edi, %edi
  lea stack_t_buf(%rip), %rsi
  SYS SYS_sigaltstack
  EXPECT_EQ $0, %rax, 26
  movl stack_t_buf+8(%rip), %eax
  EXPECT_EQ $SS_ONSTACK, %rax, 27
  /* SIGSEGV is blocked while the handler runs. */
  mov $SIG_BLOCK, %edi
  xor %esi, %esi
  lea sigset(%rip), %rdx
  mov $8, %r10d
  SYS SYS_rt_sigprocmask
  testq $(1 << (SIGSEGV - 1)), sigset(%rip)
  jz fail_blocked
  incq handler_runs(%rip)
  lea after_fault(%rip), %rax
  mov %rax, UC_RIP(%r15)
  movq $0x7eedface, UC_RAX(%r15)
  ret                                /* into restorer */
fail_altstack: DIE 28
fail_blocked: DIE 29
  .size handler, . - handler

  .type restorer, @function
restorer:
  mov $SYS_rt_sigreturn, %eax
  syscall
  hlt
  .size restorer, . - restorer
