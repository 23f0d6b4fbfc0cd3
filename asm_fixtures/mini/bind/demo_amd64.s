// bind in miniature: with TLS working, rt0_go makes g0 the current goroutine
// (g0 into the TLS slot) and ties m0 and g0 to each other (asm_amd64.s:264-274).
// After this, getg() is g0, getg().m is m0, and m0.g0 is g0.
//
// gostep-end: milestone:done
// gostep-expect: m0.tls[0] == &g0
// gostep-expect: m0.g0 == &g0
// gostep-expect: g0.m == &m0
// gostep-break: g0.m
#include "textflag.h"
#include "../runtime_offsets.h"

// The linker keeps only what the entry reaches: this table keeps runtime.g0 and
// runtime.m0 (and their DWARF, which gostep's views read) in every miniature.
DATA main·keep+0(SB)/8, $runtime·g0(SB)
DATA main·keep+8(SB)/8, $runtime·m0(SB)
GLOBL main·keep(SB), RODATA, $16

TEXT main·entry(SB),NOSPLIT|NOFRAME,$0
	MOVQ	$main·keep(SB), AX
	JMP	main·milestone_settls(SB)

// TLS first, as in the settls miniature.
TEXT main·milestone_settls(SB),NOSPLIT|NOFRAME,$0
	LEAQ	runtime·m0+m_tls(SB), DI
	ADDQ	$8, DI
	MOVQ	DI, SI
	MOVQ	$0x1002, DI		// ARCH_SET_FS
	MOVQ	$158, AX		// arch_prctl
	SYSCALL
	JMP	main·milestone_g0_in_tls(SB)

// g(BX) = g0: from now on %fs:-8 says "this thread runs g0".
TEXT main·milestone_g0_in_tls(SB),NOSPLIT|NOFRAME,$0
	MOVQ	TLS, BX
	LEAQ	runtime·g0(SB), CX
	MOVQ	CX, 0(BX)(TLS*1)
	JMP	main·milestone_m0_g0(SB)

// m0.g0 = &g0: the M knows its scheduling goroutine...
TEXT main·milestone_m0_g0(SB),NOSPLIT|NOFRAME,$0
	LEAQ	runtime·m0(SB), AX
	MOVQ	CX, m_g0(AX)
	JMP	main·milestone_g0_m(SB)

// ...and g0.m = &m0: the goroutine knows the thread running it.
TEXT main·milestone_g0_m(SB),NOSPLIT|NOFRAME,$0
	MOVQ	AX, g_m(CX)
	JMP	main·milestone_done(SB)

TEXT main·milestone_done(SB),NOSPLIT|NOFRAME,$0
	MOVL	$0, DI
	MOVL	$231, AX		// exit_group(0)
	SYSCALL
