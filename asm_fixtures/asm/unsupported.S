/* unsupported: calls socket(AF_INET, SOCK_STREAM, 0), which gostep's Linux
 * layer does not provide. gostep stops with exit status 124 and a report
 * naming the call (41, socket), the function open_socket and the thread.
 * Ends: StopKind unsupported_syscall, syscall 41, pc = the SYSCALL
 * instruction in open_socket. Natively it gets a socket and prints "ok". */
#include "linux.h"

  .text
  .globl _start
  .type _start, @function
_start:
  call open_socket
  test %rax, %rax
  js fail
  EXIT_OK
fail:
  DIE 2
  .size _start, . - _start

  .globl open_socket
  .type open_socket, @function
open_socket:
  mov $2, %edi                       /* AF_INET */
  mov $1, %esi                       /* SOCK_STREAM */
  xor %edx, %edx
  mov $SYS_socket, %eax
  .globl socket_syscall
  .type socket_syscall, @object      /* listed by the loader; reports still name open_socket */
socket_syscall:
  syscall
  ret
  .size open_socket, . - open_socket
