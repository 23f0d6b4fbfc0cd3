// Widths and wrapping (tools/text_util.h): CJK two columns wide without a locale,
// colour sequences zero wide, breaks at field boundaries and never inside a word.
#include <gtest/gtest.h>

#include <unistd.h>

#include <clocale>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "tools/text_util.h"

namespace gostep {
namespace {

// Words of a line, split at spaces (what wrapping must keep, in order).
std::vector<std::string> words(const std::string& s) {
  std::vector<std::string> out;
  std::string w;
  for (char c : s) {
    if (c == ' ' || c == '\n') {
      if (!w.empty()) out.push_back(w);
      w.clear();
    } else {
      w += c;
    }
  }
  if (!w.empty()) out.push_back(w);
  return out;
}

TEST(TextWidth, CountsColumnsAsATerminalShowsThem) {
  EXPECT_EQ(columns("runtime.settls"), 14u);
  EXPECT_EQ(columns("runtime\u00b7settls"), 14u);   // "·" is one column
  EXPECT_EQ(columns("\u4e2d\u6587"), 4u);            // 中文
  EXPECT_EQ(columns("g0 \u7684\u6808"), 7u);          // g0 的栈
  EXPECT_EQ(columns("\uff0c"), 2u);                  // fullwidth comma
  EXPECT_EQ(columns("\x1b[1;32m0x528760\x1b[0m"), 8u);
  EXPECT_EQ(columns("ab\tc"), 9u);                   // tab to column 8
  EXPECT_EQ(columns("e\u0301"), 1u);                 // combining accent
  EXPECT_EQ(columns(std::string("a\xff" "b")), 3u);  // a bad byte counts one
  EXPECT_EQ(columns("\xF0\x9F\x9A\x80"), 2u);        // an emoji (U+1F680)
}

TEST(TextWidth, DoesNotDependOnTheLocale) {
  const char* before = std::setlocale(LC_ALL, nullptr);
  const std::string saved = before ? before : "C";
  std::setlocale(LC_ALL, "C");
  EXPECT_EQ(columns("\u8fd0\u884c\u65f6"), 6u);  // 运行时
  EXPECT_EQ(char_columns(U'\u4e2d'), 2u);
  std::setlocale(LC_ALL, saved.c_str());
}

TEST(TextWidth, ClipNeverSplitsACharacter) {
  EXPECT_EQ(clip("hello", 10), "hello");
  EXPECT_EQ(clip("0123456789abc", 10), "0123456...");
  const std::string cut = clip("\u4e2d\u6587\u4e2d\u6587\u4e2d\u6587", 8);  // 12 columns into 8
  EXPECT_LE(columns(cut), 8u);
  EXPECT_EQ(cut, "\u4e2d\u6587...");
}

TEST(TextWrap, StopLineBreaksAtAFieldBoundary) {
  const std::string line = "0x45ab32 in runtime.rt0_go.abi0+0x32 at asm_amd64.s:175   [thread 1000, insn 16384]";
  const auto l = wrap_lines(line, 80, WrapMode::fields, 4);
  ASSERT_EQ(l.size(), 2u);
  EXPECT_EQ(l[0], "0x45ab32 in runtime.rt0_go.abi0+0x32 at asm_amd64.s:175");
  EXPECT_EQ(l[1], "    [thread 1000, insn 16384]");
  EXPECT_EQ(wrap_lines(line, 100, WrapMode::fields, 4).size(), 1u);
}

TEST(TextWrap, PrefersTwoSpacesAndCommasToSingleSpaces) {
  const std::string row = "         stack [0x7ffffffeee68, 0x7fffffffee00)  stackguard0 0x7ffffffeee68  stackguard1 0x7ffffffeee68";
  const auto l = wrap_lines(row, 80, WrapMode::fields, 13);
  ASSERT_EQ(l.size(), 2u);
  EXPECT_EQ(l[0], "         stack [0x7ffffffeee68, 0x7fffffffee00)  stackguard0 0x7ffffffeee68");
  EXPECT_EQ(l[1], "             stackguard1 0x7ffffffeee68");
}

TEST(TextWrap, ATokenWiderThanTheLineStandsAlone) {
  const std::string sym(90, 'x');
  const auto l = wrap_lines("at " + sym + " here", 40, WrapMode::fields, 2);
  ASSERT_EQ(l.size(), 3u);
  EXPECT_EQ(l[0], "at");
  EXPECT_EQ(l[1], "  " + sym);
  EXPECT_EQ(l[2], "  here");
  // Alone from the start, too.
  const auto m = wrap_lines(sym, 40, WrapMode::fields, 2);
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0], sym);
}

TEST(TextWrap, ChineseBreaksBetweenCharactersButNotBeforePunctuation) {
  // 运行时先在操作系统给的栈上划出一块，作为 g0 的栈。然后它调用 settls，让 FS 指向 m0.tls。
  const std::string zh =
      "\u8fd0\u884c\u65f6\u5148\u5728\u64cd\u4f5c\u7cfb\u7edf\u7ed9\u7684\u6808\u4e0a\u5212\u51fa\u4e00\u5757"
      "\uff0c\u4f5c\u4e3a g0 \u7684\u6808\u3002\u7136\u540e\u5b83\u8c03\u7528 settls\uff0c\u8ba9 FS \u6307\u5411 "
      "m0.tls\u3002";
  for (std::size_t w = 10; w <= 60; ++w) {
    const auto l = wrap_lines(zh, w, WrapMode::prose, 0);
    std::string joined;
    for (const auto& x : l) {
      EXPECT_LE(columns(x), w) << x;
      EXPECT_NE(x.rfind("\uff0c", 0), 0u) << "a line starts with a comma at width " << w;
      EXPECT_NE(x.rfind("\u3002", 0), 0u) << "a line starts with a full stop at width " << w;
      joined += x;
    }
    // Nothing lost but the spaces where lines were broken; "m0.tls" and "settls" never split.
    EXPECT_NE(joined.find("m0.tls"), std::string::npos);
    EXPECT_NE(joined.find("settls"), std::string::npos);
    std::string a, b;
    for (const auto& x : words(zh)) a += x;
    for (const auto& x : l) for (const auto& y : words(x)) b += y;
    EXPECT_EQ(a, b) << "at width " << w;
  }
}

TEST(TextWrap, ColourSequencesTakeNoRoomAndAreNeverCut) {
  const std::string g = "\x1b[1;32m0xc0000061a0\x1b[0m";
  std::string line;
  for (int i = 0; i < 10; ++i) line += (i ? "  " : "") + g;
  for (const auto& l : wrap_lines(line, 30, WrapMode::fields, 2)) {
    EXPECT_LE(columns(l), 30u);
    EXPECT_EQ(strip_ansi(l).find('\x1b'), std::string::npos);
    EXPECT_EQ(l.find("\x1b[1;32m") != std::string::npos, l.find("\x1b[0m") != std::string::npos) << l;
  }
}

TEST(TextWrap, RandomLinesKeepEveryWordAndFit) {
  std::mt19937 rng(7);
  const std::vector<std::string> pool = {"g0", "m0.tls[0]", "0x7ffffffeee68", ",", "runtime.rt0_go.abi0+0x32",
                                         "\u8fd0\u884c\u65f6", "_Grunnable", "[thread", "1000]", "\u4e2d",
                                         std::string(50, 'y')};
  for (int round = 0; round < 500; ++round) {
    std::string line;
    const int n = 1 + static_cast<int>(rng() % 30);
    for (int i = 0; i < n; ++i) line += (i ? std::string(1 + rng() % 3, ' ') : "") + pool[rng() % pool.size()];
    const std::size_t width = 20 + rng() % 100;
    const auto mode = rng() % 2 ? WrapMode::fields : WrapMode::prose;
    std::string joined;
    for (const auto& l : wrap_lines(line, width, mode, 4)) {
      // Longer than the line only when it is one token alone.
      if (columns(l) > width) {
        EXPECT_EQ(words(l).size(), 1u) << "width " << width << ": " << l;
      }
      joined += l + "\n";
    }
    // Wrapping between Chinese characters joins them back without a space.
    std::string a, b;
    for (const auto& w : words(line)) a += w;
    for (const auto& w : words(joined)) b += w;
    EXPECT_EQ(a, b) << line;
  }
}

TEST(TextWrap, FitWidthLeavesLinesThatFitAlone) {
  const std::string text = "175\tMOVQ\tSP, (g_stack+stack_hi)(DI)\nshort\n";
  EXPECT_EQ(fit_width(text, 80), text);
  const std::string wide = "tls      fs_base 0x528b50   %fs:-8 = 0x528760 (runtime.g0)   r14 = 0x0   (R14 is not the g)\n";
  const std::string f = fit_width(wide, 80);
  EXPECT_NE(f, wide);
  for (const auto& l : words(f)) EXPECT_NE(l, "");
  std::size_t lines = 0;
  for (std::size_t p = 0; (p = f.find('\n', p)) != std::string::npos; ++p) ++lines;
  EXPECT_EQ(lines, 2u);
  EXPECT_EQ(fit_width(wide, 0), wide);
}

TEST(TextWidth, OutputWidthFollowsColumnsWhenNotATerminal) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  const char* old = std::getenv("COLUMNS");
  const std::string saved = old ? old : "";
  setenv("COLUMNS", "80", 1);
  EXPECT_EQ(output_width(fds[1]), 80u);
  setenv("COLUMNS", "junk", 1);
  EXPECT_EQ(output_width(fds[1]), kColumns);
  unsetenv("COLUMNS");
  EXPECT_EQ(output_width(fds[1]), kColumns);
  if (old) setenv("COLUMNS", saved.c_str(), 1);
  close(fds[0]);
  close(fds[1]);
}

}  // namespace
}  // namespace gostep
