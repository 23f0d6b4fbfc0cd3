#include "text_util.h"

#include "runtime_model/name_match.h"

#include <algorithm>
#include <charconv>
#include <vector>

namespace gostep {

std::string with_commas(std::uint64_t n) {
  // Built by appending: GCC 12 warns falsely (-Wrestrict) on std::string::insert.
  const std::string digits = std::to_string(n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

bool parse_uint(const std::string& s, std::uint64_t& out, int base) {
  if (s.empty()) return false;
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out, base);
  return ec == std::errc() && p == s.data() + s.size();
}

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  const auto e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

std::size_t edit_distance(const std::string& a, const std::string& b) { return model::edit_distance(a, b); }

}  // namespace gostep
