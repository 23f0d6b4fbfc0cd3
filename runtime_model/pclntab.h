// Go's own metadata for its tracebacks, the pclntab (runtime/symtab.go, Go 1.18
// and 1.19): function names and bounds, and per-pc tables (SP delta, file, line,
// inlining). It is in every Go binary, stripped ones too, so it is what the
// symbolizer falls back on and what the unwinder reads (runtime.gentraceback
// does the same).
//
// Layout: a pcHeader {magic 0xfffffff0, pad1 0, pad2 0, minLC, ptrSize, nfunc,
// nfiles, textStart, funcnameOffset, cuOffset, filetabOffset, pctabOffset,
// pclnOffset}; at pclnOffset the functab [nfunc+1]{entryoff, funcoff uint32}
// sorted by pc; at pclnOffset+funcoff a _func {entryoff, nameoff, args,
// deferreturn, pcsp, pcfile, pcln, npcdata, cuOffset (uint32 each), funcID,
// flag, pad, nfuncdata (uint8)} followed by pcdata [npcdata]uint32 (offsets into
// pctab) and funcdata [nfuncdata]uint32 (offsets from moduledata.gofunc, the
// go.func.* symbol). Entry pcs are textStart + entryoff.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "runtime_model/result.h"

namespace gostep::model {

// runtime/symtab.go: funcFlag.
inline constexpr std::uint8_t kFuncFlagTopFrame = 1 << 0;  // outermost frame of a stack (rt0_go, mstart, goexit)
inline constexpr std::uint8_t kFuncFlagSpWrite = 1 << 1;   // writes SP in ways pcsp cannot describe
inline constexpr std::uint8_t kFuncFlagAsm = 1 << 2;       // written in assembly

struct PclnFunction {
  std::string name;  // Go's name: "runtime.rt0_go", "main.main"
  std::uint64_t entry = 0;
  std::uint64_t end = 0;  // the next function's entry (or the end of text)
  std::int32_t args = 0;  // bytes of arguments and results (-1: unknown, assembly without a frame size)
  std::uint8_t funcid = 0;
  std::uint8_t flag = 0;  // kFuncFlag*
  std::uint32_t func_off = 0;  // where its _func is (offset into the function table)
};

// A source position from the pcfile/pcln tables.
struct PclnPosition {
  std::string file;  // as the compiler recorded it: "runtime/proc.go" (with -trimpath), or a full path
  int line = 0;
};

// One inlined call active at a pc (runtime/symtab.go inlinedCall), as Go's
// tracebacks show it: the function that was inlined, the position in it, and a
// pc of its caller whose position is the call site.
struct PclnInlined {
  std::string function;    // the inlined function: "main.add"
  PclnPosition position;   // where in it the pc is (or, for outer levels, its call to the next inner one)
  std::uint64_t parent_pc = 0;
};

class Pclntab {
 public:
  // `file` is the whole ELF file: the .gopclntab section when the section headers
  // name it, else the first well-formed header found by scanning for the magic.
  static Result<Pclntab> parse(std::span<const std::uint8_t> file);
  static Result<Pclntab> load(const std::string& path);

  std::optional<PclnFunction> function_at(std::uint64_t pc) const;
  // Also accepts "NAME.abi0" for NAME.
  std::optional<PclnFunction> function(std::string_view name) const;
  const std::vector<PclnFunction>& functions() const { return functions_; }  // by entry
  std::uint64_t text_start() const { return text_start_; }
  bool from_section() const { return from_section_; }  // false: found by scanning

  // How far SP is below the function's entry SP at `pc` (0 at the entry), from pcsp.
  std::optional<std::int32_t> sp_delta(const PclnFunction& f, std::uint64_t pc) const;
  // The file and line of `pc` (the innermost inlined function's, as Go's tracebacks say).
  std::optional<PclnPosition> position(const PclnFunction& f, std::uint64_t pc) const;
  // The inlined calls active at `pc`, innermost first; empty when none (or when the
  // binary's funcdata could not be located: see has_inline_data()). The caller of
  // the last one is `f` itself, at position(f, back().parent_pc).
  std::vector<PclnInlined> inlined_at(const PclnFunction& f, std::uint64_t pc) const;
  bool has_inline_data() const { return !gofunc_.empty(); }

 private:
  std::optional<std::int32_t> pcvalue(std::uint32_t table_off, std::uint64_t entry, std::uint64_t pc) const;
  std::optional<std::uint32_t> pcdata_offset(const PclnFunction& f, std::uint32_t index) const;
  std::optional<std::uint32_t> funcdata_offset(const PclnFunction& f, std::uint32_t index) const;
  std::string file_name(const PclnFunction& f, std::int32_t fileno) const;
  std::uint32_t cu_offset(const PclnFunction& f) const;

  std::vector<PclnFunction> functions_;
  std::uint64_t text_start_ = 0;
  std::uint32_t quantum_ = 1;  // pcHeader.minLC
  bool from_section_ = false;
  // Copies of the tables the per-pc queries read (the file bytes need not outlive us).
  std::vector<std::uint8_t> funcnames_, cutab_, filetab_, pctab_, ftab_;
  std::vector<std::uint8_t> gofunc_;  // from go.func.* to the end of its segment; empty if not found
};

// A uvarint as runtime/symtab.go readvarint reads it; `used` is 0 when truncated.
std::uint32_t read_varint(std::span<const std::uint8_t> p, std::size_t& used);

// The value a pc-value table (runtime/symtab.go pcvalue/step) gives at `target`
// for a function starting at `entry`; nullopt outside the table or when malformed.
std::optional<std::int32_t> pcvalue(std::span<const std::uint8_t> table, std::uint64_t entry, std::uint64_t target,
                                    std::uint32_t quantum = 1);

}  // namespace gostep::model
