// Unwinding Go 1.19 amd64 stacks with the runtime's own metadata, the way
// runtime.gentraceback does (runtime/traceback.go):
// - pclntab's pcsp table gives, at each pc of a function, how far SP is below
//   the frame's entry SP (the "spdelta"); the return address is at SP + spdelta
//   and the caller's SP is that + 8. The assembler computes pcsp for assembly
//   functions too, so rt0_go, mstart, systemstack and gogo unwind the same way.
// - functions flagged TOPFRAME (runtime.rt0_go, runtime.mstart, runtime.goexit)
//   are the outermost frame of their stack, as is the ELF entry code (_rt0_*);
// - functions flagged SPWRITE (they write SP in ways pcsp cannot describe) end
//   the unwind, except runtime.systemstack and runtime.morestack running on g0,
//   which continue on the goroutine's stack from curg.sched (as Go does with
//   _TraceJumpStack).
// Header-only: it needs nothing but the ELF file's bytes and a memory reader, so
// the unit tests use it directly.
#pragma once

#include <elf.h>

#include <algorithm>
#include <cstdio>
#include <cstdint>
#include <cstring>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace gostep::unwind {

// runtime/symtab.go: funcFlag.
inline constexpr std::uint8_t kFlagTopFrame = 1 << 0;
inline constexpr std::uint8_t kFlagSpWrite = 1 << 1;
inline constexpr std::uint8_t kFlagAsm = 1 << 2;

// A uvarint as runtime/symtab.go readvarint reads it; 0 bytes used when truncated.
inline std::uint32_t read_varint(std::span<const std::uint8_t> p, std::size_t& used) {
  std::uint32_t v = 0;
  unsigned shift = 0;
  used = 0;
  for (std::size_t i = 0; i < p.size() && i < 5; ++i) {
    v |= static_cast<std::uint32_t>(p[i] & 0x7f) << shift;
    shift += 7;
    if (!(p[i] & 0x80)) {
      used = i + 1;
      return v;
    }
  }
  return 0;
}

// The value a pc-value table (runtime/symtab.go pcvalue/step) gives at `target`
// for a function starting at `entry`; nullopt when target is outside the table
// or the table is malformed. `quantum` is pcHeader.minLC (1 on amd64).
inline std::optional<std::int32_t> pcvalue(std::span<const std::uint8_t> table, std::uint64_t entry,
                                           std::uint64_t target, std::uint32_t quantum = 1) {
  std::uint64_t pc = entry;
  std::int32_t val = -1;
  bool first = true;
  std::size_t at = 0;
  while (at < table.size()) {
    std::size_t n = 0;
    const std::uint32_t uvdelta = read_varint(table.subspan(at), n);
    if (n == 0) return std::nullopt;
    if (uvdelta == 0 && !first) return std::nullopt;  // end of table
    at += n;
    val += static_cast<std::int32_t>(-(uvdelta & 1) ^ (uvdelta >> 1));
    const std::uint32_t pcdelta = read_varint(table.subspan(at), n);
    if (n == 0) return std::nullopt;
    at += n;
    pc += static_cast<std::uint64_t>(pcdelta) * quantum;
    first = false;
    if (target < pc) return target >= entry ? std::optional<std::int32_t>(val) : std::nullopt;
  }
  return std::nullopt;
}

struct GoFunc {
  std::string name;  // Go's name: "runtime.rt0_go", "runtime.newproc.func1"
  std::uint64_t entry = 0, end = 0;
  std::int32_t args = 0;
  std::uint32_t pcsp = 0;  // offset into pctab
  std::uint8_t funcid = 0, flag = 0;
};

class GoFuncTable {
 public:
  // `file` is the whole ELF file. Returns nullopt (and why) when it has no
  // Go 1.18/1.19 pclntab.
  static std::optional<GoFuncTable> parse(std::span<const std::uint8_t> file, std::string* why = nullptr) {
    auto fail = [&](const char* w) -> std::optional<GoFuncTable> {
      if (why) *why = w;
      return std::nullopt;
    };
    std::span<const std::uint8_t> tab;
    if (auto sec = section(file, ".gopclntab")) {
      tab = *sec;
    } else {
      for (std::uint64_t off = 0; off + 72 <= file.size(); off += 8)
        if (file[off] == 0xf0 && file[off + 1] == 0xff && file[off + 2] == 0xff && file[off + 3] == 0xff &&
            file[off + 4] == 0 && file[off + 5] == 0 && file[off + 7] == 8) {
          tab = file.subspan(off);
          break;
        }
    }
    if (tab.size() < 72) return fail("no Go 1.18/1.19 pclntab in the file");
    if (u32(tab, 0).value_or(0) != 0xfffffff0 || tab[7] != 8) return fail("the pclntab is not Go 1.18/1.19 amd64's");
    GoFuncTable t;
    t.quantum_ = tab[6] ? tab[6] : 1;
    const std::uint64_t nfunc = *u64(tab, 8), text = *u64(tab, 24), names = *u64(tab, 32), cu = *u64(tab, 40),
                        pctab = *u64(tab, 56), pcln = *u64(tab, 64);
    if (nfunc == 0 || nfunc > (1u << 24) || names >= tab.size() || pctab > pcln || pcln >= tab.size() ||
        cu < names || (tab.size() - pcln) / 8 < nfunc + 1)
      return fail("the pclntab header's offsets are out of range");
    t.pctab_.assign(tab.begin() + static_cast<std::ptrdiff_t>(pctab), tab.begin() + static_cast<std::ptrdiff_t>(pcln));
    const auto ftab = tab.subspan(pcln);
    t.funcs_.reserve(nfunc);
    for (std::uint64_t i = 0; i < nfunc; ++i) {
      const auto entryoff = u32(ftab, i * 8), funcoff = u32(ftab, i * 8 + 4), next = u32(ftab, i * 8 + 8);
      if (!entryoff || !funcoff || !next) return fail("the pclntab's function table is truncated");
      // _func (runtime/runtime2.go, go1.19): entryoff, nameoff, args, deferreturn, pcsp,
      // pcfile, pcln, npcdata, cuOffset (uint32 each), funcID, flag, pad, nfuncdata (uint8).
      const std::uint64_t f = *funcoff;
      const auto nameoff = u32(ftab, f + 4), args = u32(ftab, f + 8), pcsp = u32(ftab, f + 16);
      if (!nameoff || !args || !pcsp || f + 40 > ftab.size()) return fail("a pclntab _func is truncated");
      GoFunc g;
      g.entry = text + *entryoff;
      g.end = text + *next;
      g.args = static_cast<std::int32_t>(*args);
      g.pcsp = *pcsp;
      g.funcid = ftab[f + 36];
      g.flag = ftab[f + 37];
      const std::uint64_t no = names + *nameoff;
      if (no < cu && no < tab.size()) {
        const char* s = reinterpret_cast<const char*>(tab.data() + no);
        g.name.assign(s, strnlen(s, tab.size() - no));
      }
      t.funcs_.push_back(std::move(g));
    }
    return t;
  }

  const GoFunc* at(std::uint64_t pc) const {
    auto it = std::upper_bound(funcs_.begin(), funcs_.end(), pc,
                               [](std::uint64_t v, const GoFunc& f) { return v < f.entry; });
    if (it == funcs_.begin()) return nullptr;
    --it;
    return pc < it->end ? &*it : nullptr;
  }
  const GoFunc* named(std::string_view name) const {
    for (const auto& f : funcs_)
      if (f.name == name) return &f;
    return nullptr;
  }
  // How far SP is below the function's entry SP at `pc` (0 at the entry).
  std::optional<std::int32_t> sp_delta(const GoFunc& f, std::uint64_t pc) const {
    if (f.pcsp == 0 || f.pcsp >= pctab_.size()) return std::nullopt;
    return pcvalue(std::span<const std::uint8_t>(pctab_).subspan(f.pcsp), f.entry, pc, quantum_);
  }
  std::size_t size() const { return funcs_.size(); }

 private:
  static std::optional<std::uint32_t> u32(std::span<const std::uint8_t> b, std::uint64_t off) {
    if (off > b.size() || b.size() - off < 4) return std::nullopt;
    std::uint32_t v;
    std::memcpy(&v, b.data() + off, 4);
    return v;
  }
  static std::optional<std::uint64_t> u64(std::span<const std::uint8_t> b, std::uint64_t off) {
    if (off > b.size() || b.size() - off < 8) return std::nullopt;
    std::uint64_t v;
    std::memcpy(&v, b.data() + off, 8);
    return v;
  }
  static std::optional<std::span<const std::uint8_t>> section(std::span<const std::uint8_t> file,
                                                              std::string_view name) {
    Elf64_Ehdr eh;
    if (file.size() < sizeof eh) return std::nullopt;
    std::memcpy(&eh, file.data(), sizeof eh);
    if (std::memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 || eh.e_ident[EI_CLASS] != ELFCLASS64 ||
        eh.e_shentsize != sizeof(Elf64_Shdr) || eh.e_shstrndx >= eh.e_shnum)
      return std::nullopt;
    auto shdr = [&](unsigned i) -> std::optional<Elf64_Shdr> {
      const std::uint64_t off = eh.e_shoff + std::uint64_t{i} * sizeof(Elf64_Shdr);
      if (off > file.size() || file.size() - off < sizeof(Elf64_Shdr)) return std::nullopt;
      Elf64_Shdr sh;
      std::memcpy(&sh, file.data() + off, sizeof sh);
      return sh;
    };
    const auto strtab = shdr(eh.e_shstrndx);
    if (!strtab) return std::nullopt;
    for (unsigned i = 0; i < eh.e_shnum; ++i) {
      const auto sh = shdr(i);
      if (!sh || sh->sh_type == SHT_NOBITS) continue;
      const std::uint64_t no = strtab->sh_offset + sh->sh_name;
      if (no >= file.size()) continue;
      const char* s = reinterpret_cast<const char*>(file.data() + no);
      if (std::string_view(s, strnlen(s, file.size() - no)) != name) continue;
      if (sh->sh_offset > file.size() || file.size() - sh->sh_offset < sh->sh_size) return std::nullopt;
      return file.subspan(sh->sh_offset, sh->sh_size);
    }
    return std::nullopt;
  }

  std::vector<GoFunc> funcs_;  // by entry
  std::vector<std::uint8_t> pctab_;
  std::uint32_t quantum_ = 1;
};

// Where the thread's goroutines are, for the system stack switch: the current g
// (TLS slot -8(FS)), its m's g0 and curg, and curg.sched. Zero when unknown.
struct GContext {
  std::uint64_t g = 0, g0 = 0, curg = 0;
  std::uint64_t curg_sched_sp = 0, curg_sched_pc = 0;
  std::int64_t curg_goid = -1;
};

struct Frame {
  std::uint64_t pc = 0;        // frame 0: the next instruction; callers: the return address
  std::uint64_t sp = 0;        // SP in this frame (at pc)
  std::int32_t frame_size = 0; // pcsp's spdelta at pc: SP's distance below the entry SP
  std::uint64_t ret_slot = 0;  // where the return address is (0: outermost / unknown)
  std::uint64_t ret_addr = 0;
  std::uint64_t cfa = 0;       // the caller's SP once this frame returns (0: none)
  const GoFunc* func = nullptr;
  bool outermost = false;      // TOPFRAME: nothing called this frame
  std::string note;            // a stack switch made after this frame
};

struct Result {
  std::vector<Frame> frames;
  std::string stopped;  // why the unwind ended early ("" at the outermost frame or the limit)
  bool truncated = false;  // hit max_frames
};

using ReadWord = std::function<std::optional<std::uint64_t>(std::uint64_t)>;

inline std::string hex(std::uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%#llx", static_cast<unsigned long long>(v));
  return v ? std::string(buf) : std::string("0x0");
}

inline Result unwind_stack(const GoFuncTable& table, std::uint64_t pc, std::uint64_t sp, GContext gc,
                           const ReadWord& read, std::size_t max_frames = 1000) {
  Result r;
  bool on_g0 = gc.g != 0 && gc.g == gc.g0;
  for (std::size_t level = 0; level < max_frames; ++level) {
    Frame fr;
    fr.pc = pc;
    fr.sp = sp;
    // A caller's pc is a return address: look it up at the CALL (pc-1), which
    // is in the right function even when the call is the function's last instruction.
    const std::uint64_t look = level == 0 ? pc : pc - 1;
    const GoFunc* f = table.at(look);
    if (!f) {
      if (level == 0) {
        r.stopped = "no function in Go's pclntab contains pc " + hex(pc);
        r.frames.push_back(fr);
      } else {
        r.stopped = "the return address " + hex(pc) + " is not in any Go function (a corrupt or foreign stack)";
      }
      return r;
    }
    fr.func = f;
    const auto delta = table.sp_delta(*f, look);
    if (!delta || *delta < 0) {
      r.frames.push_back(fr);
      r.stopped = "no pcsp entry for " + hex(pc) + " in " + f->name;
      return r;
    }
    fr.frame_size = *delta;
    // TOPFRAME; and the ELF entry code (_rt0_amd64_linux, _rt0_amd64), which the
    // kernel started with argc where a return address would be.
    if ((f->flag & kFlagTopFrame) || f->name.rfind("_rt0_", 0) == 0) {
      fr.outermost = true;
      r.frames.push_back(fr);
      return r;
    }
    std::uint64_t frame_sp = sp;
    bool jumped = false;
    if (level > 0 && on_g0 && gc.curg != 0 && gc.curg != gc.g0) {
      if (f->name == "runtime.systemstack" && gc.curg_sched_sp != 0) {
        // systemstack called fn on g0's stack; it returns to its caller on curg's stack.
        frame_sp = gc.curg_sched_sp;
        jumped = true;
        fr.note = "switches from g0's stack back to goroutine " + std::to_string(gc.curg_goid) +
                  "'s stack (curg.sched.sp = " + hex(gc.curg_sched_sp) + ")";
      } else if (f->name == "runtime.morestack" && gc.curg_sched_sp != 0 && gc.curg_sched_pc != 0) {
        fr.note = "morestack: continuing on goroutine " + std::to_string(gc.curg_goid) +
                  "'s stack at curg.sched.pc (the function that needed more stack)";
        fr.cfa = gc.curg_sched_sp;
        fr.ret_addr = gc.curg_sched_pc;
        r.frames.push_back(fr);
        pc = gc.curg_sched_pc;
        sp = gc.curg_sched_sp;
        on_g0 = false;
        continue;
      }
    }
    if (!jumped && (f->flag & kFlagSpWrite) && level > 0) {
      r.frames.push_back(fr);
      if (f->name == "runtime.mcall")
        r.stopped = "runtime.mcall switched to g0's stack to run a function that never returns; "
                    "the goroutine it left is not on this stack";
      else if (f->name == "runtime.systemstack" || f->name == "runtime.morestack")
        r.stopped = f->name + " switched stacks and the goroutine's saved SP (curg.sched.sp) is not known here" +
                    (gc.g == 0 ? " (no g: TLS or runtime.g's layout from DWARF is missing)" : "");
      else
        r.stopped = f->name + " writes SP in a way the pcsp table cannot describe (funcFlag_SPWRITE), "
                    "so its caller cannot be found";
      return r;
    }
    fr.ret_slot = frame_sp + static_cast<std::uint64_t>(*delta);
    const auto ra = read(fr.ret_slot);
    if (!ra) {
      r.frames.push_back(fr);
      r.stopped = "cannot read the return address at " + hex(fr.ret_slot);
      return r;
    }
    fr.ret_addr = *ra;
    fr.cfa = fr.ret_slot + 8;
    r.frames.push_back(fr);
    if (*ra == 0) {
      r.stopped = "the return address is 0";
      return r;
    }
    if (jumped) on_g0 = false;
    pc = *ra;
    sp = fr.cfa;
  }
  r.truncated = true;
  return r;
}

}  // namespace gostep::unwind
