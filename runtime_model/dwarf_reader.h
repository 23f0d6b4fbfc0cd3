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
  // Go's own attributes (cmd/internal/dwarf: DW_AT_go_kind 0x2900, go_key 0x2901,
  // go_elem 0x2902): reflect.Kind, and the key and element types of maps, chans, slices.
  int go_kind = 0;
  std::string go_key, go_elem;
};

// reflect.Kind numbers as DW_AT_go_kind carries them.
namespace go_kind {
inline constexpr int kArray = 17, kChan = 18, kFunc = 19, kInterface = 20, kMap = 21, kPtr = 22, kSlice = 23,
                     kString = 24, kStruct = 25, kUnsafePointer = 26;
}

// One step of a location expression (DWARF 4, 2.5/2.6) as Go emits them.
struct LocOp {
  std::uint8_t atom = 0;  // DW_OP_*
  std::uint64_t number = 0, number2 = 0;
};

// A local variable or parameter visible at a pc (Go's DWARF: formal parameters,
// variables, lexical blocks; "&x" names a variable that escaped to the heap: the
// slot holds its address; "~r0" an unnamed result).
struct ScopeVariable {
  std::string name;
  std::string type_name;
  bool is_param = false;   // DW_TAG_formal_parameter (results included)
  bool is_result = false;  // DW_AT_variable_parameter: Go marks results so
  int decl_line = 0;
  bool located = false;    // false: no location at this pc ("optimized out")
  std::vector<LocOp> expr; // the location expression valid at the pc
};

// A function's scope at a pc: the physical function, or one inlined call in it.
struct FrameScope {
  std::string function;    // "main.add"
  bool inlined = false;    // a DW_TAG_inlined_subroutine
  int call_line = 0;       // inlined: the line of the call in its caller
  std::vector<ScopeVariable> variables;  // parameters first, in DWARF order
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
  std::uint64_t die = 0;   // its DW_TAG_subprogram (scopes_at walks it)
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
  // The same for an ELF file already in memory (the fuzz target's entry point).
  static std::unique_ptr<DwarfInfo> open_memory(std::vector<std::uint8_t> bytes, std::string* why = nullptr);
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
  // The scopes active at `pc`, innermost first: each inlined call (DWARF's
  // DW_TAG_inlined_subroutine) and then the physical function, each with the
  // variables visible at `pc` and their location expressions there.
  std::vector<FrameScope> scopes_at(std::uint64_t pc) const;
  // Every inlined call site of `function` (its DW_TAG_inlined_subroutine
  // entries): the lowest pc of each, sorted.
  std::vector<std::uint64_t> inlined_sites(std::string_view function) const;
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
  // Indexes an opened `impl` (its `dwarf` set); nullptr and `why` when it holds nothing.
  static std::unique_ptr<DwarfInfo> finish_open(std::unique_ptr<Impl> impl, std::string* why);
  std::unique_ptr<Impl> impl_;
};

}  // namespace gostep::model
