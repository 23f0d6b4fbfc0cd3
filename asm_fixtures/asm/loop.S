/* loop: spins forever in spin_forever. Run with --max-insns N: gostep stops
 * it after exactly N instructions with exit status 124 and a report naming
 * the instruction, spin_forever and the thread. Never prints "ok".
 * Ends (under --max-insns): stopped inside spin_forever, r12 counting up. */
#include "linux.h"

  .text
  .globl _start
  .type _start, @function
_start:
  xor %r12d, %r12d
  call spin_forever
  DIE 2
  .size _start, . - _start

  .globl spin_forever
  .type spin_forever, @function
spin_forever:
  inc %r12
  jmp spin_forever
  .size spin_forever, . - spin_forever
