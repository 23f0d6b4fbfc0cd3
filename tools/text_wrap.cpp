// How wide text is on a terminal and where it may break (text_util.h). The
// machine's locale decides nothing here: wcwidth() would answer 1 or -1 for
// every Chinese character in CI, which has no locale at all.
#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <string>

#include "text_util.h"

namespace gostep {
namespace {

struct Range {
  char32_t lo, hi;
};

// East Asian Width W and F (Unicode's EastAsianWidth.txt), the blocks a lecture
// can meet: CJK ideographs and punctuation, kana, hangul, fullwidth forms, emoji.
// Ambiguous characters (box drawing, "·", arrows) stay 1, as in a non-CJK terminal;
// gostep's own output avoids them.
constexpr Range kWide[] = {
    {0x1100, 0x115F},   {0x231A, 0x231B},   {0x2329, 0x232A},   {0x23E9, 0x23EC},   {0x23F0, 0x23F0},
    {0x23F3, 0x23F3},   {0x25FD, 0x25FE},   {0x2614, 0x2615},   {0x2648, 0x2653},   {0x267F, 0x267F},
    {0x2693, 0x2693},   {0x26A1, 0x26A1},   {0x26AA, 0x26AB},   {0x26BD, 0x26BE},   {0x26C4, 0x26C5},
    {0x26CE, 0x26CE},   {0x26D4, 0x26D4},   {0x26EA, 0x26EA},   {0x26F2, 0x26F3},   {0x26F5, 0x26F5},
    {0x26FA, 0x26FA},   {0x26FD, 0x26FD},   {0x2705, 0x2705},   {0x270A, 0x270B},   {0x2728, 0x2728},
    {0x274C, 0x274C},   {0x274E, 0x274E},   {0x2753, 0x2755},   {0x2757, 0x2757},   {0x2795, 0x2797},
    {0x27B0, 0x27B0},   {0x27BF, 0x27BF},   {0x2B1B, 0x2B1C},   {0x2B50, 0x2B50},   {0x2B55, 0x2B55},
    {0x2E80, 0x303E},   {0x3041, 0x33FF},   {0x3400, 0x4DBF},   {0x4E00, 0x9FFF},   {0xA000, 0xA4CF},
    {0xA960, 0xA97F},   {0xAC00, 0xD7A3},   {0xF900, 0xFAFF},   {0xFE10, 0xFE19},   {0xFE30, 0xFE6F},
    {0xFF00, 0xFF60},   {0xFFE0, 0xFFE6},   {0x16FE0, 0x16FE4}, {0x17000, 0x18CFF}, {0x1B000, 0x1B2FF},
    {0x1F004, 0x1F004}, {0x1F0CF, 0x1F0CF}, {0x1F18E, 0x1F18E}, {0x1F191, 0x1F19A}, {0x1F200, 0x1F251},
    {0x1F300, 0x1F64F}, {0x1F680, 0x1F6FF}, {0x1F7E0, 0x1F7EB}, {0x1F90C, 0x1F9FF}, {0x1FA70, 0x1FAFF},
    {0x20000, 0x2FFFD}, {0x30000, 0x3FFFD},
};

// Combining marks and zero-width characters.
constexpr Range kZero[] = {
    {0x0300, 0x036F}, {0x0483, 0x0489}, {0x0591, 0x05BD}, {0x1AB0, 0x1AFF}, {0x1DC0, 0x1DFF},
    {0x200B, 0x200F}, {0x2028, 0x202E}, {0x2060, 0x2064}, {0x20D0, 0x20FF}, {0xFE00, 0xFE0F},
    {0xFE20, 0xFE2F}, {0xFEFF, 0xFEFF}, {0xE0100, 0xE01EF},
};

template <std::size_t N>
bool in(const Range (&table)[N], char32_t c) {
  const Range* r = std::upper_bound(table, table + N, c, [](char32_t v, const Range& x) { return v < x.lo; });
  return r != table && c <= (r - 1)->hi;
}

// One UTF-8 sequence at s[i]: its length (1 for a bad byte, which then counts as one column).
std::size_t decode(std::string_view s, std::size_t i, char32_t& c) {
  const auto b = static_cast<unsigned char>(s[i]);
  std::size_t len = b < 0x80 ? 1 : (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : (b >> 3) == 30 ? 4 : 0;
  if (len == 0 || i + len > s.size()) {
    c = b;
    return 1;
  }
  c = len == 1 ? b : len == 2 ? (b & 0x1F) : len == 3 ? (b & 0x0F) : (b & 0x07);
  for (std::size_t k = 1; k < len; ++k) {
    const auto cb = static_cast<unsigned char>(s[i + k]);
    if ((cb & 0xC0) != 0x80) {
      c = b;
      return 1;
    }
    c = (c << 6) | (cb & 0x3F);
  }
  return len;
}

// An ANSI escape sequence at s[i] (ESC [ ... final byte, or ESC and one byte): its length, or 0.
std::size_t ansi_length(std::string_view s, std::size_t i) {
  if (s[i] != '\x1b') return 0;
  if (i + 1 >= s.size()) return 1;
  if (s[i + 1] != '[') return 2;
  for (std::size_t k = i + 2; k < s.size(); ++k)
    if (s[k] >= 0x40 && s[k] <= 0x7E) return k - i + 1;
  return s.size() - i;
}

// One character or one colour sequence of a line.
struct Unit {
  std::size_t begin = 0, end = 0;
  std::size_t cols = 0;
  char32_t cp = 0;
  bool ansi = false;
};

std::vector<Unit> units_of(std::string_view s) {
  std::vector<Unit> out;
  for (std::size_t i = 0; i < s.size();) {
    if (const std::size_t a = ansi_length(s, i)) {
      out.push_back({i, i + a, 0, 0, true});
      i += a;
      continue;
    }
    char32_t c = 0;
    const std::size_t n = decode(s, i, c);
    out.push_back({i, i + n, char_columns(c), c, false});
    i += n;
  }
  return out;
}

bool is_wide(char32_t c) { return char_columns(c) == 2; }
// Chinese punctuation that never starts a line (closing marks) or never ends one (opening marks).
bool closing(char32_t c) {
  return c == U'，' || c == U'。' || c == U'、' || c == U'；' || c == U'：' || c == U'！' || c == U'？' ||
         c == U'）' || c == U'」' || c == U'』' || c == U'》' || c == U'”' || c == U'’' || c == U'…' ||
         c == ')' || c == ',' || c == '.' || c == ';' || c == ':' || c == '!' || c == '?';
}
bool opening(char32_t c) {
  return c == U'（' || c == U'「' || c == U'『' || c == U'《' || c == U'“' || c == U'‘' || c == '(' || c == '[';
}
bool natural_pause(char32_t c) {
  return c == U'，' || c == U'。' || c == U'、' || c == U'；' || c == U'：' || c == U'！' || c == U'？';
}

struct Break {
  std::size_t end = 0;   // the line ends before this unit
  std::size_t next = 0;  // the next line starts at this unit
  std::size_t col = 0;   // columns of the line if it ends here
  int rank = 0;          // 4 between columns, 3 after a comma, 2 space, 1 between Chinese characters
};

}  // namespace

std::size_t char_columns(char32_t c) {
  if (c == 0) return 0;
  if (c < 0x20 || (c >= 0x7F && c < 0xA0)) return 0;  // control characters (a tab is counted by columns())
  if (c < 0x300) return 1;
  if (in(kZero, c)) return 0;
  return in(kWide, c) ? 2 : 1;
}

std::size_t columns(std::string_view s) {
  std::size_t n = 0;
  for (const Unit& u : units_of(s)) {
    if (u.ansi) continue;
    n = u.cp == '\t' ? (n / 8 + 1) * 8 : n + u.cols;
  }
  return n;
}

std::string strip_ansi(std::string_view s) {
  std::string out;
  for (const Unit& u : units_of(s))
    if (!u.ansi) out.append(s.substr(u.begin, u.end - u.begin));
  return out;
}

std::string clip(const std::string& s, std::size_t width) {
  if (columns(s) <= width) return s;
  std::string out;
  std::size_t cols = 0;
  for (const Unit& u : units_of(s)) {
    if (!u.ansi && cols + u.cols + 3 > width) break;
    cols += u.cols;
    out.append(s, u.begin, u.end - u.begin);
  }
  return out + "...";
}

std::size_t output_width(int fd) {
  winsize ws{};
  if (isatty(fd) && ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
  if (const char* c = std::getenv("COLUMNS")) {
    std::uint64_t n = 0;
    if (parse_uint(c, n) && n > 0 && n < 100000) return static_cast<std::size_t>(n);
  }
  return kColumns;
}

std::vector<std::string> wrap_lines(std::string_view line, std::size_t width, WrapMode mode, std::size_t indent) {
  const std::vector<Unit> u = units_of(line);
  std::vector<std::string> out;
  if (width == 0 || columns(line) <= width) {
    out.emplace_back(line);
    return out;
  }
  indent = std::min(indent, width / 2);
  std::size_t start = 0;  // the first unit of the current line
  std::string prefix;     // "" on the first line, the indent after
  for (;;) {
    // Leading spaces of the first line are its own indentation, not a break.
    std::size_t k = start, col = prefix.size();
    while (k < u.size() && (u[k].ansi || u[k].cp == ' ')) col += u[k++].cols;
    const std::size_t content_col = col;
    std::vector<Break> breaks;
    const Unit* prev = nullptr;  // the last visible character before this one (none after a space)
    for (; k < u.size(); ++k) {
      const Unit& x = u[k];
      if (x.ansi) continue;
      if (x.cp == ' ') {
        std::size_t j = k, spaces = 0;
        for (; j < u.size() && (u[j].ansi || u[j].cp == ' '); ++j) spaces += !u[j].ansi;
        // Two spaces separate columns; ", " and "; " separate items, often inside one
        // column ("[thread 1000, insn 16]"): the columns are the better place to break.
        const int rank = spaces >= 2 ? 4 : prev && (prev->cp == ',' || prev->cp == ';') ? 3 : 2;
        if (j < u.size() && col > content_col) breaks.push_back({k, j, col, rank});
        col += spaces;
        k = j - 1;
        prev = nullptr;
        continue;
      }
      if (prev && col > content_col && (is_wide(prev->cp) || is_wide(x.cp)) && !closing(x.cp) && !opening(prev->cp))
        breaks.push_back({k, k, col, natural_pause(prev->cp) ? 2 : 1});
      col += x.cols;
      prev = &x;
    }
    if (col <= width) {
      out.push_back(prefix + std::string(line.substr(u[start].begin)));
      return out;
    }
    const Break* pick = nullptr;
    if (mode == WrapMode::fields) {
      // The best kind of boundary that still fills a third of the line.
      const std::size_t min_fill = content_col + (width - std::min(width, content_col)) / 3;
      for (int rank = 4; rank >= 1 && !pick; --rank)
        for (const Break& b : breaks)
          if (b.rank == rank && b.col <= width && b.col >= min_fill) pick = &b;
    }
    if (!pick)
      for (const Break& b : breaks)
        if (b.col <= width) pick = &b;  // the rightmost that fits
    if (!pick) {
      // The first token is wider than the line: it stands alone.
      for (const Break& b : breaks)
        if (b.col > width) {
          pick = &b;
          break;
        }
    }
    if (!pick) {
      out.push_back(prefix + std::string(line.substr(u[start].begin)));
      return out;
    }
    out.push_back(prefix + std::string(line.substr(u[start].begin, u[pick->end].begin - u[start].begin)));
    start = pick->next;
    prefix.assign(indent, ' ');
    if (start >= u.size()) return out;
  }
}

std::string wrap(const std::string& line, std::size_t width, WrapMode mode) {
  std::string out;
  for (const auto& l : wrap_lines(line, width, mode, 4)) out += l + "\n";
  return out;
}

std::string fit_width(const std::string& text, std::size_t width) {
  if (width == 0) return text;
  std::string out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t nl = text.find('\n', pos);
    const bool has_nl = nl != std::string::npos;
    if (!has_nl) nl = text.size();
    const std::string_view line(text.data() + pos, nl - pos);
    if (columns(line) <= width) {
      out.append(line);
    } else {
      // Tabs as the terminal shows them (8-column stops), so that the pieces measure true.
      std::string flat;
      std::size_t col = 0;
      for (const Unit& x : units_of(line)) {
        if (!x.ansi && x.cp == '\t') {
          do flat += ' ';
          while (++col % 8);
          continue;
        }
        flat.append(line.substr(x.begin, x.end - x.begin));
        col += x.cols;
      }
      const std::size_t lead = flat.find_first_not_of(' ');
      const auto pieces = wrap_lines(flat, width, WrapMode::fields, (lead == std::string::npos ? 0 : lead) + 4);
      for (std::size_t i = 0; i < pieces.size(); ++i) out += (i ? "\n" : "") + pieces[i];
    }
    if (has_nl) out += '\n';
    pos = nl + 1;
  }
  return out;
}

}  // namespace gostep
