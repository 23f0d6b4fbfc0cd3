/* int3: executes INT3 in the function trap_here with no SIGTRAP handler. The
 * process dies of SIGTRAP: exit status 133 (128 + 5) natively and under
 * gostep, whose report names SIGTRAP, trap_here and the thread.
 * Ends: StopKind killed, signal 5. */
#include "linux.h"

  .text
  .globl _start
  .type _start, @function
_start:
  call trap_here
  DIE 2
  .size _start, . - _start

  .globl trap_here
  .type trap_here, @function
trap_here:
  int3
  ret
  .size trap_here, . - trap_here
