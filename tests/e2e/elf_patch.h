// Broken and foreign ELF files, made at test time by copying a built program
// and patching its headers: what gostep must refuse with exit status 126.
#pragma once

#include <elf.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

namespace gostep::test {

inline std::vector<std::uint8_t> read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline void write_bytes(const std::string& path, const std::vector<std::uint8_t>& b, bool executable = true) {
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
    if (!out) throw std::runtime_error("cannot write " + path);
  }
  if (executable)
    std::filesystem::permissions(path, std::filesystem::perms::owner_all, std::filesystem::perm_options::add);
}

inline Elf64_Ehdr& ehdr(std::vector<std::uint8_t>& b) { return *reinterpret_cast<Elf64_Ehdr*>(b.data()); }

// The first program header of type `type` (PT_LOAD...).
inline Elf64_Phdr& phdr_of_type(std::vector<std::uint8_t>& b, std::uint32_t type) {
  const Elf64_Ehdr& e = ehdr(b);
  for (unsigned i = 0; i < e.e_phnum; ++i) {
    auto* ph = reinterpret_cast<Elf64_Phdr*>(b.data() + e.e_phoff + i * sizeof(Elf64_Phdr));
    if (ph->p_type == type) return *ph;
  }
  throw std::runtime_error("no program header of that type");
}

// The section header named `name` (".symtab", ".debug_info"...).
inline Elf64_Shdr& section_of(std::vector<std::uint8_t>& b, const std::string& name) {
  const Elf64_Ehdr& e = ehdr(b);
  auto* sh = reinterpret_cast<Elf64_Shdr*>(b.data() + e.e_shoff);
  const char* names = reinterpret_cast<const char*>(b.data() + sh[e.e_shstrndx].sh_offset);
  for (unsigned i = 0; i < e.e_shnum; ++i)
    if (name == names + sh[i].sh_name) return sh[i];
  throw std::runtime_error("no section " + name);
}

// Overwrites a section's bytes from `skip` on with a fixed pseudo-random pattern (or zeros).
inline void scribble(std::vector<std::uint8_t>& b, const Elf64_Shdr& sh, bool zeros, std::uint64_t skip = 0) {
  std::uint32_t x = 12345;
  for (std::uint64_t i = sh.sh_offset + skip; i < sh.sh_offset + sh.sh_size; ++i) {
    x = x * 1103515245u + 12345u;
    b[i] = zeros ? 0 : static_cast<std::uint8_t>(x >> 16);
  }
}

// A fresh directory for one test's files, removed with everything in it.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "gostep-test-XXXXXX").string();
    if (!::mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string file(const std::string& name) const { return (path_ / name).string(); }
  std::string path() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

// One broken input: how to make it, and what gostep must say about it.
struct BadInput {
  const char* name;
  int status;                        // 126 or 127
  std::vector<std::string> mentions;  // the message must contain each
};

// Makes the file `name` of `BadInput` list in `dir` from `good` (a static Go
// program) and the two dynamically linked C programs. Returns its path.
inline std::string make_bad_input(const TempDir& dir, const std::string& name, const std::string& good,
                                  const std::string& dyn_pie, const std::string& dyn_nopie) {
  const std::string path = dir.file(name);
  if (name == "missing") return dir.file("no-such-program");
  if (name == "directory") {
    std::filesystem::create_directory(path);
    return path;
  }
  if (name == "empty") {
    write_bytes(path, {});
    return path;
  }
  if (name == "text") {
    const std::string t = "this is not a program\n";
    write_bytes(path, std::vector<std::uint8_t>(t.begin(), t.end()));
    return path;
  }
  if (name == "script") {
    const std::string t = "#!/bin/sh\necho hi\n";
    write_bytes(path, std::vector<std::uint8_t>(t.begin(), t.end()));
    return path;
  }
  if (name == "dynamic-pie") {
    std::filesystem::copy_file(dyn_pie, path);
    return path;
  }
  if (name == "dynamic-nopie") {
    std::filesystem::copy_file(dyn_nopie, path);
    return path;
  }
  std::vector<std::uint8_t> b = read_bytes(good);
  if (name == "truncated-header") {
    b.resize(40);
  } else if (name == "truncated-phdrs") {
    b.resize(ehdr(b).e_phoff + sizeof(Elf64_Phdr));  // keeps one of the program headers
  } else if (name == "elf32") {
    b[EI_CLASS] = ELFCLASS32;
  } else if (name == "arm64") {
    ehdr(b).e_machine = EM_AARCH64;
  } else if (name == "load-past-eof") {
    Elf64_Phdr& ph = phdr_of_type(b, PT_LOAD);
    ph.p_filesz = b.size() - ph.p_offset + 0x1000;
    ph.p_memsz = ph.p_filesz;
  } else if (name == "huge-memsz") {
    phdr_of_type(b, PT_LOAD).p_memsz = 1ULL << 40;  // 1 TiB: fits the address space, not a program
  } else if (name == "memsz-overflow") {
    phdr_of_type(b, PT_LOAD).p_memsz = 0xfffffffffffff000ULL;
  } else if (name == "ei-version-0") {
    b[EI_VERSION] = 0;
  } else if (name == "shdrs-past-eof") {
    ehdr(b).e_shoff = b.size() + 64;
  } else if (name == "shdrs-zeroed") {
    std::fill(b.begin() + static_cast<long>(ehdr(b).e_shoff),
              b.begin() + static_cast<long>(ehdr(b).e_shoff + ehdr(b).e_shnum * sizeof(Elf64_Shdr)), 0);
  } else if (name == "shstrndx-bad") {
    ehdr(b).e_shstrndx = static_cast<std::uint16_t>(ehdr(b).e_shnum + 5);
  } else if (name == "symtab-past-eof") {
    section_of(b, ".symtab").sh_offset = b.size() + 64;
  } else if (name == "symtab-zeroed") {
    scribble(b, section_of(b, ".symtab"), true);
  } else if (name == "symtab-random") {
    scribble(b, section_of(b, ".symtab"), false);
  } else if (name == "symtab-entsize") {
    section_of(b, ".symtab").sh_entsize = 7;
  } else if (name == "strtab-zeroed") {
    scribble(b, section_of(b, ".strtab"), true);
  } else if (name == "strtab-random") {
    scribble(b, section_of(b, ".strtab"), false);
  } else {
    throw std::runtime_error("unknown bad input " + name);
  }
  write_bytes(path, b);
  return path;
}

inline void PrintTo(const BadInput& b, std::ostream* os) { *os << b.name; }

inline const std::vector<BadInput>& bad_inputs() {
  static const std::vector<BadInput> list = {
      {"missing", 127, {"no such file"}},
      {"directory", 126, {"directory"}},
      {"empty", 126, {"empty"}},
      {"text", 126, {"not an ELF"}},
      {"script", 126, {"script"}},
      {"truncated-header", 126, {"truncated"}},
      {"truncated-phdrs", 126, {"truncated", "program headers"}},
      {"elf32", 126, {"32-bit", "GOARCH=amd64"}},
      {"arm64", 126, {"ARM64", "not x86-64"}},
      {"dynamic-pie", 126, {"CGO_ENABLED=0"}},
      {"dynamic-nopie", 126, {"dynamically linked", "CGO_ENABLED=0"}},
      {"load-past-eof", 126, {"PT_LOAD", "past the end of the file"}},
      {"huge-memsz", 126, {"4 GiB"}},
      {"memsz-overflow", 126, {"PT_LOAD", "does not fit"}},
      // A damaged section table is the file's fault too (issue 14): never "(no error)".
      {"ei-version-0", 126, {"corrupt", "ELF version 0"}},
      {"shdrs-past-eof", 126, {"corrupt", "section header table"}},
      {"shdrs-zeroed", 126, {"corrupt", "section names"}},
      {"shstrndx-bad", 126, {"corrupt", "section names"}},
      {"symtab-past-eof", 126, {"corrupt", "past the end of the file"}},
      {"symtab-zeroed", 126, {"corrupt", ".symtab"}},
      {"symtab-random", 126, {"corrupt"}},
      {"symtab-entsize", 126, {"corrupt", ".symtab"}},
      {"strtab-zeroed", 126, {"corrupt", ".symtab"}},
      {"strtab-random", 126, {"corrupt", ".strtab"}},
  };
  return list;
}

}  // namespace gostep::test
