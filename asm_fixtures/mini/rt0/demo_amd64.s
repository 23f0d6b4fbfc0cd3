// rt0 in miniature: from the stack the kernel hands a new process to g0's stack,
// the first thing runtime·rt0_go does (asm_amd64.s:159-175). Read it whole, step
// it in gostep, then find the same instructions in the real rt0_go.
//
// gostep-end: milestone:done
// gostep-expect: g0.stack.hi - g0.stack.lo == 64*1024 - 104
// gostep-expect: g0.stackguard0 == g0.stack.lo && g0.stackguard1 == g0.stack.lo
// gostep-expect: g0.stack.hi == $sp && $sp % 16 == 0
// gostep-expect: *($sp + 24) == 1 && *($sp + 32) >= $sp + 5*8 + 8 && *($sp + 32) < $sp + 5*8 + 8 + 16
// gostep-break: g0.stack.lo
#include "textflag.h"
#include "../runtime_offsets.h"

// The linker keeps only what the entry reaches: this table keeps runtime.g0 and
// runtime.m0 (and their DWARF, which gostep's views read) in every miniature.
DATA main·keep+0(SB)/8, $runtime·g0(SB)
DATA main·keep+8(SB)/8, $runtime·m0(SB)
GLOBL main·keep(SB), RODATA, $16

TEXT main·entry(SB),NOSPLIT|NOFRAME,$0
	MOVQ	$main·keep(SB), AX
	JMP	main·milestone_kernel_stack(SB)

// The kernel left argc at 0(SP), then argv[0..argc], a 0, envp..., a 0, auxv.
TEXT main·milestone_kernel_stack(SB),NOSPLIT|NOFRAME,$0
	MOVQ	0(SP), AX		// argc
	LEAQ	8(SP), BX		// argv
	JMP	main·milestone_align(SB)

// Room for rt0_go's outgoing arguments, and SP 16-byte aligned (the ABI wants it).
TEXT main·milestone_align(SB),NOSPLIT|NOFRAME,$0
	SUBQ	$(5*8), SP
	ANDQ	$~15, SP
	MOVQ	AX, 24(SP)		// argc and argv where rt0_go keeps them
	MOVQ	BX, 32(SP)
	JMP	main·milestone_g0_stack(SB)

// g0's stack is the top 64 KiB of the OS stack: [SP-64K+104, SP).
TEXT main·milestone_g0_stack(SB),NOSPLIT|NOFRAME,$0
	MOVQ	$runtime·g0(SB), DI
	LEAQ	(-64*1024+104)(SP), BX
	MOVQ	BX, g_stackguard0(DI)
	MOVQ	BX, g_stackguard1(DI)
	MOVQ	BX, g_stack_lo(DI)
	MOVQ	SP, g_stack_hi(DI)
	JMP	main·milestone_done(SB)

TEXT main·milestone_done(SB),NOSPLIT|NOFRAME,$0
	MOVL	$0, DI
	MOVL	$231, AX		// exit_group(0)
	SYSCALL
