// Private to dwarf_*.cpp: the libdw handles and the indexes DwarfInfo builds.
#pragma once

#include <elfutils/libdw.h>
#include <libelf.h>

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "runtime_model/dwarf_reader.h"

namespace gostep::model {

// Closes the file descriptor libdw reads through.
struct FdCloser {
  int fd = -1;
  FdCloser() = default;
  explicit FdCloser(int f) : fd(f) {}
  FdCloser(const FdCloser&) = delete;
  FdCloser& operator=(const FdCloser&) = delete;
  ~FdCloser();
};

// Go's vendor attributes (cmd/internal/dwarf/dwarf.go).
inline constexpr unsigned kDwAtGoKind = 0x2900, kDwAtGoKey = 0x2901, kDwAtGoElem = 0x2902;

struct DwarfEnd {
  void operator()(Dwarf* d) const { dwarf_end(d); }
};

struct ElfEnd {
  void operator()(Elf* e) const { elf_end(e); }
};

// One row of the merged line table of all units.
struct LineRow {
  std::uint64_t addr = 0;
  std::uint32_t file = 0;  // index into DwarfInfo::Impl::files
  std::int32_t line = 0;
  bool is_stmt = false;
  bool end_sequence = false;
};

struct SourceFile {
  std::string path;       // as the line table names it (leading "./" removed)
  std::string full_path;  // GOROOT/src/path when that exists, else path
};

struct DwarfInfo::Impl {
  Options options;
  // What libdw reads: a file, or (open_memory) bytes with their libelf handle. Declared
  // before `dwarf`, so they are released after dwarf_end.
  FdCloser fd;
  std::vector<std::uint8_t> bytes;
  std::unique_ptr<Elf, ElfEnd> elf;
  std::unique_ptr<Dwarf, DwarfEnd> dwarf;
  std::string producer;
  std::string go_version;

  // Name indexes, built once by walking the top-level DIEs of every unit.
  std::map<std::string, Dwarf_Off, std::less<>> types;  // a struct wins over its same-named typedef
  std::map<std::string, std::size_t, std::less<>> variable_by_name;  // into `variables`
  std::vector<VariableInfo> variables;                               // sorted by address
  std::map<std::string, std::int64_t, std::less<>> constants;
  std::map<std::string, std::size_t, std::less<>> function_by_name;  // into `functions`
  std::vector<FunctionInfo> functions;                               // sorted by low pc

  // The merged line table, built on the first line query (decoding every unit's line
  // program is half the cost of opening hello, and `gostep run` never asks).
  std::once_flag lines_built;
  std::vector<SourceFile> files;
  std::map<std::string, std::uint32_t, std::less<>> file_index;  // path -> index into files
  std::vector<LineRow> rows;  // sorted by address; at equal addresses an end_sequence comes first

  // Inlined call sites by function name, built on the first query (dwarf_scopes.cpp).
  std::once_flag inlines_built;
  std::map<std::string, std::vector<std::uint64_t>, std::less<>> inline_sites;

  void index_units();                 // dwarf_reader.cpp
  void build_lines();                 // dwarf_lines.cpp; call through lines()
  void index_lines(Dwarf_Die* cu);    // dwarf_lines.cpp
  const std::vector<LineRow>& lines() {
    std::call_once(lines_built, [this] { build_lines(); });
    return rows;
  }
  std::optional<Dwarf_Die> die_at(Dwarf_Off off) const;
};

// --- DIE helpers (dwarf_types.cpp) ---
std::string die_name(Dwarf_Die* die);
std::optional<Dwarf_Die> die_type(Dwarf_Die* die);   // what DW_AT_type refers to
Dwarf_Die strip_typedefs(Dwarf_Die die);
TypeKind die_kind(Dwarf_Die die);                    // typedefs resolved
std::uint64_t die_size(Dwarf_Die die);               // typedefs resolved; pointers are 8 bytes
std::optional<std::uint64_t> member_offset(Dwarf_Die* member);
std::uint64_t array_count(Dwarf_Die array);

}  // namespace gostep::model
