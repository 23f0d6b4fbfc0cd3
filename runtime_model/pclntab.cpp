// Reading Go 1.18/1.19's pclntab (runtime/symtab.go: pcHeader, functab, _func,
// pcvalue, inlinedCall).
#include "runtime_model/pclntab.h"

#include <elf.h>
#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <fstream>

namespace gostep::model {

namespace {

constexpr std::uint32_t kMagicGo118 = 0xfffffff0;  // symtab.go: go118magic (1.18 and 1.19)
constexpr std::uint32_t kPcdataInlTreeIndex = 2;   // symtab.go: _PCDATA_InlTreeIndex
constexpr std::uint32_t kFuncdataInlTree = 3;      // symtab.go: _FUNCDATA_InlTree
constexpr std::uint64_t kFuncHeaderSize = 40;      // _func up to nfuncdata
constexpr std::uint64_t kInlinedCallSize = 20;     // symtab.go (go1.19): inlinedCall
// runtime/symtab.go (go1.19) moduledata: pcHeader at 0, minpc at 160, text at 176, gofunc at 304.
constexpr std::uint64_t kModMinpc = 160, kModText = 176, kModGofunc = 304;

template <class T>
std::optional<T> read_at(std::span<const std::uint8_t> bytes, std::uint64_t off) {
  if (off > bytes.size() || bytes.size() - off < sizeof(T)) return std::nullopt;
  T v;
  std::memcpy(&v, bytes.data() + off, sizeof(T));
  return v;
}

std::span<const std::uint8_t> sub(std::span<const std::uint8_t> b, std::uint64_t off, std::uint64_t len) {
  if (off > b.size()) return {};
  return b.subspan(off, std::min<std::uint64_t>(len, b.size() - off));
}

std::string c_string(std::span<const std::uint8_t> b, std::uint64_t off) {
  if (off >= b.size()) return "";
  const char* s = reinterpret_cast<const char*>(b.data() + off);
  return std::string(s, strnlen(s, b.size() - off));
}

// The section called `name`: its file bytes and its address.
struct Section {
  std::span<const std::uint8_t> bytes;
  std::uint64_t addr = 0;
};

std::optional<Section> elf_section(std::span<const std::uint8_t> file, std::string_view name) {
  auto eh = read_at<Elf64_Ehdr>(file, 0);
  if (!eh || std::memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 || eh->e_ident[EI_CLASS] != ELFCLASS64 ||
      eh->e_shentsize != sizeof(Elf64_Shdr) || eh->e_shstrndx >= eh->e_shnum)
    return std::nullopt;
  auto shdr = [&](unsigned i) { return read_at<Elf64_Shdr>(file, eh->e_shoff + i * sizeof(Elf64_Shdr)); };
  auto strtab = shdr(eh->e_shstrndx);
  if (!strtab) return std::nullopt;
  for (unsigned i = 0; i < eh->e_shnum; ++i) {
    auto sh = shdr(i);
    if (!sh || sh->sh_type == SHT_NOBITS) continue;
    const std::uint64_t name_off = strtab->sh_offset + sh->sh_name;
    if (name_off >= file.size() || c_string(file, name_off) != name) continue;
    if (sh->sh_offset > file.size() || file.size() - sh->sh_offset < sh->sh_size) return std::nullopt;
    return Section{file.subspan(sh->sh_offset, sh->sh_size), sh->sh_addr};
  }
  return std::nullopt;
}

// The loadable segments, to turn addresses into file offsets and back.
std::vector<Elf64_Phdr> load_segments(std::span<const std::uint8_t> file) {
  std::vector<Elf64_Phdr> out;
  auto eh = read_at<Elf64_Ehdr>(file, 0);
  if (!eh || eh->e_phentsize != sizeof(Elf64_Phdr)) return out;
  for (unsigned i = 0; i < eh->e_phnum; ++i)
    if (auto ph = read_at<Elf64_Phdr>(file, eh->e_phoff + i * sizeof(Elf64_Phdr)); ph && ph->p_type == PT_LOAD)
      out.push_back(*ph);
  return out;
}

// The file bytes from address `addr` to the end of its segment's file contents.
std::span<const std::uint8_t> bytes_at(std::span<const std::uint8_t> file, const std::vector<Elf64_Phdr>& segs,
                                       std::uint64_t addr) {
  for (const auto& ph : segs)
    if (addr >= ph.p_vaddr && addr < ph.p_vaddr + ph.p_filesz) {
      const std::uint64_t off = ph.p_offset + (addr - ph.p_vaddr);
      return sub(file, off, ph.p_vaddr + ph.p_filesz - addr);
    }
  return {};
}

std::optional<std::uint64_t> address_of_offset(const std::vector<Elf64_Phdr>& segs, std::uint64_t off) {
  for (const auto& ph : segs)
    if (off >= ph.p_offset && off < ph.p_offset + ph.p_filesz) return ph.p_vaddr + (off - ph.p_offset);
  return std::nullopt;
}

}  // namespace

std::uint32_t read_varint(std::span<const std::uint8_t> p, std::size_t& used) {
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

std::optional<std::int32_t> pcvalue(std::span<const std::uint8_t> table, std::uint64_t entry, std::uint64_t target,
                                    std::uint32_t quantum) {
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
    // zig-zag decoding, as symtab.go step() does
    val = static_cast<std::int32_t>(static_cast<std::uint32_t>(val) +
                                    ((uvdelta & 1) ? ~(uvdelta >> 1) : (uvdelta >> 1)));
    const std::uint32_t pcdelta = read_varint(table.subspan(at), n);
    if (n == 0) return std::nullopt;
    at += n;
    pc += static_cast<std::uint64_t>(pcdelta) * quantum;
    first = false;
    if (target < pc) return target >= entry ? std::optional<std::int32_t>(val) : std::nullopt;
  }
  return std::nullopt;
}

namespace {

struct Tables {
  std::uint64_t nfunc = 0, text_start = 0;
  std::span<const std::uint8_t> names, cutab, filetab, pctab, ftab;
  std::uint32_t quantum = 1;
};

// Checks every offset of the header at the start of `tab` against its bounds.
std::string decode_header(std::span<const std::uint8_t> tab, Tables& t) {
  if (tab.size() < 72) return "pclntab header is truncated";
  if (*read_at<std::uint32_t>(tab, 0) != kMagicGo118) return "not a Go 1.18/1.19 pclntab (magic is not 0xfffffff0)";
  if (tab[4] != 0 || tab[5] != 0 || tab[7] != 8) return "pclntab header is not amd64's";
  t.quantum = tab[6] ? tab[6] : 1;
  t.nfunc = *read_at<std::uint64_t>(tab, 8);
  t.text_start = *read_at<std::uint64_t>(tab, 24);
  const std::uint64_t names = *read_at<std::uint64_t>(tab, 32), cu = *read_at<std::uint64_t>(tab, 40),
                      files = *read_at<std::uint64_t>(tab, 48), pctab = *read_at<std::uint64_t>(tab, 56),
                      pcln = *read_at<std::uint64_t>(tab, 64);
  // The tables follow each other in this order (cmd/link/internal/ld/pcln.go).
  if (t.nfunc == 0 || t.nfunc > (1u << 24) || names > cu || cu > files || files > pctab || pctab > pcln ||
      pcln >= tab.size() || (tab.size() - pcln) / 8 < t.nfunc + 1)
    return "pclntab header offsets are out of range";
  t.names = tab.subspan(names, cu - names);
  t.cutab = tab.subspan(cu, files - cu);
  t.filetab = tab.subspan(files, pctab - files);
  t.pctab = tab.subspan(pctab, pcln - pctab);
  t.ftab = tab.subspan(pcln);
  return {};
}

std::string decode_functions(const Tables& t, std::vector<PclnFunction>& out) {
  out.clear();
  out.reserve(t.nfunc);
  std::uint32_t prev_entry = 0;
  for (std::uint64_t i = 0; i < t.nfunc; ++i) {
    const auto entryoff = *read_at<std::uint32_t>(t.ftab, i * 8);
    const auto funcoff = *read_at<std::uint32_t>(t.ftab, i * 8 + 4);
    const auto next_entry = *read_at<std::uint32_t>(t.ftab, i * 8 + 8);
    const auto fentry = read_at<std::uint32_t>(t.ftab, funcoff);
    const auto nameoff = read_at<std::int32_t>(t.ftab, std::uint64_t{funcoff} + 4);
    const auto args = read_at<std::int32_t>(t.ftab, std::uint64_t{funcoff} + 8);
    if (entryoff < prev_entry || next_entry < entryoff || !fentry || *fentry != entryoff || !nameoff ||
        *nameoff < 0 || static_cast<std::uint64_t>(*nameoff) >= t.names.size() || !args ||
        std::uint64_t{funcoff} + kFuncHeaderSize > t.ftab.size())
      return fmt::format("pclntab function {} is malformed", i);
    PclnFunction f;
    f.name = c_string(t.names, static_cast<std::uint64_t>(*nameoff));
    f.entry = t.text_start + entryoff;
    f.end = t.text_start + next_entry;
    f.args = *args;
    f.funcid = t.ftab[funcoff + 36];
    f.flag = t.ftab[funcoff + 37];
    f.func_off = funcoff;
    out.push_back(std::move(f));
    prev_entry = entryoff;
  }
  return {};
}

}  // namespace

Result<Pclntab> Pclntab::parse(std::span<const std::uint8_t> file) {
  Pclntab p;
  Tables t;
  const auto segs = load_segments(file);
  std::optional<std::uint64_t> table_addr;
  if (auto sec = elf_section(file, ".gopclntab")) {
    if (auto why = decode_header(sec->bytes, t); !why.empty()) return Error{".gopclntab: " + why};
    if (auto why = decode_functions(t, p.functions_); !why.empty()) return Error{".gopclntab: " + why};
    p.from_section_ = true;
    table_addr = sec->addr;
  } else {
    // No section headers to go by: the header is 8-aligned and starts f0 ff ff ff 00 00 MINLC 08.
    bool found = false;
    for (std::uint64_t off = 0; off + 64 <= file.size() && !found; off += 8) {
      if (file[off] != 0xf0 || file[off + 1] != 0xff || file[off + 2] != 0xff || file[off + 3] != 0xff ||
          file[off + 4] != 0 || file[off + 5] != 0 || file[off + 7] != 8)
        continue;
      Tables cand;
      if (!decode_header(file.subspan(off), cand).empty()) continue;
      if (!decode_functions(cand, p.functions_).empty()) continue;
      t = cand;
      table_addr = address_of_offset(segs, off);
      found = true;
    }
    if (!found) return Error{"no Go 1.18/1.19 pclntab found (no .gopclntab section, no header by scan)"};
  }
  p.text_start_ = t.text_start;
  p.quantum_ = t.quantum;
  p.funcnames_.assign(t.names.begin(), t.names.end());
  p.cutab_.assign(t.cutab.begin(), t.cutab.end());
  p.filetab_.assign(t.filetab.begin(), t.filetab.end());
  p.pctab_.assign(t.pctab.begin(), t.pctab.end());
  p.ftab_.assign(t.ftab.begin(), t.ftab.end());

  // Funcdata (the inline trees) are offsets from moduledata.gofunc. moduledata is
  // the one word in the data that points at the pclntab and whose minpc and text
  // are the text start (stripped binaries have no symbol for it).
  if (table_addr) {
    for (const auto& ph : segs) {
      if (!(ph.p_flags & PF_W)) continue;
      const auto data = sub(file, ph.p_offset, ph.p_filesz);
      for (std::uint64_t off = 0; off + kModGofunc + 8 <= data.size(); off += 8) {
        if (*read_at<std::uint64_t>(data, off) != *table_addr) continue;
        if (read_at<std::uint64_t>(data, off + kModMinpc) != t.text_start ||
            read_at<std::uint64_t>(data, off + kModText) != t.text_start)
          continue;
        const auto gofunc = bytes_at(file, segs, *read_at<std::uint64_t>(data, off + kModGofunc));
        p.gofunc_.assign(gofunc.begin(), gofunc.end());
        break;
      }
      if (!p.gofunc_.empty()) break;
    }
  }
  return p;
}

Result<Pclntab> Pclntab::load(const std::string& path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) return Error{path + ": cannot open"};
  std::vector<std::uint8_t> bytes(static_cast<std::size_t>(in.tellg()));
  in.seekg(0);
  if (!in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(bytes.size())))
    return Error{path + ": cannot read"};
  return parse(bytes);
}

std::optional<PclnFunction> Pclntab::function_at(std::uint64_t pc) const {
  auto it = std::upper_bound(functions_.begin(), functions_.end(), pc,
                             [](std::uint64_t a, const PclnFunction& f) { return a < f.entry; });
  if (it == functions_.begin()) return std::nullopt;
  --it;
  if (pc < it->end) return *it;
  return std::nullopt;
}

std::optional<PclnFunction> Pclntab::function(std::string_view name) const {
  for (int attempt = 0; attempt < 2; ++attempt) {
    for (const PclnFunction& f : functions_)
      if (f.name == name) return f;
    if (!name.ends_with(".abi0")) break;
    name.remove_suffix(5);
  }
  return std::nullopt;
}

std::optional<std::int32_t> Pclntab::pcvalue(std::uint32_t table_off, std::uint64_t entry, std::uint64_t pc) const {
  if (table_off == 0 || table_off >= pctab_.size()) return std::nullopt;
  return model::pcvalue(std::span<const std::uint8_t>(pctab_).subspan(table_off), entry, pc, quantum_);
}

std::optional<std::int32_t> Pclntab::sp_delta(const PclnFunction& f, std::uint64_t pc) const {
  const auto off = read_at<std::uint32_t>(ftab_, std::uint64_t{f.func_off} + 16);
  return off ? pcvalue(*off, f.entry, pc) : std::nullopt;
}

std::uint32_t Pclntab::cu_offset(const PclnFunction& f) const {
  return read_at<std::uint32_t>(ftab_, std::uint64_t{f.func_off} + 32).value_or(0);
}

std::string Pclntab::file_name(const PclnFunction& f, std::int32_t fileno) const {
  if (fileno < 0) return "";
  const auto off = read_at<std::uint32_t>(cutab_, (std::uint64_t{cu_offset(f)} + static_cast<std::uint64_t>(fileno)) * 4);
  if (!off || *off == ~0u) return "";
  return c_string(filetab_, *off);
}

std::optional<PclnPosition> Pclntab::position(const PclnFunction& f, std::uint64_t pc) const {
  const auto pcfile = read_at<std::uint32_t>(ftab_, std::uint64_t{f.func_off} + 20);
  const auto pcln = read_at<std::uint32_t>(ftab_, std::uint64_t{f.func_off} + 24);
  if (!pcfile || !pcln) return std::nullopt;
  const auto fileno = pcvalue(*pcfile, f.entry, pc);
  const auto line = pcvalue(*pcln, f.entry, pc);
  if (!fileno || !line) return std::nullopt;
  PclnPosition p{file_name(f, *fileno), *line};
  if (p.file.empty()) return std::nullopt;
  return p;
}

std::optional<std::uint32_t> Pclntab::pcdata_offset(const PclnFunction& f, std::uint32_t index) const {
  const auto npcdata = read_at<std::uint32_t>(ftab_, std::uint64_t{f.func_off} + 28);
  if (!npcdata || index >= *npcdata) return std::nullopt;
  return read_at<std::uint32_t>(ftab_, std::uint64_t{f.func_off} + kFuncHeaderSize + std::uint64_t{index} * 4);
}

std::optional<std::uint32_t> Pclntab::funcdata_offset(const PclnFunction& f, std::uint32_t index) const {
  const auto npcdata = read_at<std::uint32_t>(ftab_, std::uint64_t{f.func_off} + 28);
  if (!npcdata || std::uint64_t{f.func_off} + 39 >= ftab_.size()) return std::nullopt;
  const std::uint8_t nfuncdata = ftab_[f.func_off + 39];
  if (index >= nfuncdata) return std::nullopt;
  const auto off = read_at<std::uint32_t>(
      ftab_, std::uint64_t{f.func_off} + kFuncHeaderSize + std::uint64_t{*npcdata} * 4 + std::uint64_t{index} * 4);
  if (!off || *off == ~0u) return std::nullopt;
  return off;
}

std::vector<PclnInlined> Pclntab::inlined_at(const PclnFunction& f, std::uint64_t pc) const {
  std::vector<PclnInlined> out;
  if (gofunc_.empty()) return out;
  const auto tree = funcdata_offset(f, kFuncdataInlTree);
  const auto index_table = pcdata_offset(f, kPcdataInlTreeIndex);
  if (!tree || !index_table) return out;
  // runtime.gentraceback: the tree index at pc names the innermost inlined
  // function; its parentPc is an instruction of the caller, whose index names the
  // next one out, until the index is -1 (the function itself).
  std::uint64_t tracepc = pc;
  for (int guard = 0; guard < 256; ++guard) {
    const auto ix = pcvalue(*index_table, f.entry, tracepc);
    if (!ix || *ix < 0) break;
    const std::uint64_t at = std::uint64_t{*tree} + static_cast<std::uint64_t>(*ix) * kInlinedCallSize;
    const auto name = read_at<std::int32_t>(gofunc_, at + 12);
    const auto parent_pc = read_at<std::int32_t>(gofunc_, at + 16);
    if (!name || !parent_pc || *name < 0 || *parent_pc < 0) break;
    PclnInlined in;
    in.function = c_string(funcnames_, static_cast<std::uint64_t>(*name));
    if (auto p = position(f, tracepc)) in.position = *p;
    in.parent_pc = f.entry + static_cast<std::uint64_t>(*parent_pc);
    out.push_back(std::move(in));
    tracepc = out.back().parent_pc;
  }
  return out;
}

}  // namespace gostep::model
