// Small text helpers shared by the command line's printers.
#pragma once

#include <cstdint>
#include <string>

namespace gostep {

// "1,234,567"
std::string with_commas(std::uint64_t n);
// Without leading and trailing blanks.
std::string trim(const std::string& s);
// A whole unsigned number (no sign, no trailing junk, no overflow).
bool parse_uint(const std::string& s, std::uint64_t& out, int base = 10);
// Levenshtein distance: how "did you mean" suggestions are ranked.
std::size_t edit_distance(const std::string& a, const std::string& b);

}  // namespace gostep
