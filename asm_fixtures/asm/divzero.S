/* divzero: divides by zero (IDIV with a zero divisor) in divide_here, with no
 * SIGFPE handler. The CPU raises #DE (vector 0); Linux delivers SIGFPE with
 * si_code FPE_INTDIV, so the process dies of SIGFPE: exit status 136 (128 + 8)
 * natively and under gostep, never SIGSEGV (vector 0 once read as "no exception").
 * Ends: StopKind killed, signal 8. */
#include "linux.h"

  .text
  .globl _start
  .type _start, @function
_start:
  call divide_here
  DIE 2
  .size _start, . - _start

  .globl divide_here
  .type divide_here, @function
divide_here:
  xor %ecx, %ecx
  mov $10, %eax
  cqo
  idiv %rcx
  ret
  .size divide_here, . - divide_here
