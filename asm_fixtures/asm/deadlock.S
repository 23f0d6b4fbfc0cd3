/* deadlock: two threads each FUTEX_WAIT on a word nobody will change or wake
 * (the main thread on word_a, a clone'd thread on word_b). gostep sees every
 * thread blocked with no deadline and stops with exit status 124 and a report
 * listing both threads and their futex words. Natively it would hang.
 * Ends: StopKind deadlock, two threads, both blocked in futex wait. */
#include "linux.h"

  .bss
  .balign 4096
child_stack: .skip 16384
child_stack_top:
  .globl word_a, word_b
  .type word_a, @object
word_a: .skip 4
  .size word_a, 4
  .type word_b, @object
word_b: .skip 4
  .size word_b, 4
tids: .skip 8

  .text
  .globl _start
  .type _start, @function
_start:
  mov $THREAD_FLAGS, %edi
  lea child_stack_top(%rip), %rsi
  lea tids+4(%rip), %rdx             /* parent_tid and child_tid: one word, as glibc passes them */
  lea tids+4(%rip), %r10
  xor %r8d, %r8d
  SYS SYS_clone
  test %rax, %rax
  jz child
  js fail
  lea word_a(%rip), %rdi
  call wait_forever
fail:
  DIE 2
  .size _start, . - _start

  .type child, @function
child:
  lea word_b(%rip), %rdi
  call wait_forever
  DIE 3
  .size child, . - child

  .globl wait_forever
  .type wait_forever, @function
wait_forever:
  mov $FUTEX_WAIT, %esi
  xor %edx, %edx
  xor %r10d, %r10d
  SYS SYS_futex
  jmp wait_forever
  .size wait_forever, . - wait_forever
