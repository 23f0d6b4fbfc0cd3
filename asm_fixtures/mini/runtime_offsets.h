// Offsets into Go 1.19's runtime structures, as the runtime's own assembly gets
// them from go_asm.h (which only the runtime package can include). A test
// (tests/unit/mini_demos_test.cpp) checks every one against the binary's DWARF.
#define g_stack_lo 0
#define g_stack_hi 8
#define g_stackguard0 16
#define g_stackguard1 24
#define g_m 48
#define g_sched 56
#define gobuf_sp 0
#define gobuf_pc 8
#define gobuf_g 16
#define g_atomicstatus 144
#define g_goid 152
#define g_schedlink 160
#define g_size 392
#define m_g0 0
#define m_tls 136
#define m_curg 192
#define m_p 208
#define p_status 4
#define p_m 56
#define p_runqhead 400
#define p_runqtail 404
#define p_runq 408
#define p_runnext 2456
#define p_size 8912
#define sched_runq_head 96
#define sched_runq_tail 104
#define sched_runqsize 112
#define _Grunnable 1
#define _Grunning 2
#define _Prunning 1
