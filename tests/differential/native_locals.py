# Runs inside gdb's embedded Python (gdb -batch -x native_locals.py --args PROG):
# stops natively at each pc of GOSTEP_LOCALS_STOPS (comma-separated, each once)
# and prints one JSON line per stop with the arguments and locals of the
# innermost frame and its caller, read through gdb's own DWARF reader, as
# "facts" that do not depend on the schedule or on where the heap is:
#   integers and bools as numbers, strings as text, slices as {len, cap, elems},
#   maps as {count}, chans as {dataqsiz, closed}, interfaces as {type, data},
#   funcs as the function's name, pointers to the program's structs followed
#   (other pointers "ptr" or "nil"), and "<optimized out>".
# tests/e2e/locals_differential_test.cpp builds the same facts from gostep's
# `info args` / `info locals` JSON and compares them (docs/differential.md).
import json
import os

import gdb

MAX_DEPTH = 3


def is_user_struct(t):
    t = t.strip_typedefs()
    return t.code == gdb.TYPE_CODE_STRUCT and (t.name or "").startswith("main.")


def symbol_at(addr):
    try:
        out = gdb.execute("info symbol %d" % addr, to_string=True).strip()
    except gdb.error:
        return None
    if out.startswith("No symbol"):
        return None
    return out.split(" in section")[0].split(" + ")[0]


def slice_elems(arr, n, depth):
    elems = []
    if depth < MAX_DEPTH and n:
        for i in range(min(n, 16)):
            elems.append(fact((arr + i).dereference(), depth + 1))
    return elems


def fact(v, depth=0):
    try:
        if v.is_optimized_out:
            # gdb says so when any part is gone; gostep shows the parts that are there.
            st = v.type.strip_typedefs()
            if st.code != gdb.TYPE_CODE_STRUCT:
                return "<optimized out>"
            if str(v.type).startswith("[]"):
                # A slice whose pointer and length are there but not its cap: its
                # elements can still be read (gostep shows it as a slice, cap unknown).
                arr, n = v["array"], v["len"]
                if not arr.is_optimized_out and not n.is_optimized_out:
                    return {"len": int(n), "cap": "<optimized out>", "elems": slice_elems(arr, int(n), depth)}
            parts = {f.name: fact(v[f.name], depth + 1) for f in st.fields()}
            if all(p == "<optimized out>" for p in parts.values()):
                return "<optimized out>"
            return parts if depth < MAX_DEPTH else "..."
        t = v.type
        name = str(t)
        st = t.strip_typedefs()
        if name == "string":
            n = int(v["len"])
            if n == 0:
                return ""
            data = gdb.selected_inferior().read_memory(int(v["str"]), min(n, 256))
            return bytes(data).decode("utf-8", "replace")
        if name.startswith("[]"):
            n, c = int(v["len"]), int(v["cap"])
            return {"len": n, "cap": c, "elems": slice_elems(v["array"], n, depth)}
        if name.startswith("map["):
            p = int(v.cast(gdb.lookup_type("uintptr")))
            if p == 0:
                return "nil"
            return {"count": int(v.dereference()["count"])}
        if name.startswith("chan ") or name.startswith("<-chan ") or name.startswith("chan<- "):
            p = int(v.cast(gdb.lookup_type("uintptr")))
            if p == 0:
                return "nil"
            h = v.dereference()
            return {"dataqsiz": int(h["dataqsiz"]), "closed": int(h["closed"]) != 0}
        if name.startswith("func("):
            # Go's DWARF types a func value as a subroutine type, not a pointer, so
            # gdb takes the variable's slot for the function: the word in the slot is
            # the *funcval (docs/differential.md).
            uintptr = gdb.lookup_type("uintptr")
            if st.code == gdb.TYPE_CODE_FUNC:
                if v.address is None:
                    return "<optimized out>"
                p = int(v.address.cast(uintptr.pointer()).dereference())
            else:
                p = int(v.cast(uintptr))
            if p == 0:
                return "nil"
            fn = int(gdb.Value(p).cast(uintptr.pointer()).dereference())
            return symbol_at(fn)
        if st.code == gdb.TYPE_CODE_STRUCT:
            fields = [f.name for f in st.fields()]
            if fields == ["tab", "data"] or fields == ["_type", "data"]:
                first = int(v[fields[0]].cast(gdb.lookup_type("uintptr")))
                if first == 0:
                    return "nil"
                dyn = None
                if fields[0] == "tab":
                    # go.itab.main.rect,main.shape: gdb's Go demangler shows "rect,main.shape"
                    sym = symbol_at(first) or ""
                    if sym.startswith("go.itab."):
                        sym = sym[len("go.itab."):]
                    concrete, _, iface = sym.partition(",")
                    if concrete and "." not in concrete and "." in iface:
                        concrete = iface.rsplit(".", 1)[0] + "." + concrete
                    dyn = concrete or None
                out = {"type": dyn}
                if dyn and depth < MAX_DEPTH:
                    try:
                        dt = gdb.lookup_type(dyn)
                        out["data"] = fact(v["data"].cast(dt.pointer()).dereference(), depth + 1)
                    except gdb.error:
                        pass
                return out
            if depth >= MAX_DEPTH:
                return "..."
            return {f: fact(v[f], depth + 1) for f in fields}
        if st.code == gdb.TYPE_CODE_PTR:
            p = int(v.cast(gdb.lookup_type("uintptr")))
            if p == 0:
                return "nil"
            if is_user_struct(st.target()) and depth < MAX_DEPTH:
                return {"*": fact(v.dereference(), depth + 1)}
            return "ptr"
        if st.code == gdb.TYPE_CODE_BOOL:
            return bool(v)
        if st.code in (gdb.TYPE_CODE_INT, gdb.TYPE_CODE_CHAR):
            return int(v)
        return str(v)
    except gdb.error as e:
        if "optimized out" in str(e):
            return "<optimized out>"
        return "<error: %s>" % e
    except gdb.MemoryError:
        return "<unreadable>"


def frame_facts(frame):
    out = {"function": frame.name(), "args": {}, "locals": {}}
    try:
        block = frame.block()
    except RuntimeError:
        return out
    while block is not None:
        for sym in block:
            if not (sym.is_argument or sym.is_variable):
                continue
            kind = "args" if sym.is_argument else "locals"
            name = sym.name
            if name in out[kind]:
                continue
            try:
                v = frame.read_var(sym, block)
            except (gdb.error, ValueError) as e:
                out[kind][name] = "<optimized out>" if "optimized out" in str(e) else "<error: %s>" % e
                continue
            if name.startswith("&"):  # escaped to the heap: the slot holds &x
                name = name[1:]
                try:
                    v = v.dereference() if not v.is_optimized_out and int(v) != 0 else v
                except gdb.error:
                    pass
            out[kind][name] = fact(v)
        if block.function is not None:
            break
        block = block.superblock
    return out


def main():
    gdb.execute("set pagination off")
    gdb.execute("set confirm off")
    gdb.execute("set startup-with-shell off")
    gdb.execute("set disable-randomization on")
    gdb.execute("unset environment")
    gdb.execute("catch syscall exit_group")
    stops = [int(x, 16) for x in os.environ["GOSTEP_LOCALS_STOPS"].split(",") if x]
    for pc in stops:
        gdb.execute("break *%d" % pc)
    gdb.execute("run")
    seen = set()
    while True:
        try:
            frame = gdb.selected_frame()
        except gdb.error:
            break
        pc = frame.pc()
        if pc in stops and pc not in seen:
            seen.add(pc)
            frames = [frame_facts(frame)]
            older = frame.older()
            if older is not None:
                frames.append(frame_facts(older))
            print(json.dumps({"pc": "%#x" % pc, "frames": frames}, ensure_ascii=False), flush=True)
            gdb.execute("delete")
            for p in stops:
                if p not in seen:
                    gdb.execute("break *%d" % p)
        if len(seen) == len(stops):
            break
        try:
            gdb.execute("continue")
        except gdb.error:
            break
    try:
        gdb.execute("kill")
    except gdb.error:
        pass


main()
