#include "name_match.h"

#include <algorithm>
#include <utility>

namespace gostep::model {

std::string clip_typed(std::string_view typed, std::size_t max) {
  std::size_t cols = 0;
  for (unsigned char c : typed) cols += (c & 0xC0) != 0x80;
  const bool clipped = cols > max;
  const std::size_t keep = clipped ? max - 3 : cols;
  std::string out;
  cols = 0;
  for (char ch : typed) {
    const auto c = static_cast<unsigned char>(ch);
    if ((c & 0xC0) != 0x80 && ++cols > keep) break;
    out += c < 0x20 || c == 0x7f ? '?' : ch;  // a newline typed in a LOC must not break the line
  }
  return clipped ? out + "..." : out;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t prev = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cur = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] == b[j - 1] ? 0 : 1)});
      prev = cur;
    }
  }
  return row[b.size()];
}

std::size_t edit_distance_within(std::string_view a, std::string_view b, std::size_t k) {
  const std::size_t n = a.size(), m = b.size();
  if ((n > m ? n - m : m - n) > k) return k + 1;
  const std::size_t far = k + 1;  // stands for "more than k"
  std::vector<std::size_t> row(m + 1, far), next(m + 1, far);
  for (std::size_t j = 0; j <= std::min(m, k); ++j) row[j] = j;
  for (std::size_t i = 1; i <= n; ++i) {
    const std::size_t lo = i > k ? i - k : 0, hi = std::min(m, i + k);
    // Cells left of the band are never read again but next[lo - 1], a row older.
    if (lo >= 1) next[lo - 1] = far;
    std::size_t best = far;
    if (lo == 0) next[0] = best = std::min(i, far);
    for (std::size_t j = std::max<std::size_t>(lo, 1); j <= hi; ++j) {
      const std::size_t v = std::min({row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      next[j] = std::min(v, far);
      best = std::min(best, next[j]);
    }
    if (best > k) return far;
    row.swap(next);
  }
  return std::min(row[m], far);
}

std::vector<std::string> similar_names(const std::vector<std::string>& names, std::string_view typed,
                                       std::size_t max) {
  std::vector<std::pair<std::size_t, std::string>> scored;
  const std::size_t budget = typed.size() < 6 ? 1 : 2;
  for (const auto& n : names) {
    std::string_view base = n;
    if (base.size() > 5 && base.substr(base.size() - 5) == ".abi0") base.remove_suffix(5);
    const auto dot = base.rfind('.');
    const std::string_view last = dot == std::string_view::npos ? base : base.substr(dot + 1);
    std::size_t score = 100;
    if (last == typed) score = 0;  // newproc1 -> runtime.newproc1
    else if (const std::size_t d = edit_distance_within(typed, base, budget); d <= budget) score = d;
    // (edit_distance_within rejects a length difference over the budget first.)
    if (score == 100)
      if (const std::size_t d = edit_distance_within(typed, last, budget); d <= budget) score = d + 1;
    if (score < 100) scored.emplace_back(score, std::string(base));
  }
  std::sort(scored.begin(), scored.end());
  std::vector<std::string> out;
  for (auto& [score, name] : scored) {
    if (std::find(out.begin(), out.end(), name) != out.end()) continue;
    out.push_back(std::move(name));
    if (out.size() == max) break;
  }
  return out;
}

}  // namespace gostep::model
