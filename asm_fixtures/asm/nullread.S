/* nullread: reads address 0 in the function read_null with no SIGSEGV
 * handler. The process dies of SIGSEGV: exit status 139 (128 + 11) natively
 * and under gostep, whose report names SIGSEGV, the address 0x0, read_null,
 * the faulting instruction and the thread.
 * Ends: StopKind killed, signal 11, pc = null_load. */
#include "linux.h"

  .text
  .globl _start
  .type _start, @function
_start:
  call read_null
  DIE 2
  .size _start, . - _start

  .globl read_null
  .type read_null, @function
read_null:
  xor %ecx, %ecx
  .globl null_load
  .type null_load, @object           /* listed by the loader; reports still name read_null */
null_load:
  mov (%rcx), %rax
  ret
  .size read_null, . - read_null
