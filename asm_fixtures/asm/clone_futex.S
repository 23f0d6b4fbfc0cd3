/* clone_futex: a second thread made with clone (CLONE_VM|CLONE_FS|CLONE_FILES|
 * CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_PARENT_SETTID|
 * CLONE_CHILD_CLEARTID) on its own stack, and a FUTEX_WAIT/FUTEX_WAKE
 * ping-pong of ROUNDS rounds on the word `turn` (0: main's turn, 1: the
 * child's): each side sleeps in FUTEX_WAIT until the other hands over.
 * Checks: clone returns the child's tid (CLONE_PARENT_SETTID also stores it at child_tid), the child
 * starts on its own stack with rax = 0 and a tid different from the parent's;
 * every round sees the count the other side left; on exit the kernel clears
 * child_tid and wakes the main thread waiting on it. Also sched_getaffinity
 * returns a positive multiple of 8 (8 under gostep) and a non-empty mask.
 * Ends: exit 0, stdout "ok\n", two threads (the child exited), counter = 10
 * (2 * ROUNDS), r12 = the child's tid, r13 = main's tid, r14 = the CPU mask, r15 = sched_getaffinity's result. */
#include "linux.h"
#define ROUNDS 5

  .bss
  .balign 4096
child_stack: .skip 65536
child_stack_top:
  .globl turn, counter, child_tid, child_seen_tid, child_rsp
  .type turn, @object
turn: .skip 4
  .size turn, 4
  .type counter, @object
counter: .skip 4
  .size counter, 4
  .type child_tid, @object
child_tid: .skip 4
  .size child_tid, 4
  .type child_seen_tid, @object
child_seen_tid: .skip 8
  .size child_seen_tid, 8
child_rsp: .skip 8
cpu_mask: .skip 128

  .text
  .globl _start
  .type _start, @function
_start:
  xor %edi, %edi
  mov $128, %esi
  lea cpu_mask(%rip), %rdx
  SYS SYS_sched_getaffinity
  mov %rax, %r15
  test $7, %eax                     /* natively the kernel mask size: a multiple of 8 */
  jnz fail_mask
  test %rax, %rax
  jle fail_mask
  mov cpu_mask(%rip), %r14
  test %r14, %r14
  jz fail_mask
  SYS SYS_gettid
  mov %rax, %r13

  mov $THREAD_FLAGS, %edi
  lea child_stack_top(%rip), %rsi
  lea child_tid(%rip), %rdx          /* parent_tid and child_tid: one word, as glibc passes them */
  lea child_tid(%rip), %r10
  xor %r8d, %r8d
  SYS SYS_clone
  test %rax, %rax
  jz child
  js fail_clone
  mov %rax, %r12
  movl child_tid(%rip), %ecx         /* the child cannot exit before round 0 */
  EXPECT_EQ %rcx, %r12, 4
  cmp %r12, %r13
  je fail_same_tid

  xor %ebx, %ebx                   /* round */
main_round:
  movl counter(%rip), %eax
  lea (%rbx,%rbx), %ecx
  EXPECT_EQ %rcx, %rax, 5          /* counter == 2 * round */
  incl counter(%rip)
  movl $1, turn(%rip)
  lea turn(%rip), %rdi
  mov $FUTEX_WAKE, %esi
  mov $1, %edx
  SYS SYS_futex
main_wait:
  cmpl $1, turn(%rip)
  jne main_turn
  lea turn(%rip), %rdi
  mov $FUTEX_WAIT, %esi
  mov $1, %edx
  xor %r10d, %r10d
  SYS SYS_futex
  jmp main_wait
main_turn:
  inc %ebx
  cmp $ROUNDS, %ebx
  jne main_round

  /* Wait for the child to exit: the kernel clears child_tid and wakes us. */
join:
  movl child_tid(%rip), %edx
  test %edx, %edx
  jz joined
  lea child_tid(%rip), %rdi
  mov $FUTEX_WAIT, %esi
  xor %r10d, %r10d
  SYS SYS_futex
  jmp join
joined:
  movl counter(%rip), %eax
  EXPECT_EQ $(2 * ROUNDS), %rax, 6
  mov child_seen_tid(%rip), %rax
  EXPECT_EQ %r12, %rax, 7
  /* The child ran on its own stack. */
  mov child_rsp(%rip), %rax
  lea child_stack(%rip), %rcx
  cmp %rcx, %rax
  jb fail_stack
  lea child_stack_top(%rip), %rcx
  cmp %rcx, %rax
  ja fail_stack
  EXIT_OK
fail_clone: DIE 8
fail_same_tid: DIE 9
fail_stack: DIE 10
fail_mask: DIE 3
  .size _start, . - _start

  .type child, @function
child:
  mov %rsp, child_rsp(%rip)
  SYS SYS_gettid
  mov %rax, child_seen_tid(%rip)
  xor %ebx, %ebx
child_wait:
  cmpl $0, turn(%rip)
  jne child_turn
  lea turn(%rip), %rdi
  mov $FUTEX_WAIT, %esi
  xor %edx, %edx
  xor %r10d, %r10d
  SYS SYS_futex
  jmp child_wait
child_turn:
  movl counter(%rip), %eax
  lea 1(%rbx,%rbx), %ecx
  EXPECT_EQ %rcx, %rax, 11         /* counter == 2 * round + 1 */
  incl counter(%rip)
  movl $0, turn(%rip)
  lea turn(%rip), %rdi
  mov $FUTEX_WAKE, %esi
  mov $1, %edx
  SYS SYS_futex
  inc %ebx
  cmp $ROUNDS, %ebx
  jne child_wait
  xor %edi, %edi
  SYS SYS_exit
  hlt
  .size child, . - child
