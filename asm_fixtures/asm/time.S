/* time: clocks and timeouts.
 * Checks: CLOCK_MONOTONIC never goes back; nanosleep(2 ms) returns 0 and at
 * least 2 ms pass; clock_nanosleep(CLOCK_MONOTONIC, relative 1 ms) returns 0
 * and at least 1 ms passes; FUTEX_WAIT with a 3 ms timeout on a word nobody
 * wakes returns -ETIMEDOUT after at least 3 ms; epoll_pwait with a 4 ms
 * timeout and nothing to report returns 0 after at least 4 ms;
 * CLOCK_REALTIME is after 2009-11-10 23:00:00 UTC (1257894000).
 * Ends: exit 0, stdout "ok\n", r12 = CLOCK_REALTIME seconds, r13 = the
 * monotonic ns elapsed over all the waits (at least 10 ms). */
#include "linux.h"
#define MS 1000000

  .bss
  .balign 8
  .type ts, @object
  .size ts, 16
ts: .skip 16
futex_word: .skip 4
  .balign 8
events: .skip 24

  .data
  .balign 8
two_ms: .quad 0, 2 * MS
one_ms: .quad 0, 1 * MS
three_ms: .quad 0, 3 * MS

  .text
  .globl _start
  .type _start, @function
_start:
  call mono_ns
  mov %rax, %r14                     /* start */

  mov %rax, %rbx
  lea two_ms(%rip), %rdi
  xor %esi, %esi
  SYS SYS_nanosleep
  EXPECT_EQ $0, %rax, 2
  call mono_ns
  sub %rbx, %rax
  cmp $(2 * MS), %rax
  jl fail_short

  call mono_ns
  mov %rax, %rbx
  mov $CLOCK_MONOTONIC, %edi
  xor %esi, %esi
  lea one_ms(%rip), %rdx
  xor %r10d, %r10d
  SYS SYS_clock_nanosleep
  EXPECT_EQ $0, %rax, 3
  call mono_ns
  sub %rbx, %rax
  cmp $(1 * MS), %rax
  jl fail_short

  call mono_ns
  mov %rax, %rbx
  lea futex_word(%rip), %rdi
  mov $(FUTEX_WAIT | FUTEX_PRIVATE), %esi
  xor %edx, %edx
  lea three_ms(%rip), %r10
  SYS SYS_futex
  EXPECT_EQ $-ETIMEDOUT, %rax, 4
  call mono_ns
  sub %rbx, %rax
  cmp $(3 * MS), %rax
  jl fail_short

  mov $0, %edi
  SYS SYS_epoll_create1
  cmp $0, %rax
  jl fail_epoll
  mov %rax, %r15
  call mono_ns
  mov %rax, %rbx
  mov %r15, %rdi
  lea events(%rip), %rsi
  mov $1, %edx
  mov $4, %r10d
  xor %r8d, %r8d
  xor %r9d, %r9d
  SYS SYS_epoll_pwait
  EXPECT_EQ $0, %rax, 5
  call mono_ns
  sub %rbx, %rax
  cmp $(4 * MS), %rax
  jl fail_short

  call mono_ns
  sub %r14, %rax
  mov %rax, %r13
  cmp %rbx, %r14                     /* monotonic: start <= later reading */
  jg fail_back

  mov $CLOCK_REALTIME, %edi
  lea ts(%rip), %rsi
  SYS SYS_clock_gettime
  EXPECT_EQ $0, %rax, 6
  mov ts(%rip), %r12
  cmp $1257894000, %r12
  jl fail_realtime
  EXIT_OK
fail_short: DIE 7
fail_epoll: DIE 8
fail_back: DIE 9
fail_realtime: DIE 10
  .size _start, . - _start

/* CLOCK_MONOTONIC in ns, in rax. */
  .type mono_ns, @function
mono_ns:
  mov $CLOCK_MONOTONIC, %edi
  lea ts(%rip), %rsi
  SYS SYS_clock_gettime
  test %rax, %rax
  jnz fail_gettime
  imul $1000000000, ts(%rip), %rax
  add ts+8(%rip), %rax
  ret
fail_gettime: DIE 11
  .size mono_ns, . - mono_ns
