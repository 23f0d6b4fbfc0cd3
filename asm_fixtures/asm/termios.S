/* termios: a program that turns its terminal's echo off (as a password prompt
 * does) and exits without turning it back on. On stdin that is not a terminal,
 * TCGETS gives -ENOTTY and there is nothing to do.
 * Checks: TCGETS then TCSETS without ECHO; a second TCGETS shows ECHO off.
 * Ends: exit 0, stdout "ok\n"; r12 = 1 when stdin was a terminal, else 0. The
 * e2e test runs it on a pseudo-terminal: gostep gives the terminal back as it
 * was (echo on) when it exits. */
#include "linux.h"
#define ECHO 0x8
#define TCSETS 0x5402

  .bss
  .balign 16
termios: .skip 64

  .text
  .globl _start
  .type _start, @function
_start:
  xor %r12d, %r12d
  xor %edi, %edi
  mov $TCGETS, %esi
  lea termios(%rip), %rdx
  SYS SYS_ioctl
  cmp $-ENOTTY, %rax
  je done
  EXPECT_EQ $0, %rax, 2
  mov $1, %r12d
  andl $~ECHO, termios+12(%rip)        /* c_lflag */
  xor %edi, %edi
  mov $TCSETS, %esi
  lea termios(%rip), %rdx
  SYS SYS_ioctl
  EXPECT_EQ $0, %rax, 3
  orl $ECHO, termios+12(%rip)
  xor %edi, %edi
  mov $TCGETS, %esi
  lea termios(%rip), %rdx
  SYS SYS_ioctl
  testl $ECHO, termios+12(%rip)
  jnz fail_echo
done:
  EXIT_OK
fail_echo: DIE 4
  .size _start, . - _start
