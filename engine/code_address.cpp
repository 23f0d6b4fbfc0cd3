#include "code_address.h"

#include <fmt/format.h>

#include <algorithm>

namespace gostep {
namespace {

std::string plus_offset(const std::string& name, GuestAddr entry, GuestAddr pc) {
  return pc == entry ? name : fmt::format("{}+{:#x}", name, pc - entry);
}

}  // namespace

std::optional<std::string> CodeAddresses::from_symbols(GuestAddr pc) const {
  const auto& syms = img_.symbols;
  auto it = std::upper_bound(syms.begin(), syms.end(), pc,
                             [](GuestAddr a, const ElfSymbol& s) { return a < s.addr; });
  while (it != syms.begin()) {
    --it;
    if (!it->is_function) continue;
    if (pc < it->addr + std::max<std::uint64_t>(it->size, 1)) return plus_offset(it->name, it->addr, pc);
    break;
  }
  return std::nullopt;
}

std::string CodeAddresses::describe(GuestAddr pc) {
  if (auto name = from_symbols(pc)) return *name;
  if (!pclntab_tried_) {
    pclntab_tried_ = true;
    if (auto p = model::Pclntab::parse(img_.bytes)) pclntab_ = std::move(p.value());
  }
  if (pclntab_)
    if (const auto f = pclntab_->function_at(pc)) return plus_offset(f->name, f->entry, pc);
  return fmt::format("{:#x}", pc);
}

}  // namespace gostep
