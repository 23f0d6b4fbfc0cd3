// settls in miniature: point FS at m0.tls with arch_prctl(ARCH_SET_FS), so that
// %fs:-8 is m0.tls[0], and check it the way rt0_go does: write 0x123 through
// the TLS slot and read it back from m0.tls[0] (asm_amd64.s:254-263;
// runtime·settls is sys_linux_amd64.s:639-653). settls_off8 is the same with the
// ADDQ $8 left out: the check fails.
//
// gostep-end: milestone:done
// gostep-expect: $fs_base == &m0.tls[0] + 8
// gostep-expect: m0.tls[0] == 0x123
// gostep-expect: $rax == 0x123
// gostep-break: m0.tls[0]
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

// ELF's TLS ABI puts the thread pointer just past the variables: -8(FS) must be
// tls[0], so FS = &m0.tls[0] + 8.
TEXT main·milestone_settls(SB),NOSPLIT|NOFRAME,$0
	LEAQ	runtime·m0+m_tls(SB), DI
	ADDQ	$8, DI
	MOVQ	DI, SI			// addr
	MOVQ	$0x1002, DI		// ARCH_SET_FS
	MOVQ	$158, AX		// arch_prctl
	SYSCALL
	JMP	main·milestone_tls_probe(SB)

// Write through the TLS slot (Go's get_tls and g() macros: %fs:-8)...
TEXT main·milestone_tls_probe(SB),NOSPLIT|NOFRAME,$0
	MOVQ	TLS, BX
	MOVQ	$0x123, 0(BX)(TLS*1)
	JMP	main·milestone_tls_check(SB)

// ...and read it back where it must have landed.
TEXT main·milestone_tls_check(SB),NOSPLIT|NOFRAME,$0
	MOVQ	runtime·m0+m_tls(SB), AX
	CMPQ	AX, $0x123
	JEQ	ok
	MOVL	$1, DI
	MOVL	$231, AX		// exit_group(1): rt0_go would call runtime·abort
	SYSCALL
ok:
	JMP	main·milestone_done(SB)

TEXT main·milestone_done(SB),NOSPLIT|NOFRAME,$0
	MOVL	$0, DI
	MOVL	$231, AX		// exit_group(0)
	SYSCALL
