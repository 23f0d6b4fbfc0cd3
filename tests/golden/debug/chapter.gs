# gostep lecture script: chapter 2's bootstrap, instruction by instruction, on hello.
# We start stopped at the ELF entry point, _rt0_amd64_linux: argc and argv sit on the OS stack.
info registers rsp
x/2gx $sp
# 1. rt0_go carves g0's 64 KiB stack out of the OS stack. Watch g0.stack.lo change.
watch g0.stack.lo
continue
delete
info g0
# 2. settls: arch_prctl(ARCH_SET_FS) points FS just past m0.tls[0], so %fs:-8 is m0.tls[0].
break runtime.settls
continue
info tls
catch syscall arch_prctl
continue
info tls
delete
# 3. The TLS check: rt0_go writes 0x123 through %fs:-8 and reads it back from m0.tls[0].
watch m0.tls[0]
continue
# ... and then stores g0 there: MOVQ CX, g(BX).
continue
delete
info tls
# 4. m0 and g0 are bound to each other: m0.g0 = &g0, then g0.m = &m0.
until milestone:m0_g0
stepi 2
info m0
# 5. schedinit creates the Ps; m0 takes allp[0], the others wait in sched.pidle.
until milestone:schedinit_return
info p
info sched
# 6. newproc makes the main goroutine and puts it in allp[0].runnext.
watch allp[0].runnext
continue
info goroutines
bt
delete
until milestone:newproc_return
info p
# 7. mstart, schedule, execute and gogo switch from g0 to the main goroutine.
until milestone:mstart
until milestone:execute
until milestone:gogo
stepi 9
info tls
# 8. runtime.main runs on goroutine 1, and then main.main.
until milestone:runtime_main
info g
until milestone:main_main
bt
continue
