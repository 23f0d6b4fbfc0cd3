/* epoll: Go's netpoller calls, and a wake-up across threads.
 * Checks: epoll_create1(EPOLL_CLOEXEC) and epoll_ctl(ADD) of a pipe's read
 * end with data 0x1234 succeed; epoll_pwait with timeout 0 on the empty pipe
 * returns 0; a second ADD gives -EEXIST; a clone'd thread then blocks in
 * epoll_pwait with no timeout while the main thread sleeps 1 ms and writes a
 * byte to the pipe: the thread wakes with one event, EPOLLIN, data 0x1234.
 * The main thread joins it through CLONE_CHILD_CLEARTID.
 * Ends: exit 0, stdout "ok\n", two threads, child_result = 1,
 * child_events = EPOLLIN, child_data = 0x1234, r12 = the epoll fd. */
#include "linux.h"

  .bss
  .balign 4096
child_stack: .skip 65536
child_stack_top:
  .balign 8
  .globl child_result, child_events, child_data
  .type child_result, @object
child_result: .skip 8
  .size child_result, 8
  .type child_events, @object
child_events: .skip 8
  .size child_events, 8
  .type child_data, @object
child_data: .skip 8
  .size child_data, 8
fds: .skip 8
tids: .skip 8
events: .skip 48
child_evbuf: .skip 48

  .data
  .balign 8
ev:
  .long EPOLLIN
  .quad 0x1234                       /* struct epoll_event is packed */
one_ms:
  .quad 0, 1000000
byte: .byte 'x'

  .text
  .globl _start
  .type _start, @function
_start:
  mov $O_CLOEXEC, %edi
  SYS SYS_epoll_create1
  cmp $0, %rax
  jl fail_fd
  mov %rax, %r12
  lea fds(%rip), %rdi
  mov $O_NONBLOCK, %esi
  SYS SYS_pipe2
  EXPECT_EQ $0, %rax, 2
  mov %r12, %rdi
  mov $EPOLL_CTL_ADD, %esi
  movslq fds(%rip), %rdx
  lea ev(%rip), %r10
  SYS SYS_epoll_ctl
  EXPECT_EQ $0, %rax, 3
  mov %r12, %rdi
  mov $EPOLL_CTL_ADD, %esi
  movslq fds(%rip), %rdx
  lea ev(%rip), %r10
  SYS SYS_epoll_ctl
  EXPECT_EQ $-EEXIST, %rax, 4

  mov %r12, %rdi
  lea events(%rip), %rsi
  mov $4, %edx
  xor %r10d, %r10d                   /* timeout 0 */
  xor %r8d, %r8d
  xor %r9d, %r9d
  SYS SYS_epoll_pwait
  EXPECT_EQ $0, %rax, 5

  mov $THREAD_FLAGS, %edi
  lea child_stack_top(%rip), %rsi
  lea tids+4(%rip), %rdx             /* parent_tid and child_tid: one word, as glibc passes them */
  lea tids+4(%rip), %r10
  xor %r8d, %r8d
  SYS SYS_clone
  test %rax, %rax
  jz child
  js fail_fd

  lea one_ms(%rip), %rdi
  xor %esi, %esi
  SYS SYS_nanosleep
  EXPECT_EQ $0, %rax, 6
  movslq fds+4(%rip), %rdi
  lea byte(%rip), %rsi
  mov $1, %edx
  SYS SYS_write
  EXPECT_EQ $1, %rax, 7

join:
  movl tids+4(%rip), %edx
  test %edx, %edx
  jz joined
  lea tids+4(%rip), %rdi
  mov $FUTEX_WAIT, %esi
  xor %r10d, %r10d
  SYS SYS_futex
  jmp join
joined:
  EXPECT_MEM_EQ $1, child_result(%rip), 8
  EXPECT_MEM_EQ $EPOLLIN, child_events(%rip), 9
  EXPECT_MEM_EQ $0x1234, child_data(%rip), 10
  EXIT_OK
fail_fd: DIE 11
  .size _start, . - _start

  .type child, @function
child:
  mov %r12, %rdi
  lea child_evbuf(%rip), %rsi
  mov $4, %edx
  mov $-1, %r10                      /* no timeout */
  xor %r8d, %r8d
  xor %r9d, %r9d
  SYS SYS_epoll_pwait
  cmp $-EINTR, %rax
  je child
  mov %rax, child_result(%rip)
  movl child_evbuf(%rip), %eax
  mov %rax, child_events(%rip)
  mov child_evbuf+4(%rip), %rax
  mov %rax, child_data(%rip)
  xor %edi, %edi
  SYS SYS_exit
  hlt
  .size child, . - child
