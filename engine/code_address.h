// Code addresses as people read them: function+offset. The ELF symbol table
// first; where no symbol covers the address (a stripped binary: `go build
// -ldflags=-s`), the function Go's own pclntab names, which stripping keeps
// because the runtime needs it for its tracebacks.
#pragma once

#include <optional>
#include <string>

#include "emulator/disassembler.h"
#include "emulator/elf_image.h"
#include "runtime_model/pclntab.h"

namespace gostep {

class CodeAddresses {
 public:
  explicit CodeAddresses(const ElfImage& img) : img_(img) {}
  // "runtime.rt0_go.abi0+0xdf", "runtime.runGCProg+0x59d" (from pclntab), or
  // "0x4545e0" when neither names the address.
  std::string describe(GuestAddr pc);

 private:
  std::optional<std::string> from_symbols(GuestAddr pc) const;

  const ElfImage& img_;
  std::optional<model::Pclntab> pclntab_;  // parsed when first needed
  bool pclntab_tried_ = false;
};

}  // namespace gostep
