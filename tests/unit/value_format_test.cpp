// Strings as people read them (tools/debug/value_format.h): UTF-8 text stays
// text, Chinese included; what is not a printable character's valid UTF-8 is
// escaped byte by byte (x/s, print of a Go string, a []byte).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tools/debug/value_format.h"

namespace gostep {
namespace {

std::string q(const std::string& s, bool more = false) {
  return quote_bytes(std::vector<std::uint8_t>(s.begin(), s.end()), more);
}

TEST(QuoteBytes, ChineseAndOtherTextStayText) {
  EXPECT_EQ(q("你好, gostep"), "\"你好, gostep\"");
  EXPECT_EQ(q("é ü ß"), "\"é ü ß\"");
  EXPECT_EQ(q("\xF0\x9F\x98\x80"), "\"\xF0\x9F\x98\x80\"");  // U+1F600, four bytes
  EXPECT_EQ(q("a\"b\\c\n\t"), "\"a\\\"b\\\\c\\n\\t\"");
  EXPECT_EQ(q("三体", true), "\"三体\"...");
}

TEST(QuoteBytes, WhatIsNotValidPrintableUtf8IsEscaped) {
  EXPECT_EQ(q(std::string("\x00\x7f", 2)), "\"\\x00\\x7f\"");
  EXPECT_EQ(q("\xE4\xBD"), "\"\\xe4\\xbd\"");              // a cut sequence (你 without its last byte)
  EXPECT_EQ(q("\xC0\xAF"), "\"\\xc0\\xaf\"");              // overlong '/'
  EXPECT_EQ(q("\xE0\x80\xAF"), "\"\\xe0\\x80\\xaf\"");      // overlong, three bytes
  EXPECT_EQ(q("\xED\xA0\x80"), "\"\\xed\\xa0\\x80\"");      // a surrogate (U+D800)
  EXPECT_EQ(q("\xF5\x80\x80\x80"), "\"\\xf5\\x80\\x80\\x80\"");  // past U+10FFFF
  EXPECT_EQ(q("\xC2\x85"), "\"\\xc2\\x85\"");              // U+0085, a C1 control
  EXPECT_EQ(q("\xC2\xA0x"), "\"\xC2\xA0x\"");              // U+00A0 is text
}

}  // namespace
}  // namespace gostep
