#include "symbols.h"

#include <capstone/capstone.h>
#include <fmt/format.h>

#include <algorithm>

namespace gostep {

std::string describe_code_address(const ElfImage& img, GuestAddr pc) {
  const auto& syms = img.symbols;
  auto it = std::upper_bound(syms.begin(), syms.end(), pc,
                             [](GuestAddr a, const ElfSymbol& s) { return a < s.addr; });
  while (it != syms.begin()) {
    --it;
    if (!it->is_function) continue;
    if (pc < it->addr + std::max<std::uint64_t>(it->size, 1))
      return pc == it->addr ? it->name : fmt::format("{}+{:#x}", it->name, pc - it->addr);
    break;
  }
  return fmt::format("{:#x}", pc);
}

std::string disassemble_one(const std::uint8_t* bytes, std::size_t len, GuestAddr pc) {
  csh h;
  if (cs_open(CS_ARCH_X86, CS_MODE_64, &h) != CS_ERR_OK) return "?";
  cs_option(h, CS_OPT_SYNTAX, CS_OPT_SYNTAX_ATT);
  cs_insn* insn = nullptr;
  std::string out = "?";
  if (cs_disasm(h, bytes, len, pc, 1, &insn) == 1) {
    out = insn[0].op_str[0] ? fmt::format("{} {}", insn[0].mnemonic, insn[0].op_str) : insn[0].mnemonic;
    cs_free(insn, 1);
  }
  cs_close(&h);
  return out;
}

}  // namespace gostep
