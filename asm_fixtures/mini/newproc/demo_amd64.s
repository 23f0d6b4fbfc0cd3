// newproc in miniature: make goroutines and queue them on a P as newproc and
// runqput do (proc.go:4094-4107, 5785-5816, runqputslow 5821-5856). Each new g
// goes into p.runnext; the one it kicks out goes to the back of the P's ring of
// 256; when the ring is full, half of it and the kicked-out g move to the global
// run queue (sched.runq, linked through g.schedlink). 258 goroutines do it all.
// (The real newproc1 also gives each g a stack and a start PC; goids come in
// batches of 16 there, one by one here.)
//
// gostep-end: milestone:done
// gostep-expect: allp[0].runnext == &'main.gs' + 257*392
// gostep-expect: allp[0].runqtail - allp[0].runqhead == 128
// gostep-expect: sched.runqsize == 129 && sched.goidgen == 258
// gostep-expect: g(1).atomicstatus == 1 && allgs.len == 258
// gostep-break: sched.runqsize
#include "textflag.h"
#include "../runtime_offsets.h"

GLOBL main·p0(SB), NOPTR, $p_size
GLOBL main·allparray(SB), NOPTR, $8
GLOBL main·gs(SB), NOPTR, $(258*g_size)
GLOBL main·allgsarray(SB), NOPTR, $(258*8)

// The linker keeps only what the entry reaches: this table keeps runtime.g0 and
// runtime.m0 (and their DWARF, which gostep's views read) in every miniature.
DATA main·keep+0(SB)/8, $runtime·g0(SB)
DATA main·keep+8(SB)/8, $runtime·m0(SB)
GLOBL main·keep(SB), RODATA, $16

TEXT main·entry(SB),NOSPLIT|NOFRAME,$0
	MOVQ	$main·keep(SB), AX
	JMP	main·milestone_make_p(SB)

// One P, running on m0; allp = [&p0]; allgs empty, room for 258.
TEXT main·milestone_make_p(SB),NOSPLIT|NOFRAME,$0
	LEAQ	main·p0(SB), R8
	MOVL	$_Prunning, p_status(R8)
	LEAQ	runtime·m0(SB), AX
	MOVQ	AX, p_m(R8)
	MOVQ	R8, m_p(AX)
	LEAQ	main·allparray(SB), BX
	MOVQ	R8, 0(BX)
	MOVQ	BX, runtime·allp+0(SB)
	MOVQ	$1, runtime·allp+8(SB)
	MOVQ	$1, runtime·allp+16(SB)
	LEAQ	main·allgsarray(SB), BX
	MOVQ	BX, runtime·allgs+0(SB)
	MOVQ	$258, runtime·allgs+16(SB)
	XORQ	R9, R9			// i: the goroutine being made
	JMP	main·milestone_newproc(SB)

// For each of 258 goroutines, newproc1 then runqput(p0, g, next=true):
// g = &gs[i], a new goid, _Grunnable, appended to allgs; g takes runnext, and
// the g it kicks out goes to the tail of the P's ring (head and tail count up,
// slot = tail % 256). The 258th finds the ring full.
TEXT main·milestone_newproc(SB),NOSPLIT|NOFRAME,$0
newg:
	MOVQ	R9, R10
	IMULQ	$g_size, R10
	LEAQ	main·gs(SB), AX
	ADDQ	AX, R10
	MOVQ	runtime·sched+0(SB), AX	// sched.goidgen
	INCQ	AX
	MOVQ	AX, runtime·sched+0(SB)
	MOVQ	AX, g_goid(R10)
	MOVL	$_Grunnable, g_atomicstatus(R10)
	LEAQ	main·allgsarray(SB), BX
	MOVQ	R10, (BX)(R9*8)
	INCQ	runtime·allgs+8(SB)
	MOVQ	p_runnext(R8), R11	// runqput: the old runnext...
	MOVQ	R10, p_runnext(R8)	// ...gives way to g
	TESTQ	R11, R11
	JEQ	next
	MOVL	p_runqhead(R8), AX
	MOVL	p_runqtail(R8), CX
	MOVL	CX, DX
	SUBL	AX, DX
	CMPL	DX, $256
	JEQ	full
	ANDL	$255, CX
	MOVQ	R11, p_runq(R8)(CX*8)	// the old runnext to the ring's tail
	INCL	p_runqtail(R8)
next:
	INCQ	R9
	CMPQ	R9, $258
	JNE	newg
	JMP	main·milestone_done(SB)
full:
	JMP	main·milestone_runqputslow(SB)

// The ring is full (runqputslow): its first 128 and the kicked-out g, in that
// order, go to the tail of the global queue, linked through g.schedlink.
// (Here it happens to the last goroutine made, so the demo ends after it.)
TEXT main·milestone_runqputslow(SB),NOSPLIT|NOFRAME,$0
	MOVQ	$129, R12
	MOVL	p_runqhead(R8), AX
next:
	MOVQ	R11, R13		// the last of the 129: the kicked-out g
	CMPQ	R12, $1
	JEQ	put
	MOVL	AX, DX
	ANDL	$255, DX
	MOVQ	p_runq(R8)(DX*8), R13	// one from the ring's head
	INCL	AX
put:
	MOVQ	runtime·sched+sched_runq_tail(SB), R14
	TESTQ	R14, R14
	JEQ	empty
	MOVQ	R13, g_schedlink(R14)
	JMP	linked
empty:
	MOVQ	R13, runtime·sched+sched_runq_head(SB)
linked:
	MOVQ	R13, runtime·sched+sched_runq_tail(SB)
	INCL	runtime·sched+sched_runqsize(SB)
	DECQ	R12
	JNE	next
	MOVL	AX, p_runqhead(R8)
	JMP	main·milestone_done(SB)

TEXT main·milestone_done(SB),NOSPLIT|NOFRAME,$0
	MOVL	$0, DI
	MOVL	$231, AX		// exit_group(0)
	SYSCALL
