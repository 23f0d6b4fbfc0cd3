// Small text helpers shared by the command line's printers.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace gostep {

// "1,234,567"
std::string with_commas(std::uint64_t n);
// Without leading and trailing blanks.
std::string trim(const std::string& s);
// A whole unsigned number (no sign, no trailing junk, no overflow).
bool parse_uint(const std::string& s, std::uint64_t& out, int base = 10);
// Levenshtein distance: how "did you mean" suggestions are ranked.
std::size_t edit_distance(const std::string& a, const std::string& b);

// Output for people (DESIGN.md "Output for people"): at most kColumns columns.
inline constexpr std::size_t kColumns = 100;
// Columns on a terminal: UTF-8 continuation bytes take none ("runtime·settls").
std::size_t columns(const std::string& s);
// At most `width` columns, "..." marking a cut; never splits a UTF-8 sequence.
std::string clip(const std::string& s, std::size_t width);
// One line broken at ", " or spaces into lines of at most kColumns, the rest indented; ends with "\n".
std::string wrap(const std::string& line);
// Tabs to spaces at 4-column stops, so that widths can be counted.
std::string expand_tabs(const std::string& s);
// Up to three of `names` close to `word` (a few typos, or a part of the name),
// as "a, b or c"; empty when none is.
std::string close_matches(const std::vector<std::string>& names, const std::string& word);

}  // namespace gostep
