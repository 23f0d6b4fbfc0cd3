// Tokens of the expression language (DESIGN.md "Expressions"): numbers,
// names (and 'quoted/names' for Go's package paths), $registers and $history,
// and Go's operators.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/value.h"

namespace gostep::engine {

struct Token {
  enum class Kind { number, name, dollar, op, end } kind = Kind::end;
  std::string text;      // name: the identifier; dollar: what follows '$' ("rax", "1", "", "$", "$2"); op: the operator
  std::uint64_t number = 0;
  std::size_t at = 0;    // offset in the expression (for messages)
};

// The tokens of `text`, ending with an `end` token; a syntax error names what it met.
Evaluated<std::vector<Token>> tokenize(std::string_view text);

}  // namespace gostep::engine
