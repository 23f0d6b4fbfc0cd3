#include "runtime_model/symbolizer.h"

#include "runtime_model/name_match.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>

namespace gostep::model {

namespace {

std::optional<std::uint64_t> parse_number(std::string_view s) {
  int base = 10;
  if (s.starts_with("0x") || s.starts_with("0X")) {
    s.remove_prefix(2);
    base = 16;
  }
  std::uint64_t v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v, base);
  if (s.empty() || ec != std::errc() || ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

// The .symtab symbol of kind `want_function` that contains addr. Zero-sized markers
// (runtime.text sits on the first function's entry) count only at their own address,
// and only when no sized symbol holds addr.
const ElfSymbol* elf_symbol_at(const ElfImage& img, std::uint64_t addr, bool want_function) {
  const auto& syms = img.symbols;
  auto it = std::upper_bound(syms.begin(), syms.end(), addr,
                             [](std::uint64_t a, const ElfSymbol& s) { return a < s.addr; });
  const ElfSymbol* marker = nullptr;
  while (it != syms.begin()) {
    --it;
    if (it->is_function != want_function) continue;
    if (it->size == 0) {
      if (it->addr == addr && marker == nullptr) marker = &*it;
      continue;
    }
    if (addr < it->addr + it->size) return &*it;
    break;
  }
  return marker;
}

}  // namespace

std::string CodeSymbol::to_string() const {
  return offset == 0 ? name : fmt::format("{}+{:#x}", name, offset);
}

Symbolizer::Symbolizer(const ElfImage* elf, const DwarfInfo* dwarf, const Pclntab* pclntab)
    : elf_(elf), dwarf_(dwarf), pclntab_(pclntab) {
  if (elf_) {
    for (std::size_t i = 0; i < elf_->symbols.size(); ++i) elf_by_name_.emplace(elf_->symbols[i].name, i);
  }
}

std::optional<CodeSymbol> Symbolizer::function_at(std::uint64_t pc) const {
  if (elf_) {
    if (const ElfSymbol* s = elf_symbol_at(*elf_, pc, true)) return CodeSymbol{s->name, s->addr, s->size, pc - s->addr};
  }
  if (dwarf_) {
    if (auto f = dwarf_->function_at(pc)) return CodeSymbol{f->name, f->low, f->high - f->low, pc - f->low};
  }
  if (pclntab_) {
    if (auto f = pclntab_->function_at(pc)) return CodeSymbol{f->name, f->entry, f->end - f->entry, pc - f->entry};
  }
  return std::nullopt;
}

std::string Symbolizer::describe_code(std::uint64_t pc) const {
  if (auto s = function_at(pc)) return s->to_string();
  return fmt::format("{:#x}", pc);
}

std::optional<SourceLine> Symbolizer::source(std::uint64_t pc) const {
  if (!dwarf_) return std::nullopt;
  return dwarf_->line_at(pc);
}

Result<std::uint64_t> Symbolizer::address_of(std::string_view symbol) const {
  const std::string name(symbol);
  const std::string abi0 = name + ".abi0";
  if (elf_) {
    for (const std::string* n : {&name, &abi0}) {
      if (auto it = elf_by_name_.find(*n); it != elf_by_name_.end()) return elf_->symbols[it->second].addr;
    }
  }
  if (dwarf_) {
    if (auto f = dwarf_->function(symbol)) return f->low;
    if (auto v = dwarf_->variable(symbol)) return v->addr;
  }
  if (pclntab_) {
    if (auto f = pclntab_->function(symbol)) return f->entry;
  }
  if (!elf_ && !dwarf_ && !pclntab_) return Error{fmt::format("no symbol '{}': the program has no symbols", clip_typed(symbol))};
  return Error{fmt::format("no symbol '{}' (nor '{}.abi0')", clip_typed(symbol, 30), clip_typed(symbol, 30))};
}

Result<std::uint64_t> Symbolizer::resolve(std::string_view loc) const {
  if (loc.empty()) return Error{"empty location"};
  if (loc.starts_with("insn:") || loc.starts_with("milestone:"))
    return Error{fmt::format("'{}' is not a code address (it is resolved while running)", clip_typed(loc))};
  if (loc.starts_with("0x") || loc.starts_with("0X")) {
    if (auto v = parse_number(loc)) return *v;
    return Error{fmt::format("'{}' is not a hex address", clip_typed(loc))};
  }
  if (const std::size_t colon = loc.rfind(':'); colon != std::string_view::npos && all_digits(loc.substr(colon + 1))) {
    if (!dwarf_) return Error{fmt::format("'{}' needs DWARF line tables; this program has none", clip_typed(loc))};
    auto r = dwarf_->pc_for_line(loc);
    if (!r) return Error{r.error()};
    return r->pc;
  }
  if (const std::size_t plus = loc.rfind('+'); plus != std::string_view::npos && plus > 0) {
    auto off = parse_number(loc.substr(plus + 1));
    if (!off) return Error{fmt::format("'{}': the offset after '+' is not a number", clip_typed(loc, 30))};
    auto base = address_of(loc.substr(0, plus));
    if (!base) return base;
    return *base + *off;
  }
  return address_of(loc);
}

std::optional<std::string> Symbolizer::describe_data(std::uint64_t addr) const {
  if (dwarf_) {
    if (auto v = dwarf_->variable_at(addr)) {
      std::uint64_t rest = 0;
      const std::string path = dwarf_->field_path_at(v->type_name, addr - v->addr, &rest);
      std::string out = path.empty() ? v->name : (path.front() == '[' ? v->name + path : v->name + "." + path);
      if (rest != 0) out += fmt::format("+{:#x}", rest);
      return out;
    }
  }
  if (elf_) {
    if (const ElfSymbol* s = elf_symbol_at(*elf_, addr, false))
      return addr == s->addr ? s->name : fmt::format("{}+{:#x}", s->name, addr - s->addr);
  }
  return std::nullopt;
}

}  // namespace gostep::model
