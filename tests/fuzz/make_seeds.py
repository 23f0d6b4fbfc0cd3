#!/usr/bin/env python3
"""Writes the binary seeds of the fuzz corpora (tests/fuzz/corpus/): small files,
committed, so that the fuzz runs need nothing built first. Run it again only to
change them: python3 tests/fuzz/make_seeds.py (needs gcc and ld, for the ELF ones).

- pclntab/: a Go 1.18/1.19 pclntab of two functions, laid out as cmd/link writes it
  (header, names, cutab, filetab, pctab, functab and _func records), found by the
  reader's scan for its magic.
- elf/, dwarf/: tiny static x86-64 programs with .symtab, .strtab and DWARF 4
  (one with zlib-compressed debug sections, as Go writes them).
"""
import os
import struct
import subprocess
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def uvarint(v):
    out = bytearray()
    while True:
        b = v & 0x7F
        v >>= 7
        if v:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def pcvalue_table(pairs):
    """pairs of (value, pc delta): zig-zag value deltas from -1, as symtab.go's step() reads."""
    out, prev = bytearray(), -1
    for value, pcdelta in pairs:
        d = value - prev
        out += uvarint((d << 1) if d >= 0 else ((-d - 1) << 1) | 1)
        out += uvarint(pcdelta)
        prev = value
    return bytes(out + b"\0")


def pclntab():
    names = b"main.main\0runtime.rt0_go\0"
    cutab = struct.pack("<I", 0)
    filetab = b"main.go\0"
    pctab = bytearray(b"\0")  # offset 0 means "no table"
    offsets = []
    for sp, line in ((0, 10), (8, 20)):
        pcsp = len(pctab); pctab += pcvalue_table([(0, 4), (sp, 12)])
        pcfile = len(pctab); pctab += pcvalue_table([(0, 16)])
        pcln = len(pctab); pctab += pcvalue_table([(line, 8), (line + 1, 8)])
        offsets.append((pcsp, pcfile, pcln))
    nfunc = 2
    head = 72
    o_names = head
    o_cu = o_names + len(names)
    o_files = o_cu + len(cutab)
    o_pctab = o_files + len(filetab)
    o_pcln = o_pctab + len(pctab)
    ftab = bytearray()
    funcs_at = (nfunc + 1) * 8
    entries = (0, 16, 32)
    for i in range(nfunc):
        ftab += struct.pack("<II", entries[i], funcs_at + 40 * i)
    ftab += struct.pack("<II", entries[nfunc], 0)
    nameoffs = (0, len(b"main.main\0"))
    for i in range(nfunc):
        pcsp, pcfile, pcln = offsets[i]
        flag = 1 if i == 1 else 0  # rt0_go is a top frame
        ftab += struct.pack("<IiiIIIIII", entries[i], nameoffs[i], 0, 0, pcsp, pcfile, pcln, 0, 0)
        ftab += bytes([0, flag, 0, 0])
    header = struct.pack("<IBBBBQQQQQQQQ", 0xFFFFFFF0, 0, 0, 1, 8, nfunc, 1, 0x401000,
                         o_names, o_cu, o_files, o_pctab, o_pcln)
    assert len(header) == head
    return header + names + cutab + filetab + bytes(pctab) + bytes(ftab)


C_PROGRAM = r"""
struct stack { unsigned long lo, hi; };
struct g { struct stack stack; unsigned long stackguard0; long goid; unsigned int atomicstatus; struct g *next; };
enum status { Gidle, Grunnable, Grunning };
struct g g0;
long ncpu = 2;
static long add(long a, long b) { return a + b; }
void _start(void) {
  g0.goid = add(ncpu, Grunning);
  __asm__ volatile("mov $60, %eax\n xor %edi, %edi\n syscall");
}
"""


def elf_seeds(pcln):
    out = {}
    with tempfile.TemporaryDirectory() as d:
        blob = os.path.join(d, "pclntab")
        with open(blob, "wb") as f:
            f.write(pcln)
        src = os.path.join(d, "tiny.c")
        with open(src, "w") as f:
            f.write(C_PROGRAM)
        common = ["gcc", "-Os", "-gdwarf-4", "-static", "-nostdlib", "-no-pie", "-fno-pie",
                  "-fno-asynchronous-unwind-tables", "-Wl,--build-id=none", "-Wl,-N", src]
        for name, extra in (("tiny", []), ("tiny-zdebug", ["-Wl,--compress-debug-sections=zlib"])):
            exe = os.path.join(d, name)
            subprocess.run(common + extra + ["-o", exe], check=True)
            with open(exe, "rb") as f:
                out[name] = f.read()
        # The same program with the pclntab as a .gopclntab section (how the reader finds it first).
        with_pcln = os.path.join(d, "tiny-gopclntab")
        subprocess.run(["objcopy", "--add-section", ".gopclntab=" + blob, os.path.join(d, "tiny"), with_pcln],
                       check=True)
        with open(with_pcln, "rb") as f:
            out["tiny-gopclntab"] = f.read()
    return out


def write(folder, name, data):
    path = os.path.join(HERE, "corpus", folder, name)
    with open(path, "wb") as f:
        f.write(data)


def main():
    pcln = pclntab()
    write("pclntab", "two-functions", pcln)
    for name, data in elf_seeds(pcln).items():
        write("elf", name, data)
        if name != "tiny-gopclntab":
            write("dwarf", name, data)
        else:
            write("pclntab", name, data)


if __name__ == "__main__":
    main()
