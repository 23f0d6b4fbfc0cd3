/* Shared by the asm fixtures: x86-64 Linux system call numbers and constants,
 * and a few macros. Numbers from arch/x86/entry/syscalls/syscall_64.tbl. */
#define SYS_read 0
#define SYS_write 1
#define SYS_close 3
#define SYS_mmap 9
#define SYS_mprotect 10
#define SYS_munmap 11
#define SYS_brk 12
#define SYS_rt_sigaction 13
#define SYS_rt_sigprocmask 14
#define SYS_rt_sigreturn 15
#define SYS_sched_yield 24
#define SYS_madvise 28
#define SYS_nanosleep 35
#define SYS_getpid 39
#define SYS_socket 41
#define SYS_clone 56
#define SYS_exit 60
#define SYS_fcntl 72
#define SYS_sigaltstack 131
#define SYS_arch_prctl 158
#define SYS_gettid 186
#define SYS_futex 202
#define SYS_sched_getaffinity 204
#define SYS_clock_gettime 228
#define SYS_clock_nanosleep 230
#define SYS_exit_group 231
#define SYS_tgkill 234
#define SYS_openat 257
#define SYS_epoll_pwait 281
#define SYS_eventfd2 290
#define SYS_epoll_create1 291
#define SYS_epoll_ctl 233
#define SYS_pipe2 293
#define SYS_fstat 5
#define SYS_lseek 8
#define SYS_ioctl 16
#define SYS_pread64 17
#define SYS_pwrite64 18
#define SYS_access 21
#define SYS_dup 32
#define SYS_kill 62
#define SYS_uname 63
#define SYS_ftruncate 77
#define SYS_getcwd 79
#define SYS_chdir 80
#define SYS_rename 82
#define SYS_mkdir 83
#define SYS_rmdir 84
#define SYS_unlink 87
#define SYS_symlink 88
#define SYS_readlink 89
#define SYS_umask 95
#define SYS_getrusage 98
#define SYS_sysinfo 99
#define SYS_times 100
#define SYS_getuid 102
#define SYS_getgid 104
#define SYS_geteuid 107
#define SYS_getegid 108
#define SYS_getppid 110
#define SYS_getpgrp 111
#define SYS_getgroups 115
#define SYS_getresuid 118
#define SYS_getsid 124
#define SYS_getdents64 217
#define SYS_newfstatat 262

#define PROT_NONE 0
#define PROT_READ 1
#define PROT_WRITE 2
#define MAP_PRIVATE 0x02
#define MAP_FIXED 0x10
#define MAP_ANONYMOUS 0x20
#define MAP_FIXED_NOREPLACE 0x100000
#define MADV_DONTNEED 4

#define ARCH_SET_FS 0x1002
#define ARCH_GET_FS 0x1003

#define CLONE_VM 0x100
#define CLONE_FS 0x200
#define CLONE_FILES 0x400
#define CLONE_SIGHAND 0x800
#define CLONE_THREAD 0x10000
#define CLONE_SYSVSEM 0x40000
#define CLONE_PARENT_SETTID 0x100000
#define CLONE_CHILD_CLEARTID 0x200000
/* What the fixtures ask for: a thread as pthread_create makes it (Go's
 * newosproc asks for the same set minus the tid words). */
#define THREAD_FLAGS (CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | \
                      CLONE_SYSVSEM | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID)

#define FUTEX_WAIT 0
#define FUTEX_WAKE 1
#define FUTEX_PRIVATE 128

#define SIGTRAP 5
#define SIGUSR1 10
#define SIGSEGV 11
#define SIGURG 23
#define SIGPIPE 13
#define SIGUSR2 12
#define SA_RESTART 0x10000000
#define SA_SIGINFO 0x4
#define SA_RESTORER 0x04000000
#define SA_ONSTACK 0x08000000
#define SS_ONSTACK 1
#define SIG_BLOCK 0
#define SIG_UNBLOCK 1

#define O_RDONLY 0
#define O_WRONLY 1
#define O_RDWR 2
#define O_CREAT 0x40
#define O_EXCL 0x80
#define O_DIRECTORY 0x10000
#define O_NONBLOCK 0x800
#define O_CLOEXEC 0x80000
#define F_DUPFD 0
#define F_GETFD 1
#define F_SETFD 2
#define F_GETFL 3
#define F_SETFL 4
#define FD_CLOEXEC 1
#define SEEK_SET 0
#define AT_FDCWD -100
#define S_IFMT 0170000
#define S_IFREG 0100000
#define ST_NLINK 16
#define ST_MODE 24
#define ST_SIZE 48
#define TCGETS 0x5401
#define FIONREAD 0x541B
#define FIONBIO 0x5421
#define FIONCLEX 0x5450
#define FIOCLEX 0x5451
#define EPOLLIN 1
#define EPOLL_CTL_ADD 1
#define CLOCK_REALTIME 0
#define CLOCK_MONOTONIC 1

#define EPERM 1
#define ENOENT 2
#define ESRCH 3
#define EINTR 4
#define EBADF 9
#define EAGAIN 11
#define ENOMEM 12
#define EEXIST 17
#define ENOTDIR 20
#define EINVAL 22
#define ENOTTY 25
#define EPIPE 32
#define ETIMEDOUT 110

/* ucontext_t on x86-64: uc_mcontext.gregs starts at 40 (r8 r9 ... r15 rdi rsi
 * rbp rbx rdx rax rcx rsp rip eflags). */
#define UC_STACK_FLAGS 24
#define UC_RAX (40 + 13 * 8)
#define UC_RSP (40 + 15 * 8)
#define UC_RIP (40 + 16 * 8)
#define UC_R12 (40 + 4 * 8)

/* syscall nr: the arguments are already in rdi rsi rdx r10 r8 r9. */
.macro SYS nr
  mov $\nr, %eax
  syscall
.endm

/* exit_group(code): a distinct code for each failed check. */
.macro DIE code
  mov $\code, %edi
  mov $SYS_exit_group, %eax
  syscall
  hlt
.endm

/* Dies with `code` unless `a` == `b` (64-bit compare). */
.macro EXPECT_EQ a, b, code
  cmp \a, \b
  je .Lexpect_ok\@
  DIE \code
.Lexpect_ok\@:
.endm

/* write(1, "ok\n", 3); exit_group(0). */
.macro EXIT_OK
  .pushsection .rodata
.Lok_text\@: .ascii "ok\n"
  .popsection
  mov $1, %edi
  lea .Lok_text\@(%rip), %rsi
  mov $3, %edx
  SYS SYS_write
  xor %edi, %edi
  SYS SYS_exit_group
  hlt
.endm

/* Defines print_hex: writes rdi as "0x" and 16 hex digits, then a newline, to
 * stdout. Clobbers rax rcx rdx rsi rdi r8 r11. */
.macro DEFINE_PRINT_HEX
  .pushsection .bss
  .balign 16
.Lhex_buf: .skip 32
  .popsection
  .text
  .type print_hex, @function
print_hex:
  lea .Lhex_buf(%rip), %rsi
  movw $0x7830, (%rsi)          /* "0x" */
  mov $16, %ecx
.Lhex_digit:
  mov %rdi, %r8
  and $15, %r8d
  cmp $10, %r8d
  jb .Lhex_num
  add $('a' - 10 - '0'), %r8d
.Lhex_num:
  add $'0', %r8d
  mov %r8b, 1(%rsi,%rcx)
  shr $4, %rdi
  dec %ecx
  jnz .Lhex_digit
  movb $10, 18(%rsi)
  mov $1, %edi
  mov $19, %edx
  SYS SYS_write
  ret
  .size print_hex, . - print_hex
.endm

/* Dies with `code` unless the 64-bit word at `mem` equals the immediate `imm`. */
.macro EXPECT_MEM_EQ imm, mem, code
  cmpq \imm, \mem
  je .Lexpect_mem_ok\@
  DIE \code
.Lexpect_mem_ok\@:
.endm
