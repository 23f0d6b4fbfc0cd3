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

// Capstone prints a negative displacement on a segment as its 64-bit
// two's complement (%fs:0xfffffffffffffff8); Go and gdb users read %fs:-8.
std::string readable_segment_offsets(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    const bool seg = (text.compare(i, 6, "%fs:0x") == 0 || text.compare(i, 6, "%gs:0x") == 0 ||
                      text.compare(i, 5, "fs:0x") == 0 || text.compare(i, 5, "gs:0x") == 0);
    const std::size_t hex_at = i + (text[i] == '%' ? 6 : 5);
    if (seg && hex_at + 16 <= text.size() && text.compare(hex_at, 4, "ffff") == 0) {
      const std::uint64_t neg = 0 - std::stoull(text.substr(hex_at, 16), nullptr, 16);
      out += text.substr(i, hex_at - i - 2);  // "%fs:"
      out += neg < 10 ? fmt::format("-{}", neg) : fmt::format("-{:#x}", neg);
      i = hex_at + 16;
      continue;
    }
    out += text[i++];
  }
  return out;
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
  return readable_segment_offsets(out);
}

}  // namespace gostep
