// Go's DWARF read through libdw: types and their layouts, global variables,
// constants, functions and the line table of one Go 1.19 binary.
//
// What Go emits, and what this class copes with (TRAPS.md "libdw 0.188 and Go's
// DWARF"; observed in go1.19.8's output):
// - every .debug_* section is zlib-compressed (SHF_COMPRESSED); libdw inflates it;
// - there is no .debug_aranges and no pubnames, so all name and address indexes
//   here are built by walking the compile units once, when the file is opened;
// - assembly functions are named without their ABI suffix (`runtime.rt0_go`,
//   while .symtab says `runtime.rt0_go.abi0`);
// - a named struct comes twice, as DW_TAG_structure_type and as a DW_TAG_typedef
//   of the same name (`runtime.m`); named integers (`runtime.guintptr`) are base types;
// - untyped constants are DW_TAG_constant of type `int` (`runtime._Grunnable` = 1);
// - with -trimpath, line-table paths are package-relative (`runtime/asm_amd64.s`).
// Nothing here throws for missing data: lookups return std::optional or Result.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime_model/result.h"

namespace gostep::model {

enum class TypeKind { kBase, kPointer, kStruct, kArray, kFunc, kOther };
std::string_view to_string(TypeKind kind);

struct FieldInfo {
  std::string name;
  std::uint64_t offset = 0;
  std::uint64_t size = 0;
  std::string type_name;  // as DWARF names it: "runtime.puintptr", "[6]uintptr", "*runtime.g"
  TypeKind kind = TypeKind::kOther;  // of the type after typedefs are resolved
};

struct TypeInfo {
  std::string name;
  TypeKind kind = TypeKind::kOther;  // typedefs resolved
  std::uint64_t size = 0;
  std::vector<FieldInfo> fields;  // kStruct: members in declaration (= offset) order
  std::string elem_type;          // kArray: element type; kPointer: pointee type
  std::uint64_t count = 0;        // kArray: number of elements
};

// A (possibly nested) field inside a type, found by a path like "sched.sp" or "tls[2]".
struct FieldLocation {
  std::uint64_t offset = 0;  // from the start of the outer type
  std::uint64_t size = 0;
  std::string type_name;
  TypeKind kind = TypeKind::kOther;
};

struct VariableInfo {
  std::string name;  // "runtime.g0"
  std::uint64_t addr = 0;
  std::uint64_t size = 0;
  std::string type_name;  // "runtime.g"
};

struct ConstantInfo {
  std::string name;  // "runtime._Grunnable"
  std::int64_t value = 0;
};

struct FunctionInfo {
  std::string name;  // DWARF name: "runtime.rt0_go" (no .abi0)
  std::uint64_t low = 0;
  std::uint64_t high = 0;  // one past the last byte
  std::string unit;        // the compile unit (Go package) it belongs to
};

struct SourceLine {
  std::string file;       // as the line table says: "runtime/asm_amd64.s"
  std::string full_path;  // under GOROOT when the file exists there, else `file`
  int line = 0;
  // "asm_amd64.s:268": the basename and the line, as users type it.
  std::string short_form() const;
};

struct LineAddress {
  std::uint64_t pc = 0;
  SourceLine source;  // the line actually found (the next line with code, if the asked one has none)
};

class DwarfInfo {
 public:
  struct Options {
    // Where trimmed standard-library paths (`runtime/proc.go`) are looked up for full paths.
    std::string goroot = "/usr/lib/go-1.19";
  };

  // nullptr when the file is missing, not ELF, or has no DWARF; `why` (if given) says which.
  static std::unique_ptr<DwarfInfo> open(const std::string& path, std::string* why = nullptr);
  static std::unique_ptr<DwarfInfo> open(const std::string& path, const Options& options,
                                         std::string* why = nullptr);
  ~DwarfInfo();
  DwarfInfo(const DwarfInfo&) = delete;
  DwarfInfo& operator=(const DwarfInfo&) = delete;

  // DW_AT_producer of the first unit: "Go cmd/compile go1.19.8; regabi".
  const std::string& producer() const;
  // "go1.19.8", or empty when the producer names no Go version.
  const std::string& go_version() const;

  // --- types ---
  std::optional<TypeInfo> type(std::string_view name) const;
  // Dotted path with array indexes: field("runtime.g", "sched.sp"), field("runtime.m", "tls[2]").
  Result<FieldLocation> field(std::string_view type_name, std::string_view path) const;
  // The deepest field or array element of `type_name` that contains `offset`: "tls[1]",
  // "stack.lo". `rest` gets the offset left inside it. Empty path when nothing narrower fits.
  std::string field_path_at(std::string_view type_name, std::uint64_t offset,
                            std::uint64_t* rest = nullptr) const;

  // --- global variables (DW_TAG_variable located by DW_OP_addr) ---
  std::optional<VariableInfo> variable(std::string_view name) const;
  std::optional<VariableInfo> variable_at(std::uint64_t addr) const;  // the one containing addr
  const std::vector<VariableInfo>& variables() const;                 // sorted by address

  // --- constants (DW_TAG_constant) ---
  std::optional<std::int64_t> constant(std::string_view name) const;
  std::vector<ConstantInfo> constants_with_prefix(std::string_view prefix) const;  // by name

  // --- functions (DW_TAG_subprogram with code) ---
  // Also accepts "NAME.abi0" for an assembly function DWARF names NAME.
  std::optional<FunctionInfo> function(std::string_view name) const;
  std::optional<FunctionInfo> function_at(std::uint64_t pc) const;
  const std::vector<FunctionInfo>& functions() const;  // sorted by low pc

  // --- line table (every unit, assembly included) ---
  std::optional<SourceLine> line_at(std::uint64_t pc) const;
  // "asm_amd64.s:268", "runtime/proc.go:4112": the lowest is_stmt address of that line.
  // A basename that names two files is an error listing them.
  Result<LineAddress> pc_for_line(std::string_view file_colon_line) const;
  Result<LineAddress> pc_for_line(std::string_view file, int line) const;
  std::vector<std::string> source_files() const;  // as the line table names them

  struct Impl;

 private:
  explicit DwarfInfo(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace gostep::model
