/* mman: mmap, MAP_FIXED over part of a mapping, mprotect, munmap of a middle
 * page, MAP_FIXED_NOREPLACE, madvise(MADV_DONTNEED), a free hint, brk.
 * Checks: a 4-page anonymous mapping A reads as zero; after marking every
 * page, MAP_FIXED over pages 1-2 returns A+0x1000, keeps pages 0 and 3 and
 * zeroes pages 1-2; mprotect(page 3, PROT_READ) returns 0 and keeps its bytes;
 * munmap(page 1) returns 0, after which mprotect there fails with -ENOMEM;
 * MAP_FIXED over the hole reads as zero; MAP_FIXED_NOREPLACE over page 0 fails
 * with -EEXIST; munmap of an unaligned address fails with -EINVAL;
 * MADV_DONTNEED zeroes page 0; a free hint (0x7e0000000000) is honoured;
 * brk grows the heap and the new bytes are writable.
 * Ends: exit 0, stdout "ok\n", r12 = A (4 pages mapped: 0-2 read/write,
 * 3 read-only), page 3 starts with byte 0x13, page 2 with byte 0x77,
 * r13 = the hinted mapping (0x7e0000000000). */
#include "linux.h"
#define PAGE 4096
#define HINT 0x7e0000000000

  .text
  .globl _start
  .type _start, @function
_start:
  xor %edi, %edi
  mov $(4 * PAGE), %esi
  mov $(PROT_READ | PROT_WRITE), %edx
  mov $(MAP_PRIVATE | MAP_ANONYMOUS), %r10d
  mov $-1, %r8
  xor %r9d, %r9d
  SYS SYS_mmap
  cmp $-4096, %rax
  jae fail_mmap
  test $(PAGE - 1), %eax
  jnz fail_align
  mov %rax, %r12

  /* Fresh anonymous memory is zero; then mark page i with 0x10+i at both ends. */
  xor %ecx, %ecx
mark:
  mov %rcx, %rdx
  shl $12, %rdx
  add %r12, %rdx
  cmpb $0, (%rdx)
  jne fail_fresh
  lea 0x10(%rcx), %eax
  mov %al, (%rdx)
  mov %al, PAGE-1(%rdx)
  inc %ecx
  cmp $4, %ecx
  jne mark

  /* MAP_FIXED over pages 1 and 2. */
  lea PAGE(%r12), %rdi
  mov $(2 * PAGE), %esi
  mov $(PROT_READ | PROT_WRITE), %edx
  mov $(MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED), %r10d
  mov $-1, %r8
  xor %r9d, %r9d
  SYS SYS_mmap
  lea PAGE(%r12), %rcx
  EXPECT_EQ %rcx, %rax, 2
  cmpb $0x10, (%r12)
  jne fail_kept
  cmpb $0x10, PAGE-1(%r12)
  jne fail_kept
  cmpb $0x13, 3*PAGE(%r12)
  jne fail_kept
  cmpb $0x13, 4*PAGE-1(%r12)
  jne fail_kept
  cmpb $0, PAGE(%r12)
  jne fail_zeroed
  cmpb $0, 2*PAGE-1(%r12)
  jne fail_zeroed
  cmpb $0, 2*PAGE(%r12)
  jne fail_zeroed
  cmpb $0, 3*PAGE-1(%r12)
  jne fail_zeroed
  movb $0x77, 2*PAGE(%r12)

  /* mprotect page 3 read-only. */
  lea 3*PAGE(%r12), %rdi
  mov $PAGE, %esi
  mov $PROT_READ, %edx
  SYS SYS_mprotect
  EXPECT_EQ $0, %rax, 3
  cmpb $0x13, 3*PAGE(%r12)
  jne fail_kept

  /* munmap the middle page 1; mprotect there now fails. */
  lea PAGE(%r12), %rdi
  mov $PAGE, %esi
  SYS SYS_munmap
  EXPECT_EQ $0, %rax, 4
  lea PAGE(%r12), %rdi
  mov $PAGE, %esi
  mov $PROT_READ, %edx
  SYS SYS_mprotect
  EXPECT_EQ $-ENOMEM, %rax, 5
  cmpb $0x77, 2*PAGE(%r12)           /* the page after the hole is intact */
  jne fail_kept

  /* Map the hole again: it reads as zero. */
  lea PAGE(%r12), %rdi
  mov $PAGE, %esi
  mov $(PROT_READ | PROT_WRITE), %edx
  mov $(MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED), %r10d
  mov $-1, %r8
  xor %r9d, %r9d
  SYS SYS_mmap
  lea PAGE(%r12), %rcx
  EXPECT_EQ %rcx, %rax, 6
  mov PAGE(%r12), %rax
  EXPECT_EQ $0, %rax, 7
  mov 2*PAGE-8(%r12), %rax
  EXPECT_EQ $0, %rax, 7

  /* MAP_FIXED_NOREPLACE over page 0: -EEXIST, page 0 untouched. */
  mov %r12, %rdi
  mov $PAGE, %esi
  mov $(PROT_READ | PROT_WRITE), %edx
  mov $(MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE), %r10d
  mov $-1, %r8
  xor %r9d, %r9d
  SYS SYS_mmap
  EXPECT_EQ $-EEXIST, %rax, 8
  cmpb $0x10, (%r12)
  jne fail_kept

  /* munmap of an unaligned address. */
  lea 1(%r12), %rdi
  mov $PAGE, %esi
  SYS SYS_munmap
  EXPECT_EQ $-EINVAL, %rax, 9

  /* MADV_DONTNEED on private anonymous memory: reads as zero afterwards. */
  mov %r12, %rdi
  mov $PAGE, %esi
  mov $MADV_DONTNEED, %edx
  SYS SYS_madvise
  EXPECT_EQ $0, %rax, 10
  cmpb $0, (%r12)
  jne fail_zeroed
  cmpb $0, PAGE-1(%r12)
  jne fail_zeroed

  /* A hint that is free is honoured. */
  movabs $HINT, %rdi
  mov $(2 * PAGE), %esi
  mov $(PROT_READ | PROT_WRITE), %edx
  mov $(MAP_PRIVATE | MAP_ANONYMOUS), %r10d
  mov $-1, %r8
  xor %r9d, %r9d
  SYS SYS_mmap
  movabs $HINT, %rcx
  EXPECT_EQ %rcx, %rax, 11
  mov %rax, %r13
  movl $0xabcdef, PAGE(%r13)
  cmpl $0xabcdef, PAGE(%r13)
  jne fail_kept

  /* brk: query, grow by two pages, write to the new end. */
  xor %edi, %edi
  SYS SYS_brk
  mov %rax, %rbx
  lea 2*PAGE(%rbx), %rdi
  SYS SYS_brk
  lea 2*PAGE(%rbx), %rcx
  EXPECT_EQ %rcx, %rax, 12
  movq $42, 2*PAGE-8(%rbx)
  cmpq $42, 2*PAGE-8(%rbx)
  jne fail_kept

  EXIT_OK
fail_mmap: DIE 13
fail_align: DIE 14
fail_fresh: DIE 15
fail_kept: DIE 16
fail_zeroed: DIE 17
  .size _start, . - _start
