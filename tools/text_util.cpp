#include "text_util.h"

#include "runtime_model/name_match.h"

#include <algorithm>
#include <string>
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


// Tabs to spaces at 4-column stops, so that widths can be counted.
std::string expand_tabs(const std::string& s) {
  std::string out;
  std::size_t col = 0;
  for (char c : s) {
    if (c == '\t') {
      do {
        out += ' ';
        ++col;
      } while (col % 4);
      continue;
    }
    if (c == '\r') continue;
    out += c;
    col += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }
  return out;
}

// Up to three of `names` close to `word` (a few typos, or a part of the name),
// as "a, b or c"; empty when none is.
std::string close_matches(const std::vector<std::string>& names, const std::string& word) {
  if (word.size() < 3) return "";  // too short to mean anything
  const std::size_t limit = std::max<std::size_t>(2, word.size() / 5);
  std::vector<std::pair<std::size_t, std::string>> scored;
  for (const auto& n : names) {
    if (n == word || n.empty()) continue;
    // The distance is at least the difference in length: skip the far ones without
    // computing it (a 1 MB name must not cost seconds).
    const std::size_t gap = n.size() > word.size() ? n.size() - word.size() : word.size() - n.size();
    const auto dot0 = n.rfind('.');
    const std::size_t short_gap = dot0 == std::string::npos ? gap
                                  : (n.size() - dot0 - 1 > word.size() ? n.size() - dot0 - 1 - word.size() : word.size() - (n.size() - dot0 - 1));
    if (gap > limit && short_gap > limit) {
      if (word.size() >= 4 && word.size() < n.size() && n.find(word) != std::string::npos)
        scored.emplace_back(limit + 1 + n.size(), n);
      continue;
    }
    std::size_t d = edit_distance(word, n);
    // "ncpu" for "runtime.ncpu": the name without its package.
    if (word.find('.') == std::string::npos) {
      const auto dot = n.rfind('.');
      if (dot != std::string::npos) d = std::min(d, edit_distance(word, n.substr(dot + 1)));
    }
    if (d <= limit) scored.emplace_back(d, n);
    else if (word.size() >= 4 && n.find(word) != std::string::npos) scored.emplace_back(limit + 1 + n.size(), n);
  }
  std::sort(scored.begin(), scored.end());
  std::vector<std::string> picked;
  for (const auto& [d, n] : scored) {
    if (std::find(picked.begin(), picked.end(), n) == picked.end()) picked.push_back(n);
    if (picked.size() == 3) break;
  }
  std::string out;
  for (std::size_t i = 0; i < picked.size(); ++i) {
    if (i) out += i + 1 == picked.size() ? " or " : ", ";
    out += picked[i];
  }
  return out;
}

}  // namespace gostep
