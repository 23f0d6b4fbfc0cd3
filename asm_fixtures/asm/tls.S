/* tls: arch_prctl(ARCH_SET_FS) and %fs-relative memory, as runtime.settls
 * uses it (Go keeps g at %fs:-8).
 * Checks: ARCH_SET_FS returns 0; a store to %fs:-8 lands in tls_block+8 and a
 * store to tls_block+8 is seen through %fs:-8; ARCH_GET_FS returns the base;
 * an FS base above the user address space is refused with -EPERM.
 * Ends: exit 0, stdout "ok\n", one thread, FS base = tls_block+16,
 * tls_block+8 = 0x5eed5eed5eed5eed, r12 = 0x1122334455667788, r13 = the FS base. */
#include "linux.h"

  .bss
  .balign 64
  .globl tls_block
  .type tls_block, @object
tls_block: .skip 64
  .size tls_block, 64
got_fs: .skip 8

  .text
  .globl _start
  .type _start, @function
_start:
  mov $ARCH_SET_FS, %edi
  lea tls_block+16(%rip), %rsi
  SYS SYS_arch_prctl
  EXPECT_EQ $0, %rax, 2

  /* %fs:-8 is tls_block+8. */
  movabs $0x1122334455667788, %rax
  mov %rax, %fs:-8
  mov tls_block+8(%rip), %rcx
  EXPECT_EQ %rax, %rcx, 3
  mov tls_block(%rip), %rcx           /* neighbours untouched */
  EXPECT_EQ $0, %rcx, 4
  mov tls_block+16(%rip), %rcx
  EXPECT_EQ $0, %rcx, 5
  mov %fs:-8, %r12

  movabs $0x5eed5eed5eed5eed, %rax
  mov %rax, tls_block+8(%rip)
  mov %fs:-8, %rcx
  EXPECT_EQ %rax, %rcx, 6
  mov %fs:0, %rcx                     /* %fs:0 is tls_block+16, still zero */
  EXPECT_EQ $0, %rcx, 7

  mov $ARCH_GET_FS, %edi
  lea got_fs(%rip), %rsi
  SYS SYS_arch_prctl
  EXPECT_EQ $0, %rax, 8
  lea tls_block+16(%rip), %rax
  mov got_fs(%rip), %r13
  EXPECT_EQ %rax, %r13, 9

  /* Beyond TASK_SIZE_MAX: refused, and the base is unchanged. */
  mov $ARCH_SET_FS, %edi
  movabs $0x800000000000, %rsi
  SYS SYS_arch_prctl
  EXPECT_EQ $-EPERM, %rax, 10
  mov %fs:-8, %rcx
  movabs $0x5eed5eed5eed5eed, %rax
  EXPECT_EQ %rax, %rcx, 11

  EXIT_OK
  .size _start, . - _start
