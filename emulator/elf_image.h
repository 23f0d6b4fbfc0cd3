// Reading a static x86-64 ELF executable: what to map where, and the entry
// point. Every reason a file cannot be run becomes a LoadError with the exit
// status DESIGN.md gives (127 not found, 126 cannot be run) and one line that
// says what is wrong and what to do.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "guest.h"

namespace gostep {

class LoadError : public std::runtime_error {
 public:
  LoadError(int exit_status, const std::string& msg) : std::runtime_error(msg), status(exit_status) {}
  int status;
};

struct ElfSegment {
  GuestAddr vaddr = 0;
  std::uint64_t memsz = 0;
  std::uint64_t filesz = 0;
  std::uint64_t offset = 0;
  std::uint32_t prot = 0;  // kProtRead | kProtWrite | kProtExec
};

struct ElfSymbol {
  GuestAddr addr = 0;
  std::uint64_t size = 0;
  std::string name;
  bool is_function = false;
};

struct ElfImage {
  std::string path;
  std::vector<std::uint8_t> bytes;  // the whole file
  GuestAddr entry = 0;
  GuestAddr phdr_addr = 0;  // where the program headers are mapped (AT_PHDR)
  std::uint16_t phnum = 0;
  std::vector<ElfSegment> segments;
  std::vector<ElfSymbol> symbols;  // from .symtab, sorted by address; empty if stripped
  GuestAddr end_of_data = 0;       // highest address of any segment (initial brk)
  bool has_debug_sections = false; // .debug_* or .zdebug_* (DWARF), readable or not

  // Ranges of executable segments: where RDTSC sites are searched.
  std::vector<const ElfSegment*> executable_segments() const;
};

// Reads and validates `path`. Throws LoadError.
ElfImage load_elf(const std::string& path);
// The same for a file already in memory (`path` only names it in messages): the
// fuzz target's entry point.
ElfImage parse_elf(const std::string& path, std::vector<std::uint8_t> bytes);

}  // namespace gostep
