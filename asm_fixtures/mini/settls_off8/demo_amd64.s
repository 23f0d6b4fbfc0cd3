// settls_off8: the settls miniature with the ADDQ $8 left out. FS points at
// m0.tls[0] itself, so %fs:-8 is the word before it (the end of m.mstartfn's
// neighbour, not a TLS slot): the 0x123 lands there, m0.tls[0] stays 0, and the
// check fails as rt0_go's would (it calls runtime·abort; this exits 1).
//
// gostep-end: milestone:check_failed
// gostep-expect: $fs_base == &m0.tls[0]
// gostep-expect: m0.tls[0] == 0
// gostep-expect: *(&m0.tls[0] - 8) == 0x123
// gostep-break: *(&m0.tls[0] - 8)
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

TEXT main·milestone_settls(SB),NOSPLIT|NOFRAME,$0
	LEAQ	runtime·m0+m_tls(SB), DI
	MOVQ	DI, SI			// addr: 8 bytes too low
	MOVQ	$0x1002, DI		// ARCH_SET_FS
	MOVQ	$158, AX		// arch_prctl
	SYSCALL
	JMP	main·milestone_tls_probe(SB)

TEXT main·milestone_tls_probe(SB),NOSPLIT|NOFRAME,$0
	MOVQ	TLS, BX
	MOVQ	$0x123, 0(BX)(TLS*1)
	JMP	main·milestone_tls_check(SB)

TEXT main·milestone_tls_check(SB),NOSPLIT|NOFRAME,$0
	MOVQ	runtime·m0+m_tls(SB), AX
	CMPQ	AX, $0x123
	JEQ	ok
	JMP	main·milestone_check_failed(SB)
ok:
	JMP	main·milestone_done(SB)

TEXT main·milestone_check_failed(SB),NOSPLIT|NOFRAME,$0
	MOVL	$1, DI
	MOVL	$231, AX		// exit_group(1): rt0_go would call runtime·abort
	SYSCALL

TEXT main·milestone_done(SB),NOSPLIT|NOFRAME,$0
	MOVL	$0, DI
	MOVL	$231, AX
	SYSCALL
