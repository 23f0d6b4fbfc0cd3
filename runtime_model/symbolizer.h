// Addresses as people read them, and the reverse.
//
// Code: "runtime.rt0_go.abi0+0xdf" and "asm_amd64.s:268". Names come from the ELF
// .symtab first, then DWARF, then pclntab (so stripped binaries still get
// function names). Data: "runtime.m0.tls[1]", "runtime.g0.stackguard0": the global
// variable from DWARF and the deepest field or element of its type holding the address.
// LOC (DESIGN.md): SYMBOL (exact, then SYMBOL.abi0), SYMBOL+OFF, 0xADDR, FILE:LINE.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "emulator/elf_image.h"
#include "runtime_model/dwarf_reader.h"
#include "runtime_model/pclntab.h"
#include "runtime_model/result.h"

namespace gostep::model {

struct CodeSymbol {
  std::string name;  // "runtime.rt0_go.abi0" (.symtab), "runtime.rt0_go" (DWARF, pclntab)
  std::uint64_t entry = 0;
  std::uint64_t size = 0;
  std::uint64_t offset = 0;  // of the address asked about
  // "runtime.rt0_go.abi0+0xdf", or the bare name at offset 0.
  std::string to_string() const;
};

class Symbolizer {
 public:
  // Every source is optional (null) and must outlive the Symbolizer.
  Symbolizer(const ElfImage* elf, const DwarfInfo* dwarf, const Pclntab* pclntab);

  // --- code ---
  std::optional<CodeSymbol> function_at(std::uint64_t pc) const;
  // "runtime.rt0_go.abi0+0xdf", or "0x4545e0" when nothing names it.
  std::string describe_code(std::uint64_t pc) const;
  // The source line (DWARF); short form "asm_amd64.s:268".
  std::optional<SourceLine> source(std::uint64_t pc) const;

  // --- names to addresses ---
  // A symbol: exactly that name, else NAME.abi0 (users type runtime.settls), in .symtab,
  // then DWARF functions and variables, then pclntab.
  Result<std::uint64_t> address_of(std::string_view symbol) const;
  // A code LOC: SYMBOL, SYMBOL+OFF (decimal or 0x hex), 0xADDR, FILE:LINE.
  // insn:N and milestone:NAME are not addresses and are refused with a message.
  Result<std::uint64_t> resolve(std::string_view loc) const;

  // --- data ---
  // "runtime.m0.tls[1]", "runtime.g0.stack.lo", "runtime.g0.stackguard0+0x4" inside a
  // field; "runtime.m0+0x88" from .symtab when there is no DWARF; nullopt when nothing fits.
  std::optional<std::string> describe_data(std::uint64_t addr) const;

 private:
  const ElfImage* elf_;
  const DwarfInfo* dwarf_;
  const Pclntab* pclntab_;
  std::unordered_map<std::string, std::size_t> elf_by_name_;  // into elf_->symbols
};

}  // namespace gostep::model
