# Native half of the differential test (tests/e2e/differential_test.cpp).
#
# Runs inside gdb's embedded Python (no separate python3 needed):
#
#   GOSTEP_DIFF_STOPS=0x45e500,0x45ab00,... \
#   gdb -batch -nx -iex "set auto-load python-scripts off" \
#       -x tests/differential/native_dump.py --args /abs/path/to/prog
#
# It runs PROG natively the way gostep runs it (empty environment, ASLR off,
# no shell, argv[0] = the path string as given), stops the first time each pc
# of GOSTEP_DIFF_STOPS is reached, and prints one JSON line per stop in the
# gostep.dump/1 shape (DESIGN.md), in execution order; two stops at the same
# pc print two lines, in the order of GOSTEP_DIFF_STOPS, as gostep does.
# Before the first stop it prints {"native_auxv": [[type, value], ...],
# "vdso_block": [lo, hi], "signals": {"SigIgn", "SigBlk"}} (the kernel's vvar/vdso
# mappings, the signal state the inferior inherited), and at the end
# {"done": true}; {"error": ...} says why it could not go on.
#
# Everything is read through gdb's own DWARF reader (runtime2.go's field
# names), never through gostep's code or offsets: that independence is the
# point of the differential test. Output lines start with "GOSTEP_NATIVE "
# so that gdb's own chatter can be told apart.
import json
import os
import re

import gdb

PREFIX = "GOSTEP_NATIVE "

# runtime2.go (go1.19): g and p status constants.
G_STATUS = {0: "idle", 1: "runnable", 2: "running", 3: "syscall", 4: "waiting",
            5: "moribund_unused", 6: "dead", 7: "enqueue_unused", 8: "copystack",
            9: "preempted"}
G_SCAN = 0x1000
P_STATUS = {0: "_Pidle", 1: "_Prunning", 2: "_Psyscall", 3: "_Pgcstop", 4: "_Pdead"}


def emit(obj):
    gdb.write(PREFIX + json.dumps(obj, separators=(",", ":")) + "\n")
    gdb.flush()


def run(cmd):
    return gdb.execute(cmd, to_string=True)


def u(v):
    """A gdb.Value (integer, bool, pointer) as a Python int, unsigned 64-bit."""
    if v.type.strip_typedefs().code == gdb.TYPE_CODE_PTR:
        v = v.cast(gdb.lookup_type("uintptr"))
    return int(v) & 0xFFFFFFFFFFFFFFFF


def s(v):
    """A signed integer field (goid, id)."""
    return int(v)


def hx(n):
    return "0x%x" % n


def ptr(n):
    return hx(n) if n else None


def glob(name):
    return gdb.parse_and_eval("'%s'" % name)


def deref(addr, type_name):
    return gdb.Value(addr).cast(gdb.lookup_type(type_name).pointer()).dereference()


def g_status_name(st):
    base = G_STATUS.get(st & ~G_SCAN)
    if base is None:
        return "unknown(%d)" % st
    return ("_Gscan" if st & G_SCAN else "_G") + base


def symbol(addr):
    """name+0xOFF from the ELF symbol table (gdb's minimal symbols), or None."""
    if not addr:
        return None
    out = run("info symbol 0x%x" % addr).strip()
    m = re.match(r"^(\S+)(?: \+ (\d+))? in section ", out)
    if not m:
        return None
    return m.group(1) + ("+0x%x" % int(m.group(2)) if m.group(2) else "")


def source(pc):
    sal = gdb.find_pc_line(pc)
    if sal.symtab is None or sal.line == 0:
        return None
    return "%s:%d" % (os.path.basename(sal.symtab.filename), sal.line)


def g_json(addr):
    g = deref(addr, "runtime.g")
    startpc, gopc = u(g["startpc"]), u(g["gopc"])
    st = u(g["atomicstatus"])
    return {
        "addr": hx(addr),
        "goid": s(g["goid"]),
        "status": st,
        "status_name": g_status_name(st),
        "stack": {"lo": hx(u(g["stack"]["lo"])), "hi": hx(u(g["stack"]["hi"]))},
        "stackguard0": hx(u(g["stackguard0"])),
        "stackguard1": hx(u(g["stackguard1"])),
        "m": ptr(u(g["m"])),
        "sched": {"sp": hx(u(g["sched"]["sp"])), "pc": hx(u(g["sched"]["pc"])),
                  "g": ptr(u(g["sched"]["g"]))},
        "startpc": hx(startpc),
        "startpc_symbol": symbol(startpc),
        "gopc": hx(gopc),
        "gopc_symbol": symbol(gopc),
    }


def m_json(addr):
    m = deref(addr, "runtime.m")
    tls = m["tls"]
    lo, hi = tls.type.strip_typedefs().range()
    return {
        "addr": hx(addr),
        "id": s(m["id"]),
        "procid": u(m["procid"]),
        "g0": ptr(u(m["g0"])),
        "curg": ptr(u(m["curg"])),
        "p": ptr(u(m["p"])),
        "nextp": ptr(u(m["nextp"])),
        "tls": [hx(u(tls[i])) for i in range(lo, hi + 1)],
        "spinning": bool(u(m["spinning"])),
    }


def p_json(addr):
    p = deref(addr, "runtime.p")
    head, tail = u(p["runqhead"]), u(p["runqtail"])
    ring = p["runq"]
    lo, hi = ring.type.strip_typedefs().range()
    n = hi - lo + 1
    runq = []
    i = head
    while i != tail and len(runq) < n:  # proc.go runqget: ring[head % len] .. ring[tail-1]
        runq.append(hx(u(ring[i % n])))
        i = (i + 1) & 0xFFFFFFFF
    st = u(p["status"])
    return {
        "addr": hx(addr),
        "id": s(p["id"]),
        "status": st,
        "status_name": P_STATUS.get(st, "unknown(%d)" % st),
        "m": ptr(u(p["m"])),
        "runqhead": head,
        "runqtail": tail,
        "runq": runq,
        "runnext": ptr(u(p["runnext"])),
    }


def slice_elems(v):
    arr, n = v["array"], int(v["len"])
    return [u(arr[i]) for i in range(n)]


def sched_json():
    sc = glob("runtime.sched")
    runq = []
    g = u(sc["runq"]["head"])
    while g and len(runq) < 100000:
        runq.append(hx(g))
        g = u(deref(g, "runtime.g")["schedlink"])
    return {
        "runqsize": s(sc["runqsize"]),
        "runq": runq,
        "midle": ptr(u(sc["midle"])),
        "nmidle": s(sc["nmidle"]),
        "pidle": ptr(u(sc["pidle"])),
        "npidle": u(sc["npidle"]),
        "nmspinning": u(sc["nmspinning"]),
        "goidgen": u(sc["goidgen"]),
    }


REGS = ["rip", "rsp", "rbp", "rax", "rbx", "rcx", "rdx", "rsi", "rdi", "r8", "r9", "r10",
        "r11", "r12", "r13", "r14", "r15"]


def reg(name):
    # int() takes every register type, eflags (a flags type) included.
    return int(gdb.selected_frame().read_register(name)) & 0xFFFFFFFFFFFFFFFF


def or_zero(read):
    """The TLS word need not point at a g (rt0_go stores the probe 0x123 there
    first): what cannot be read counts as 0."""
    try:
        return read()
    except gdb.MemoryError:
        return 0


def g_name(addr):
    if not addr:
        return None
    if addr == u(glob("runtime.g0").address):
        return "runtime.g0"
    goid = or_zero(lambda: s(deref(addr, "runtime.g")["goid"]))
    return "g(goid=%d)" % goid if goid else "g(0x%x)" % addr


def dump(pc):
    regs = {r: hx(reg(r)) for r in REGS}
    regs["rflags"] = hx(reg("eflags"))
    fs_base = reg("fs_base")
    regs["fs_base"] = hx(fs_base)
    r14 = reg("r14")
    tls_g = None
    if fs_base:
        tls_g = u(gdb.Value(fs_base - 8).cast(gdb.lookup_type("uintptr").pointer()).dereference())
    tls = {"fs_base": hx(fs_base), "g": hx(tls_g) if tls_g is not None else None,
           "g_symbol": g_name(tls_g) if tls_g else None, "r14": hx(r14),
           "agree": tls_g is not None and tls_g == r14}  # as gostep: TLS exists and equals R14
    g0 = u(glob("runtime.g0").address)
    m0 = u(glob("runtime.m0").address)
    curg = None
    if tls_g:
        m = or_zero(lambda: u(deref(tls_g, "runtime.g")["m"]))
        c = or_zero(lambda: u(deref(m, "runtime.m")["curg"])) if m else 0
        if c:
            curg = g_json(c)
    allm = []
    m = u(glob("runtime.allm"))
    while m and len(allm) < 10000:
        allm.append(m_json(m))
        m = u(deref(m, "runtime.m")["alllink"])
    thread = gdb.selected_thread()
    # Not part of gostep.dump/1 (the test drops it before comparing): the goroutines newproc1
    # chose for latency tracking (proc.go:4172-4175: trackingSeq = fastrand, 1 in 8). casgstatus
    # then calls nanotime (proc.go:1005-1026), which changes the scratch registers. g.tracking
    # is cleared again on _Grunning; trackingSeq % 8 == 0 stays true until the g next stops running.
    native_only = {"tracked": [s(deref(a, "runtime.g")["goid"]) for a in slice_elems(glob("runtime.allgs"))
                               if u(deref(a, "runtime.g")["trackingSeq"]) % 8 == 0]}
    return {
        "schema": "gostep.dump/1",
        "stop": {"loc": symbol(pc), "pc": hx(pc), "insn": None,
                 "thread": thread.ptid[1] if thread else None, "source": source(pc)},
        "regs": regs,
        "tls": tls,
        "g0": g_json(g0),
        "m0": m_json(m0),
        "curg": curg,
        "allgs": [g_json(a) for a in slice_elems(glob("runtime.allgs"))],
        "allm": allm,
        "allp": [p_json(a) for a in slice_elems(glob("runtime.allp"))],
        "sched": sched_json(),
        "native_only": native_only,
    }


def auxv():
    out = []
    for line in run("info auxv").splitlines():
        m = re.match(r"^(\d+)\s+\S+.*\s(0x[0-9a-f]+|\d+)(\s+\".*\")?$", line)
        if m:
            out.append([int(m.group(1)), int(m.group(2), 0)])
    return out


def vdso_block():
    """[lo, hi) of the kernel's [vvar]/[vvar_vclock]/[vdso] mappings, or None."""
    lo = hi = None
    for line in run("info proc mappings").splitlines():
        f = line.split()
        if len(f) >= 5 and f[-1] in ("[vvar]", "[vvar_vclock]", "[vdso]"):
            a, b = int(f[0], 16), int(f[1], 16)
            lo = a if lo is None else min(lo, a)
            hi = b if hi is None else max(hi, b)
    return [lo, hi] if lo is not None else None


def signal_state():
    """SigIgn and SigBlk of the inferior at its first instruction (/proc/PID/status).
    gostep's guest starts with every signal at its default and none blocked; a
    native run inherits both from its parent, and Go's initsig takes another path
    when SIGHUP or SIGINT is ignored (signal_unix.go sigInstallGoHandler)."""
    out = {}
    with open("/proc/%d/status" % gdb.selected_inferior().pid) as f:
        for line in f:
            k, _, v = line.partition(":")
            if k in ("SigIgn", "SigBlk"):
                out[k] = "0x%x" % int(v.strip(), 16)
    return out


def main():
    stops = [int(x, 0) for x in os.environ.get("GOSTEP_DIFF_STOPS", "").split(",") if x]
    if not stops:
        raise gdb.GdbError("GOSTEP_DIFF_STOPS is empty")
    for cmd in ("set pagination off", "set confirm off", "set startup-with-shell off",
                "set disable-randomization on", "unset environment",
                "set auto-load python-scripts off", "set print thread-events off",
                "set print demangle off"):  # info symbol: runtime.main, not runtime[main]
        run(cmd)
    run("catch syscall exit_group")  # TRAPS.md: gdb 13 may fail on a plain continue-to-exit
    start = run("starti")
    if "Error disabling address space randomization" in start:
        emit({"error": "aslr", "detail": start.strip()})
    emit({"native_auxv": auxv(), "vdso_block": vdso_block(), "signals": signal_state()})
    pending = list(stops)
    bps = {}
    for pc in sorted(set(stops)):
        bps[pc] = gdb.Breakpoint("*0x%x" % pc, internal=True)
    while pending:
        pc = reg("rip")
        if pc in pending:
            state = dump(pc)
            for want in list(pending):
                if want == pc:
                    emit(state)
            pending = [x for x in pending if x != pc]
            if pc in bps:
                bps.pop(pc).delete()
            if not pending:
                break
        try:
            run("continue")
        except gdb.error as e:
            emit({"error": "continue", "detail": str(e)})
            break
        if not gdb.selected_inferior().pid:
            emit({"error": "exited", "pending": [hx(x) for x in pending]})
            break
        if reg("rip") not in pending:
            # Anything other than one of our breakpoints (exit_group, a signal) ends the run.
            emit({"error": "unexpected stop", "pc": hx(reg("rip")), "pending": [hx(x) for x in pending]})
            break
    emit({"done": True})
    try:
        run("kill")
    except gdb.error:
        pass


main()
