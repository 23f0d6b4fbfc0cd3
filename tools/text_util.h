// Small text helpers shared by the command line's printers, and the one place
// that knows how wide text is on a terminal and how to break it into lines
// (DESIGN.md, "Output for people").
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
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

// ---- widths ----
// The width when neither a terminal nor COLUMNS says otherwise (goldens rely on it).
inline constexpr std::size_t kColumns = 100;
// Columns one character takes, decided here and never by the machine's locale (CI
// has none): East Asian wide and fullwidth characters (Chinese, Japanese, Korean,
// most emoji) 2, combining marks and zero-width characters 0, the rest 1.
std::size_t char_columns(char32_t c);
// Columns a line takes on a terminal: UTF-8 decoded by hand (a bad byte counts 1),
// ANSI colour sequences 0, a tab up to the next multiple of 8.
std::size_t columns(std::string_view s);
// Without ANSI colour sequences.
std::string strip_ansi(std::string_view s);
// At most `width` columns, "..." marking a cut; never splits a character.
std::string clip(const std::string& s, std::size_t width);
// Tabs to spaces at 4-column stops, so that widths can be counted.
std::string expand_tabs(const std::string& s);
// Where output goes `fd`: the terminal's own width, else COLUMNS when it is a
// positive number, else kColumns.
std::size_t output_width(int fd);

// ---- wrapping ----
// fields: a table row or a report line; breaks at a run of spaces between
//         fields, then after ", " or "; ", then at a single space, then between
//         Chinese characters, filling each line at least a third.
// prose:  sentences; breaks at any space or between Chinese characters, filling each line.
// Never inside a word, a number or a colour sequence; a token wider than the line
// stands alone on its own line. Chinese punctuation never starts a line.
enum class WrapMode { fields, prose };
// One line (no '\n') as lines of at most `width` columns, without their "\n".
// Continuation lines start with `indent` spaces. width 0: no limit.
std::vector<std::string> wrap_lines(std::string_view line, std::size_t width, WrapMode mode, std::size_t indent);
// As one string, every line ending with "\n". Continuation indent: 4.
std::string wrap(const std::string& line, std::size_t width = kColumns, WrapMode mode = WrapMode::fields);
// Every line of `text` that is wider than `width` wrapped at field boundaries, its
// continuation lines indented 4 more than the line itself (tabs expanded at 8-column
// stops first); lines that fit are left exactly as they are. width 0: unchanged.
std::string fit_width(const std::string& text, std::size_t width);

// Up to three of `names` close to `word` (a few typos, or a part of the name),
// as "a, b or c"; empty when none is.
std::string close_matches(const std::vector<std::string>& names, const std::string& word);

}  // namespace gostep
