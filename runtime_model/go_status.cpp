#include "runtime_model/go_status.h"

#include <fmt/format.h>

#include <cctype>

namespace gostep::model {

namespace {

// "runtime._Grunnable" with prefix "runtime._G" -> "_Grunnable"; "runtime._GCoff" -> "".
std::string status_name(const std::string& full, std::string_view prefix) {
  const std::string_view rest = std::string_view(full).substr(prefix.size());
  if (rest.empty()) return {};
  for (char c : rest)
    if (!std::islower(static_cast<unsigned char>(c)) && c != '_') return {};
  return full.substr(prefix.size() - 2);  // keep "_G" / "_P"
}

void collect(const DwarfInfo& dwarf, std::string_view prefix, std::map<std::int64_t, std::string>& out) {
  for (const ConstantInfo& c : dwarf.constants_with_prefix(prefix)) {
    std::string name = status_name(c.name, prefix);
    if (!name.empty()) out.emplace(c.value, std::move(name));  // first by name wins a tie
  }
}

}  // namespace

StatusNames::StatusNames(const DwarfInfo& dwarf) {
  collect(dwarf, "runtime._G", g_);
  collect(dwarf, "runtime._P", p_);
  if (auto scan = dwarf.constant("runtime._Gscan")) gscan_ = *scan;
}

std::string StatusNames::g(std::uint32_t status) const {
  if (auto it = g_.find(status); it != g_.end()) return it->second;
  if (gscan_ > 0 && (status & gscan_) != 0) {
    if (auto it = g_.find(status & ~gscan_); it != g_.end()) return "_Gscan|" + it->second;
  }
  return fmt::format("{:#x}", status);
}

std::string StatusNames::p(std::uint32_t status) const {
  if (auto it = p_.find(status); it != p_.end()) return it->second;
  return fmt::format("{:#x}", status);
}

}  // namespace gostep::model
