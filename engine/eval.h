// Expressions (DESIGN.md "Expressions") evaluated to typed Values:
//   registers $rax ... $r15, $pc, $sp, $fp, $fs_base; value history $1, $, $$, $$2;
//   runtime paths g0.stack.lo, m0.tls[0], allp[0].runnext, sched.runqsize, g(1).sched.sp,
//   curg.goid, any Go global (runtime.ncpu, 'internal/cpu.X86.HasAVX');
//   integer literals; unary - ! ^ * &; * / % << >> & &^; + - | ^; comparisons; && ||;
//   parentheses; *ADDR (8 bytes, or the pointee of a typed pointer) and *ADDR@LEN (LEN bytes).
// Precedence is Go's. Untyped constants are int64 (so -1 is -1); an operation with
// a typed operand takes its type (uint32 arithmetic wraps at 32 bits).
#pragma once

#include <functional>
#include <optional>
#include <string_view>
#include <vector>

#include "engine/eval_lexer.h"
#include "engine/locals.h"
#include "engine/value.h"
#include "engine/value_reader.h"
#include "session/session.h"

namespace gostep::engine {

struct EvalScope {
  int tid = 0;                                   // registers, curg and TLS of this thread
  const std::vector<Value>* history = nullptr;   // print's $1, $2...
  // The selected frame, computed when a name needs it: its locals and arguments are
  // found before any other name.
  std::function<std::optional<FrameRef>()> frame;
};

class Evaluator {
 public:
  static constexpr std::size_t kMaxLength = 4096;  // characters
  static constexpr int kMaxNesting = 256;          // (), [], g(), unary operators

  Evaluator(Session& session, EvalScope scope);
  Evaluated<Value> evaluate(std::string_view text);
  // Every guest range the last evaluate() read, also when it failed (a watchpoint
  // on allp[0].runnext set before schedinit waits for a write to allp's header).
  const std::vector<Range>& reads() const { return reads_; }
  // The frame whose locals the last evaluate() named, if it named any.
  const std::optional<FrameRef>& used_frame() const { return used_frame_; }

 private:
  // One level of nesting, left when it goes out of scope.
  struct Nested {
    explicit Nested(int& d) : depth(d) { ++depth; }
    ~Nested() { --depth; }
    Nested(const Nested&) = delete;
    Nested& operator=(const Nested&) = delete;
    int& depth;
  };
  static EvalError too_deep();
  const Token& peek() const { return toks_[pos_]; }
  bool accept(std::string_view op);
  Evaluated<Value> parse_binary(int level);
  Evaluated<Value> parse_unary();
  Evaluated<Value> parse_postfix();
  Evaluated<Value> parse_primary();
  Evaluated<Value> parse_name();
  Evaluated<Value> dollar(const Token& t);
  Evaluated<Value> deref(const Value& v);
  Evaluated<Value> address_of(const Value& v);
  Evaluated<Value> field(const Value& v, const std::string& name, const std::string& shown);
  Evaluated<Value> index(const Value& v, const Value& i, const std::string& shown);
  Evaluated<Value> apply(const std::string& op, const Value& a, const Value& b);
  Evaluated<Value> read(GuestAddr addr, const std::string& type);
  Evaluated<Value> root(const std::string& name);  // g0, m0, curg, a Go global...
  std::optional<Evaluated<Value>> local(const std::string& name);  // the selected frame's
  Evaluated<Value> builtin(const std::string& name);               // len(x), cap(x)
  bool peek_word(GuestAddr addr, std::uint64_t& out, std::uint64_t size = 8);

  Session& s_;
  EvalScope scope_;
  std::optional<ValueReader> reader_;  // none without DWARF
  std::vector<Token> toks_;
  std::size_t pos_ = 0;
  int depth_ = 0;
  std::vector<Range> reads_;
  std::optional<std::optional<FrameRef>> frame_;  // scope_.frame's answer, once asked
  std::optional<FrameRef> used_frame_;
};

}  // namespace gostep::engine
