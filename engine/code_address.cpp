#include "code_address.h"

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

}  // namespace gostep
