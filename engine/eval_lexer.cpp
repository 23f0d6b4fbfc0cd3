#include "engine/eval_lexer.h"

#include "runtime_model/name_match.h"

#include <fmt/format.h>

#include <cctype>
#include <charconv>

namespace gostep::engine {
namespace {

bool name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

EvalError syntax(std::string message) { return EvalError{EvalErrorKind::syntax, std::move(message), ""}; }

}  // namespace

Evaluated<std::vector<Token>> tokenize(std::string_view s) {
  std::vector<Token> out;
  std::size_t i = 0;
  while (i < s.size()) {
    const char c = s[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
      continue;
    }
    Token t;
    t.at = i;
    if (std::isdigit(static_cast<unsigned char>(c))) {
      std::size_t j = i;
      while (j < s.size() && name_char(s[j])) ++j;
      const std::string_view lit = s.substr(i, j - i);
      const bool hex = lit.size() > 2 && lit[0] == '0' && (lit[1] == 'x' || lit[1] == 'X');
      const char* b = lit.data() + (hex ? 2 : 0);
      const auto [p, ec] = std::from_chars(b, lit.data() + lit.size(), t.number, hex ? 16 : 10);
      if (ec == std::errc::result_out_of_range)
        return syntax(fmt::format("number {} is too large (at most 64 bits)", model::clip_typed(lit)));
      if (ec != std::errc() || p != lit.data() + lit.size()) return syntax(fmt::format("bad number '{}'", model::clip_typed(lit)));
      t.kind = Token::Kind::number;
      t.text = std::string(lit);
      out.push_back(std::move(t));
      i = j;
      continue;
    }
    if (c == '$') {
      std::size_t j = i + 1;
      if (j < s.size() && s[j] == '$') ++j;  // $$ and $$N (history)
      while (j < s.size() && name_char(s[j])) ++j;
      t.kind = Token::Kind::dollar;
      t.text = std::string(s.substr(i + 1, j - i - 1));
      out.push_back(std::move(t));
      i = j;
      continue;
    }
    if (std::isalpha(static_cast<unsigned char>(c)) || c == '_' || static_cast<unsigned char>(c) >= 0x80) {
      std::size_t j = i;
      while (j < s.size() && (name_char(s[j]) || static_cast<unsigned char>(s[j]) >= 0x80)) ++j;
      t.kind = Token::Kind::name;
      t.text = std::string(s.substr(i, j - i));
      out.push_back(std::move(t));
      i = j;
      continue;
    }
    if (c == '\'') {  // gdb's quoting of names with odd characters: 'internal/cpu.X86'
      const std::size_t close = s.find('\'', i + 1);
      if (close == std::string_view::npos) return syntax("missing closing ' in a quoted name");
      if (close == i + 1) return syntax("empty quoted name ''");
      t.kind = Token::Kind::name;
      t.text = std::string(s.substr(i + 1, close - i - 1));
      out.push_back(std::move(t));
      i = close + 1;
      continue;
    }
    static const char* const ops[] = {"<<", ">>", "==", "!=", "<=", ">=", "&&", "||", "&^", "(", ")", "[", "]",
                                      ".",  ",",  "@",  "*",  "/",  "%",  "+",  "-",  "&",  "|", "^", "!", "<", ">"};
    bool matched = false;
    for (const char* o : ops) {
      const std::string_view op(o);
      if (s.substr(i, op.size()) != op) continue;
      t.kind = Token::Kind::op;
      t.text = std::string(op);
      out.push_back(std::move(t));
      i += op.size();
      matched = true;
      break;
    }
    if (!matched) return syntax(fmt::format("unexpected '{}' in the expression", model::clip_typed(std::string(1, c))));
  }
  Token end;
  end.at = s.size();
  out.push_back(end);
  return out;
}

}  // namespace gostep::engine
