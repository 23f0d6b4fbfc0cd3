#include "elf_image.h"

#include <elf.h>
#include <fmt/format.h>
#include <gelf.h>
#include <libelf.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <string_view>
#include <iterator>

#include "unicorn_engine.h"

namespace gostep {
namespace {

// The user half of the x86-64 address space; nothing may be loaded above it.
constexpr std::uint64_t kUserTop = 0x7ffffffff000ULL;

[[noreturn]] void cannot_run(const std::string& path, const std::string& why) {
  throw LoadError(126, fmt::format("{}: {}", path, why));
}

std::vector<std::uint8_t> read_file(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    if (errno == ENOENT || errno == ENOTDIR)
      throw LoadError(127, fmt::format("{}: no such file; check the path to the program", path));
    throw LoadError(126, fmt::format("{}: cannot read it ({})", path, std::strerror(errno)));
  }
  if (S_ISDIR(st.st_mode)) cannot_run(path, "is a directory; give the path of a program built with go build");
  if (!S_ISREG(st.st_mode)) cannot_run(path, "is not a regular file; give the path of a program built with go build");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw LoadError(126, fmt::format("{}: cannot open it ({})", path, std::strerror(errno)));
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

const char* machine_name(unsigned m) {
  switch (m) {
    case EM_386: return "x86 (32-bit)";
    case EM_ARM: return "ARM (32-bit)";
    case EM_AARCH64: return "ARM64 (AArch64)";
    case EM_RISCV: return "RISC-V";
    case EM_PPC64: return "PowerPC 64";
    case EM_S390: return "s390x";
    case EM_MIPS: return "MIPS";
    default: return nullptr;
  }
}

struct ElfHandle {
  Elf* e = nullptr;
  ~ElfHandle() { if (e) elf_end(e); }
};

// Names as a compiler writes them: UTF-8 without control characters. Random
// bytes in .strtab (a damaged file) fail this at once.
bool plausible_name(const char* s) {
  for (const auto* p = reinterpret_cast<const unsigned char*>(s); *p; ++p) {
    if (*p < 0x20 || *p == 0x7f) return false;
    if (*p < 0x80) continue;
    const int more = (*p & 0xE0) == 0xC0 ? 1 : (*p & 0xF0) == 0xE0 ? 2 : (*p & 0xF8) == 0xF0 ? 3 : -1;
    if (more < 0) return false;
    for (int k = 0; k < more; ++k)
      if ((*++p & 0xC0) != 0x80) return false;
  }
  return true;
}

// The section headers, their names, .symtab and .strtab. A damaged table is the file's fault
// (exit status 126), not something to skip: names from it would be wrong everywhere,
// and LOCs that only it names would look like the user's mistake.
void read_sections(const std::string& path, Elf* e, ElfImage& img) {
  const auto corrupt = [&](const std::string& what) {
    cannot_run(path, fmt::format("corrupt ELF file ({}); rebuild it", what));
  };
  const std::uint64_t size = img.bytes.size();
  std::size_t shnum = 0;
  if (elf_getshdrnum(e, &shnum) != 0) corrupt("unreadable section header table");
  GElf_Ehdr eh;
  if (!gelf_getehdr(e, &eh)) corrupt("unreadable ELF header");
  // libelf counts no sections when the table lies past the end of the file:
  // check the header's own numbers first, or such a file would pass as stripped.
  const std::uint64_t declared = std::max<std::uint64_t>(shnum, eh.e_shnum);
  if (eh.e_shoff != 0 && (eh.e_shoff > size || (size - eh.e_shoff) / sizeof(Elf64_Shdr) < declared))
    corrupt("section header table past the file's end");
  if (shnum == 0) return;  // no sections: a stripped file, nothing to read
  if (eh.e_shentsize != sizeof(Elf64_Shdr)) corrupt("section header entries of the wrong size");
  std::size_t shstrndx = 0;
  GElf_Shdr namesh;
  if (elf_getshdrstrndx(e, &shstrndx) != 0 || shstrndx == 0 || shstrndx >= shnum ||
      !gelf_getshdr(elf_getscn(e, shstrndx), &namesh) || namesh.sh_type != SHT_STRTAB)
    corrupt("section names not in a string table");
  GuestAddr lowest = ~GuestAddr{0};
  for (const auto& seg : img.segments) lowest = std::min(lowest, seg.vaddr);
  for (std::size_t i = 1; i < shnum; ++i) {
    Elf_Scn* scn = elf_getscn(e, i);
    GElf_Shdr sh;
    if (!scn || !gelf_getshdr(scn, &sh)) corrupt(fmt::format("unreadable section header {}", i));
    if (sh.sh_type != SHT_NOBITS && sh.sh_type != SHT_NULL && (sh.sh_offset > size || sh.sh_size > size - sh.sh_offset))
      corrupt(fmt::format("section {} runs past the end of the file", i));
    const char* sname = elf_strptr(e, shstrndx, sh.sh_name);
    if (!sname) corrupt(fmt::format("section {} has its name outside the section names", i));
    const std::string_view sec(sname);
    if (sec.starts_with(".debug_") || sec.starts_with(".zdebug_")) img.has_debug_sections = true;
    if (sh.sh_type != SHT_SYMTAB) continue;
    GElf_Shdr strh;
    Elf_Scn* strscn = sh.sh_link < shnum ? elf_getscn(e, sh.sh_link) : nullptr;
    if (sh.sh_entsize != sizeof(Elf64_Sym) || sh.sh_size % sizeof(Elf64_Sym) != 0)
      corrupt(".symtab has a bad entry size");
    if (!strscn || !gelf_getshdr(strscn, &strh) || strh.sh_type != SHT_STRTAB || sh.sh_link == 0)
      corrupt(".symtab does not link to a string table");
    Elf_Data* data = elf_getdata(scn, nullptr);
    if (!data || data->d_size != sh.sh_size) corrupt(".symtab cannot be read");
    const auto n = sh.sh_size / sizeof(Elf64_Sym);
    std::size_t named = 0;
    for (std::uint64_t k = 1; k < n; ++k) {
      GElf_Sym sym;
      if (!gelf_getsym(data, static_cast<int>(k), &sym)) corrupt(".symtab cannot be read");
      if (sym.st_name >= strh.sh_size && sym.st_name != 0) corrupt("a .symtab name lies outside .strtab");
      const char* name = elf_strptr(e, sh.sh_link, sym.st_name);
      if (!name) corrupt("a .symtab name lies outside .strtab");
      if (!plausible_name(name)) corrupt(".strtab holds names that are not text");
      named += *name != 0;
      const int type = GELF_ST_TYPE(sym.st_info);
      if ((type != STT_FUNC && type != STT_OBJECT) || sym.st_value == 0 || !*name) continue;
      // Code and data symbols point into what is loaded (end markers at its very end).
      if (sym.st_shndx != SHN_ABS && (sym.st_value < lowest || sym.st_value > img.end_of_data))
        corrupt(fmt::format(".symtab puts {} at {:#x}, outside the loaded segments", name, sym.st_value));
      img.symbols.push_back({sym.st_value, sym.st_size, name, type == STT_FUNC});
    }
    if (n > 1 && named == 0) corrupt(".symtab has no named symbol");
  }
  std::stable_sort(img.symbols.begin(), img.symbols.end(),
                   [](const ElfSymbol& a, const ElfSymbol& b) { return a.addr < b.addr; });
}

}  // namespace

std::vector<const ElfSegment*> ElfImage::executable_segments() const {
  std::vector<const ElfSegment*> out;
  for (const auto& s : segments)
    if (s.prot & kProtExec) out.push_back(&s);
  return out;
}

ElfImage load_elf(const std::string& path) { return parse_elf(path, read_file(path)); }

ElfImage parse_elf(const std::string& path, std::vector<std::uint8_t> bytes) {
  ElfImage img;
  img.path = path;
  img.bytes = std::move(bytes);
  const auto& b = img.bytes;
  const auto size = b.size();
  if (size == 0) cannot_run(path, "is empty; give the path of a program built with go build");
  if (size < 4 || std::memcmp(b.data(), ELFMAG, SELFMAG) != 0) {
    if (size >= 2 && b[0] == '#' && b[1] == '!')
      cannot_run(path, "is a script, not an ELF executable; gostep runs programs built with go build");
    cannot_run(path, "is not an ELF executable; gostep runs programs built with go build");
  }
  if (size < EI_NIDENT) cannot_run(path, "is a truncated ELF file (the header is cut off); rebuild it");
  if (b[EI_CLASS] == ELFCLASS32)
    cannot_run(path, "is a 32-bit ELF; gostep runs 64-bit x86-64 programs (build with GOARCH=amd64)");
  if (b[EI_CLASS] != ELFCLASS64 || b[EI_DATA] != ELFDATA2LSB)
    cannot_run(path, "is not a little-endian 64-bit ELF; build it with GOARCH=amd64");
  if (size < sizeof(Elf64_Ehdr)) cannot_run(path, "is a truncated ELF file (the header is cut off); rebuild it");
  if (b[EI_VERSION] != EV_CURRENT)
    cannot_run(path, fmt::format("corrupt ELF file (ELF version {}, not 1); rebuild it", b[EI_VERSION]));

  Elf64_Ehdr eh;
  std::memcpy(&eh, b.data(), sizeof eh);
  if (eh.e_machine != EM_X86_64) {
    const char* m = machine_name(eh.e_machine);
    cannot_run(path, m ? fmt::format("is built for {}, not x86-64; build it with GOARCH=amd64", m)
                       : fmt::format("is built for machine type {}, not x86-64; build it with GOARCH=amd64",
                                     eh.e_machine));
  }
  if (eh.e_type == ET_DYN)
    cannot_run(path, "is position-independent (ET_DYN); gostep runs static executables: build with "
                     "CGO_ENABLED=0 and without -buildmode=pie");
  if (eh.e_type != ET_EXEC) cannot_run(path, "is not an executable (e_type is not ET_EXEC)");
  if (eh.e_phentsize != sizeof(Elf64_Phdr) || eh.e_phnum == 0)
    cannot_run(path, "has no usable program headers; rebuild it with go build");
  if (eh.e_phoff > size || (size - eh.e_phoff) / sizeof(Elf64_Phdr) < eh.e_phnum)
    cannot_run(path, "is a truncated ELF file (the program headers are cut off); rebuild it");

  if (elf_version(EV_CURRENT) == EV_NONE) throw EmulatorError("libelf: elf_version failed");
  ElfHandle h;
  h.e = elf_memory(reinterpret_cast<char*>(img.bytes.data()), size);
  if (!h.e || elf_kind(h.e) != ELF_K_ELF) {
    // elf_errmsg(-1) says "(no error)" when libelf only declined the file.
    const int code = elf_errno();
    cannot_run(path, code ? fmt::format("corrupt ELF file ({}); rebuild it", elf_errmsg(code))
                          : std::string("corrupt ELF file; rebuild it"));
  }

  img.entry = eh.e_entry;
  img.phnum = eh.e_phnum;
  std::uint64_t total = 0;
  for (unsigned i = 0; i < eh.e_phnum; ++i) {
    GElf_Phdr ph;
    if (!gelf_getphdr(h.e, static_cast<int>(i), &ph))
      cannot_run(path, "corrupt ELF file (bad program header); rebuild it");
    if (ph.p_type == PT_INTERP || ph.p_type == PT_DYNAMIC)
      cannot_run(path, "is dynamically linked; gostep runs static programs: build with CGO_ENABLED=0");
    if (ph.p_type == PT_PHDR) img.phdr_addr = ph.p_vaddr;
    if (ph.p_type != PT_LOAD) continue;
    if (ph.p_offset > size || ph.p_filesz > size - ph.p_offset)
      cannot_run(path, fmt::format("has a PT_LOAD segment at {:#x} whose file bytes run past the end of "
                                   "the file (truncated or corrupt); rebuild it", ph.p_vaddr));
    if (ph.p_filesz > ph.p_memsz)
      cannot_run(path, "corrupt ELF file (a segment's file size exceeds its memory size)");
    if (ph.p_memsz > kUserTop || ph.p_vaddr >= kUserTop || ph.p_memsz > kUserTop - ph.p_vaddr ||
        ph.p_vaddr < 0x1000)
      cannot_run(path, fmt::format("has a PT_LOAD segment at {:#x} of {:#x} bytes that does not fit in "
                                   "the user address space (corrupt file); rebuild it",
                                   ph.p_vaddr, ph.p_memsz));
    total += ph.p_memsz;
    if (total > (4ULL << 30))
      cannot_run(path, "asks for more than 4 GiB of loaded segments (corrupt file); rebuild it");
    ElfSegment seg;
    seg.vaddr = ph.p_vaddr;
    seg.memsz = ph.p_memsz;
    seg.filesz = ph.p_filesz;
    seg.offset = ph.p_offset;
    seg.prot = ((ph.p_flags & PF_R) ? kProtRead : 0u) | ((ph.p_flags & PF_W) ? kProtWrite : 0u) |
               ((ph.p_flags & PF_X) ? kProtExec : 0u);
    img.segments.push_back(seg);
    img.end_of_data = std::max(img.end_of_data, seg.vaddr + seg.memsz);
    if (!img.phdr_addr && eh.e_phoff >= ph.p_offset && eh.e_phoff < ph.p_offset + ph.p_filesz)
      img.phdr_addr = ph.p_vaddr + (eh.e_phoff - ph.p_offset);
  }
  if (img.segments.empty()) cannot_run(path, "has nothing to load (no PT_LOAD segment); rebuild it");
  bool entry_ok = false;
  for (const auto& s : img.segments)
    if ((s.prot & kProtExec) && img.entry >= s.vaddr && img.entry < s.vaddr + s.memsz) entry_ok = true;
  if (!entry_ok)
    cannot_run(path, fmt::format("has its entry point {:#x} outside every executable segment (corrupt)",
                                 img.entry));
  read_sections(path, h.e, img);
  return img;
}

}  // namespace gostep
