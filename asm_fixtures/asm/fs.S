/* fs: the file family on the guest's own file system, in a fresh directory
 * /tmp/gostep-fs-PID (in memory under gostep, on the host natively).
 * Checks: mkdir and chdir into it; getcwd gives its path; umask(022), then
 * openat(O_CREAT|O_EXCL|O_CLOEXEC, 0666) makes a 0644 file; write, lseek,
 * read, pwrite64 and pread64 agree ("hello" -> "Jello"); fstat shows a regular
 * file of 5 bytes with one link; O_CREAT|O_EXCL on it again gives -EEXIST;
 * close-on-exec belongs to the descriptor (a dup has none); F_DUPFD 100 gives
 * 100; rename into a subdirectory, after which the old name is -ENOENT;
 * getdents64 of that directory lists 3 entries (., .., the file); ftruncate
 * through one descriptor shows through its dup; symlink and readlink; unlink
 * leaves the open file with 0 links; rmdir; access to the removed directory
 * gives -ENOENT.
 * Ends: exit 0, stdout "ok\n", r15 = getcwd's result (the path's length + 1). */
#include "linux.h"

  .section .rodata
prefix: .ascii "/tmp/gostep-fs-"
  .set prefix_len, . - prefix
name_f: .asciz "f"
name_d: .asciz "d"
name_dg: .asciz "d/g"
name_link: .asciz "d/link"
target_g: .asciz "g"
root: .asciz "/"
hello: .ascii "hello"
capital_j: .ascii "J"

  .bss
  .balign 16
dirname: .skip 32
buf: .skip 64
statbuf: .skip 144
dents: .skip 4096

  .text
  .globl _start
  .type _start, @function
_start:
  /* dirname = "/tmp/gostep-fs-" + the pid in 8 hex digits */
  SYS SYS_getpid
  mov %eax, %edx
  lea dirname(%rip), %rdi
  lea prefix(%rip), %rsi
  mov $prefix_len, %ecx
  rep movsb
  mov $8, %ecx
hex_digit:
  rol $4, %edx
  mov %edx, %eax
  and $15, %eax
  cmp $10, %eax
  jb 1f
  add $('a' - 10 - '0'), %eax
1:add $'0', %eax
  stosb
  dec %ecx
  jnz hex_digit
  movb $0, (%rdi)

  lea dirname(%rip), %rdi
  mov $0700, %esi
  SYS SYS_mkdir
  EXPECT_EQ $0, %rax, 2
  lea dirname(%rip), %rdi
  SYS SYS_chdir
  EXPECT_EQ $0, %rax, 3
  lea buf(%rip), %rdi
  mov $64, %esi
  SYS SYS_getcwd
  mov %rax, %r15
  EXPECT_EQ $(prefix_len + 8 + 1), %rax, 4
  mov $022, %edi
  SYS SYS_umask

  mov $AT_FDCWD, %rdi
  lea name_f(%rip), %rsi
  mov $(O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC), %edx
  mov $0666, %r10d
  SYS SYS_openat
  cmp $3, %rax
  jl fail_open
  mov %rax, %r12

  mov %r12, %rdi
  lea hello(%rip), %rsi
  mov $5, %edx
  SYS SYS_write
  EXPECT_EQ $5, %rax, 5
  mov %r12, %rdi
  xor %esi, %esi
  mov $SEEK_SET, %edx
  SYS SYS_lseek
  EXPECT_EQ $0, %rax, 6
  mov %r12, %rdi
  lea buf(%rip), %rsi
  mov $16, %edx
  SYS SYS_read
  EXPECT_EQ $5, %rax, 7
  mov %r12, %rdi
  lea capital_j(%rip), %rsi
  mov $1, %edx
  xor %r10d, %r10d
  SYS SYS_pwrite64
  EXPECT_EQ $1, %rax, 8
  movq $0, buf(%rip)
  mov %r12, %rdi
  lea buf(%rip), %rsi
  mov $5, %edx
  xor %r10d, %r10d
  SYS SYS_pread64
  EXPECT_EQ $5, %rax, 9
  movabs $0x6f6c6c654a, %rax          /* "Jello" */
  EXPECT_MEM_EQ %rax, buf(%rip), 10

  mov %r12, %rdi
  lea statbuf(%rip), %rsi
  SYS SYS_fstat
  EXPECT_EQ $0, %rax, 11
  EXPECT_MEM_EQ $5, statbuf+ST_SIZE(%rip), 12
  EXPECT_MEM_EQ $1, statbuf+ST_NLINK(%rip), 13
  movl statbuf+ST_MODE(%rip), %eax
  EXPECT_EQ $(S_IFREG | 0644), %rax, 14

  mov $AT_FDCWD, %rdi
  lea name_f(%rip), %rsi
  mov $(O_RDWR | O_CREAT | O_EXCL), %edx
  mov $0644, %r10d
  SYS SYS_openat
  EXPECT_EQ $-EEXIST, %rax, 15

  mov %r12, %rdi
  mov $F_GETFD, %esi
  SYS SYS_fcntl
  EXPECT_EQ $FD_CLOEXEC, %rax, 16
  mov %r12, %rdi
  SYS SYS_dup
  mov %rax, %r13
  mov %r13, %rdi
  mov $F_GETFD, %esi
  SYS SYS_fcntl
  EXPECT_EQ $0, %rax, 17
  mov %r12, %rdi
  mov $F_DUPFD, %esi
  mov $100, %edx
  SYS SYS_fcntl
  EXPECT_EQ $100, %rax, 18
  mov $100, %edi
  SYS SYS_close

  lea name_d(%rip), %rdi
  mov $0755, %esi
  SYS SYS_mkdir
  EXPECT_EQ $0, %rax, 19
  lea name_f(%rip), %rdi
  lea name_dg(%rip), %rsi
  SYS SYS_rename
  EXPECT_EQ $0, %rax, 20
  mov $AT_FDCWD, %rdi
  lea name_f(%rip), %rsi
  lea statbuf(%rip), %rdx
  xor %r10d, %r10d
  SYS SYS_newfstatat
  EXPECT_EQ $-ENOENT, %rax, 21

  mov $AT_FDCWD, %rdi
  lea name_d(%rip), %rsi
  mov $(O_RDONLY | O_DIRECTORY | O_CLOEXEC), %edx
  xor %r10d, %r10d
  SYS SYS_openat
  cmp $3, %rax
  jl fail_open
  mov %rax, %r14
  mov %r14, %rdi
  lea dents(%rip), %rsi
  mov $4096, %edx
  SYS SYS_getdents64
  test %rax, %rax
  jle fail_dents
  /* Count the records: d_reclen is the u16 at offset 16 of each. */
  lea dents(%rip), %rsi
  lea (%rsi,%rax), %rdi
  xor %ecx, %ecx
count_dents:
  cmp %rdi, %rsi
  jae counted
  movzwl 16(%rsi), %eax
  add %rax, %rsi
  inc %ecx
  jmp count_dents
counted:
  EXPECT_EQ $3, %rcx, 22

  mov %r12, %rdi
  mov $2, %esi
  SYS SYS_ftruncate
  EXPECT_EQ $0, %rax, 23
  mov %r13, %rdi
  lea statbuf(%rip), %rsi
  SYS SYS_fstat
  EXPECT_MEM_EQ $2, statbuf+ST_SIZE(%rip), 24

  lea target_g(%rip), %rdi
  lea name_link(%rip), %rsi
  SYS SYS_symlink
  EXPECT_EQ $0, %rax, 25
  lea name_link(%rip), %rdi
  lea buf(%rip), %rsi
  mov $16, %edx
  SYS SYS_readlink
  EXPECT_EQ $1, %rax, 26
  lea name_link(%rip), %rdi
  SYS SYS_unlink
  EXPECT_EQ $0, %rax, 27
  lea name_dg(%rip), %rdi
  SYS SYS_unlink
  EXPECT_EQ $0, %rax, 28
  mov %r12, %rdi
  lea statbuf(%rip), %rsi
  SYS SYS_fstat
  EXPECT_MEM_EQ $0, statbuf+ST_NLINK(%rip), 29

  lea name_d(%rip), %rdi
  SYS SYS_rmdir
  EXPECT_EQ $0, %rax, 30
  lea root(%rip), %rdi
  SYS SYS_chdir
  lea dirname(%rip), %rdi
  SYS SYS_rmdir
  EXPECT_EQ $0, %rax, 31
  lea dirname(%rip), %rdi
  xor %esi, %esi
  SYS SYS_access
  EXPECT_EQ $-ENOENT, %rax, 32
  EXIT_OK
fail_open: DIE 40
fail_dents: DIE 41
  .size _start, . - _start
