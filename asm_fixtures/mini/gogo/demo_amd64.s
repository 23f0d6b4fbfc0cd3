// gogo in miniature: a goroutine switch. Save where g0 is (a gobuf: SP, PC, g),
// then load goroutine 1's gobuf: the g register and the TLS slot name g1, SP is
// g1's stack, and a jump to g1's PC (asm_amd64.s:399-418, runtime·gogo). g1 runs,
// and switches back the same way to what g0 saved (as runtime·mcall does).
//
// gostep-end: milestone:done
// gostep-expect: m0.tls[0] == &g0 && $r14 == &g0
// gostep-expect: 'main.marker' == 1
// gostep-expect: g0.sched.pc == $pc && g0.sched.sp == $sp
// gostep-expect: g(1).sched.pc != 0 && g(1).sched.sp < g(1).stack.hi && g(1).sched.sp >= g(1).stack.lo
// gostep-break: 'main.marker'
#include "textflag.h"
#include "../runtime_offsets.h"

GLOBL main·g1(SB), NOPTR, $g_size
GLOBL main·g1stack(SB), NOPTR, $4096
GLOBL main·allgsarray(SB), NOPTR, $8
GLOBL main·marker(SB), NOPTR, $8

// The linker keeps only what the entry reaches: this table keeps runtime.g0 and
// runtime.m0 (and their DWARF, which gostep's views read) in every miniature.
DATA main·keep+0(SB)/8, $runtime·g0(SB)
DATA main·keep+8(SB)/8, $runtime·m0(SB)
GLOBL main·keep(SB), RODATA, $16

TEXT main·entry(SB),NOSPLIT|NOFRAME,$0
	MOVQ	$main·keep(SB), AX
	JMP	main·milestone_setup(SB)

// As rt0_go leaves things: TLS working, g0 current, m0 and g0 bound; and a g1
// with its own 4 KiB stack, ready to run main·milestone_g1_runs.
TEXT main·milestone_setup(SB),NOSPLIT|NOFRAME,$0
	LEAQ	runtime·m0+m_tls(SB), DI
	ADDQ	$8, DI
	MOVQ	DI, SI
	MOVQ	$0x1002, DI		// ARCH_SET_FS
	MOVQ	$158, AX		// arch_prctl
	SYSCALL
	MOVQ	TLS, BX
	LEAQ	runtime·g0(SB), CX
	MOVQ	CX, 0(BX)(TLS*1)
	MOVQ	CX, R14
	LEAQ	runtime·m0(SB), AX
	MOVQ	CX, m_g0(AX)
	MOVQ	AX, g_m(CX)
	LEAQ	main·g1(SB), DX
	MOVQ	$1, g_goid(DX)
	MOVL	$_Grunnable, g_atomicstatus(DX)
	LEAQ	main·g1stack(SB), BX
	MOVQ	BX, g_stack_lo(DX)
	ADDQ	$4096, BX
	MOVQ	BX, g_stack_hi(DX)
	SUBQ	$8, BX
	MOVQ	BX, (g_sched+gobuf_sp)(DX)
	LEAQ	main·milestone_g1_runs(SB), BX
	MOVQ	BX, (g_sched+gobuf_pc)(DX)
	MOVQ	DX, (g_sched+gobuf_g)(DX)
	LEAQ	main·allgsarray(SB), BX
	MOVQ	DX, 0(BX)
	MOVQ	BX, runtime·allgs+0(SB)
	MOVQ	$1, runtime·allgs+8(SB)
	MOVQ	$1, runtime·allgs+16(SB)
	JMP	main·milestone_save_g0(SB)

// gosave: g0's SP and the PC to come back to, in g0.sched.
TEXT main·milestone_save_g0(SB),NOSPLIT|NOFRAME,$0
	MOVQ	SP, (g_sched+gobuf_sp)(CX)
	LEAQ	main·milestone_done(SB), BX
	MOVQ	BX, (g_sched+gobuf_pc)(CX)
	MOVQ	CX, (g_sched+gobuf_g)(CX)
	JMP	main·milestone_gogo(SB)

// gogo(&g1.sched): g1 becomes the current g (TLS and R14), its SP, its PC.
TEXT main·milestone_gogo(SB),NOSPLIT|NOFRAME,$0
	LEAQ	main·g1(SB), DX
	MOVL	$_Grunning, g_atomicstatus(DX)
	MOVQ	DX, m_curg(AX)
	MOVQ	TLS, BX
	MOVQ	DX, 0(BX)(TLS*1)
	MOVQ	DX, R14
	MOVQ	(g_sched+gobuf_sp)(DX), SP
	MOVQ	(g_sched+gobuf_pc)(DX), BX
	JMP	BX

// Running on g1's stack now.
TEXT main·milestone_g1_runs(SB),NOSPLIT|NOFRAME,$0
	MOVQ	$1, main·marker(SB)
	JMP	main·milestone_back_to_g0(SB)

// mcall in miniature: g1's SP and PC into g1.sched, then g0's gobuf back.
TEXT main·milestone_back_to_g0(SB),NOSPLIT|NOFRAME,$0
	LEAQ	main·g1(SB), DX
	MOVQ	SP, (g_sched+gobuf_sp)(DX)
	LEAQ	main·milestone_g1_runs(SB), BX
	MOVQ	BX, (g_sched+gobuf_pc)(DX)
	MOVL	$_Grunnable, g_atomicstatus(DX)
	LEAQ	runtime·g0(SB), CX
	MOVQ	TLS, BX
	MOVQ	CX, 0(BX)(TLS*1)
	MOVQ	CX, R14
	MOVQ	(g_sched+gobuf_sp)(CX), SP
	MOVQ	(g_sched+gobuf_pc)(CX), BX
	JMP	BX

TEXT main·milestone_done(SB),NOSPLIT|NOFRAME,$0
	MOVL	$0, DI
	MOVL	$231, AX		// exit_group(0)
	SYSCALL
