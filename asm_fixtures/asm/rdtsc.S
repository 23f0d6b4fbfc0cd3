/* rdtsc: RDTSC and RDTSCP twice each. Under gostep they read the virtual clock
 * (1 ns per instruction since a fixed start), so two runs print the same
 * values; natively they only increase.
 * Checks: each reading is larger than the one before.
 * Prints: the four readings in hex (RDTSC, RDTSC, RDTSCP, RDTSCP), one a line.
 * Ends: exit 0, stdout the four lines then "ok\n"; r12..r15 = the readings. */
#include "linux.h"

  .text
  .globl _start
  .type _start, @function
_start:
  rdtsc
  shl $32, %rdx
  or %rax, %rdx
  mov %rdx, %r12
  nop
  nop
  rdtsc
  shl $32, %rdx
  or %rax, %rdx
  mov %rdx, %r13
  rdtscp
  shl $32, %rdx
  or %rax, %rdx
  mov %rdx, %r14
  rdtscp
  shl $32, %rdx
  or %rax, %rdx
  mov %rdx, %r15
  cmp %r12, %r13
  jbe fail_order
  cmp %r13, %r14
  jbe fail_order
  cmp %r14, %r15
  jbe fail_order
  mov %r12, %rdi
  call print_hex
  mov %r13, %rdi
  call print_hex
  mov %r14, %rdi
  call print_hex
  mov %r15, %rdi
  call print_hex
  EXIT_OK
fail_order: DIE 2
  .size _start, . - _start

  DEFINE_PRINT_HEX
