// Function names for binaries without symbols or DWARF (`go build -ldflags=-s -w`),
// read from the pclntab that Go keeps for its own tracebacks.
//
// Layout (Go 1.18 and 1.19, runtime/symtab.go): a pcHeader {magic 0xfffffff0,
// pad1 0, pad2 0, minLC, ptrSize, nfunc, nfiles, textStart, funcnameOffset,
// cuOffset, filetabOffset, pctabOffset, pclnOffset}; at pclnOffset the functab
// [nfunc+1]{entryoff, funcoff uint32} sorted by pc (the last entry is the end of
// text); at pclnOffset+funcoff a _func whose second word is nameoff into funcnametab.
// Entry pcs are textStart + entryoff.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "runtime_model/result.h"

namespace gostep::model {

struct PclnFunction {
  std::string name;  // Go's name: "runtime.rt0_go", "main.main"
  std::uint64_t entry = 0;
  std::uint64_t end = 0;  // the next function's entry (or the end of text)
};

class Pclntab {
 public:
  // `file` is the whole ELF file: the .gopclntab section when the section headers name
  // it, else the first well-formed header found by scanning for the magic.
  static Result<Pclntab> parse(std::span<const std::uint8_t> file);
  static Result<Pclntab> load(const std::string& path);

  std::optional<PclnFunction> function_at(std::uint64_t pc) const;
  // Also accepts "NAME.abi0" for NAME.
  std::optional<PclnFunction> function(std::string_view name) const;
  const std::vector<PclnFunction>& functions() const { return functions_; }  // by entry
  std::uint64_t text_start() const { return text_start_; }
  bool from_section() const { return from_section_; }  // false: found by scanning

 private:
  std::vector<PclnFunction> functions_;
  std::uint64_t text_start_ = 0;
  bool from_section_ = false;
};

}  // namespace gostep::model
