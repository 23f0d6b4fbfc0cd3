// Reading Go 1.18/1.19's pclntab (runtime/symtab.go: pcHeader, functab, _func).
#include "runtime_model/pclntab.h"

#include <elf.h>
#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <fstream>

namespace gostep::model {

namespace {

constexpr std::uint32_t kMagicGo118 = 0xfffffff0;  // symtab.go: go118magic (1.18 and 1.19)

template <class T>
std::optional<T> read_at(std::span<const std::uint8_t> bytes, std::uint64_t off) {
  if (off > bytes.size() || bytes.size() - off < sizeof(T)) return std::nullopt;
  T v;
  std::memcpy(&v, bytes.data() + off, sizeof(T));
  return v;
}

// The file range of the section called `name`, from the ELF64 section headers.
std::optional<std::span<const std::uint8_t>> elf_section(std::span<const std::uint8_t> file,
                                                         std::string_view name) {
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
    if (name_off >= file.size()) continue;
    const char* s = reinterpret_cast<const char*>(file.data() + name_off);
    const std::size_t max = file.size() - name_off;
    if (std::string_view(s, strnlen(s, max)) != name) continue;
    if (sh->sh_offset > file.size() || file.size() - sh->sh_offset < sh->sh_size) return std::nullopt;
    return file.subspan(sh->sh_offset, sh->sh_size);
  }
  return std::nullopt;
}

struct Header {  // pcHeader, amd64
  std::uint64_t nfunc, text_start, funcname_off, cu_off, pcln_off;
};

// Decodes the table at the start of `tab`, checking every offset against its bounds.
// Returns why it is not a pclntab, or an empty string.
std::string decode(std::span<const std::uint8_t> tab, std::vector<PclnFunction>& out,
                       std::uint64_t& text_start) {
  if (tab.size() < 72) return "pclntab header is truncated";
  if (*read_at<std::uint32_t>(tab, 0) != kMagicGo118)
    return "not a Go 1.18/1.19 pclntab (magic is not 0xfffffff0)";
  if (tab[4] != 0 || tab[5] != 0 || tab[7] != 8) return "pclntab header is not amd64's";
  Header h{};
  const std::uint64_t words[] = {8, 24, 32, 40, 64};  // nfunc, textStart, funcnameOffset, cuOffset, pclnOffset
  std::uint64_t* fields[] = {&h.nfunc, &h.text_start, &h.funcname_off, &h.cu_off, &h.pcln_off};
  for (int i = 0; i < 5; ++i) {
    *fields[i] = *read_at<std::uint64_t>(tab, words[i]);
  }
  if (h.nfunc == 0 || h.nfunc > (1u << 24) || h.funcname_off >= tab.size() ||
      h.cu_off > tab.size() || h.cu_off < h.funcname_off || h.pcln_off >= tab.size() ||
      (tab.size() - h.pcln_off) / 8 < h.nfunc + 1)
    return "pclntab header offsets are out of range";
  const auto names = tab.subspan(h.funcname_off, h.cu_off - h.funcname_off);
  const auto pcln = tab.subspan(h.pcln_off);
  out.clear();
  out.reserve(h.nfunc);
  std::uint32_t prev_entry = 0;
  for (std::uint64_t i = 0; i < h.nfunc; ++i) {
    const auto entryoff = *read_at<std::uint32_t>(pcln, i * 8);
    const auto funcoff = *read_at<std::uint32_t>(pcln, i * 8 + 4);
    const auto next_entry = *read_at<std::uint32_t>(pcln, i * 8 + 8);
    auto fentry = read_at<std::uint32_t>(pcln, funcoff);
    auto nameoff = read_at<std::int32_t>(pcln, std::uint64_t{funcoff} + 4);
    if (entryoff < prev_entry || next_entry < entryoff || !fentry || *fentry != entryoff ||
        !nameoff || *nameoff < 0 || static_cast<std::uint64_t>(*nameoff) >= names.size())
      return fmt::format("pclntab function {} is malformed", i);
    const char* s = reinterpret_cast<const char*>(names.data() + *nameoff);
    std::string name(s, strnlen(s, names.size() - static_cast<std::uint64_t>(*nameoff)));
    out.push_back({std::move(name), h.text_start + entryoff, h.text_start + next_entry});
    prev_entry = entryoff;
  }
  text_start = h.text_start;
  return {};
}

}  // namespace

Result<Pclntab> Pclntab::parse(std::span<const std::uint8_t> file) {
  Pclntab t;
  if (auto sec = elf_section(file, ".gopclntab")) {
    if (auto why = decode(*sec, t.functions_, t.text_start_); !why.empty())
      return Error{".gopclntab: " + why};
    t.from_section_ = true;
    return t;
  }
  // No section headers to go by: the header is 8-aligned and starts f0 ff ff ff 00 00 MINLC 08.
  for (std::uint64_t off = 0; off + 64 <= file.size(); off += 8) {
    if (file[off] != 0xf0 || file[off + 1] != 0xff || file[off + 2] != 0xff ||
        file[off + 3] != 0xff || file[off + 4] != 0 || file[off + 5] != 0 || file[off + 7] != 8)
      continue;
    if (decode(file.subspan(off), t.functions_, t.text_start_).empty()) return t;
  }
  return Error{"no Go 1.18/1.19 pclntab found (no .gopclntab section, no header by scan)"};
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

}  // namespace gostep::model
