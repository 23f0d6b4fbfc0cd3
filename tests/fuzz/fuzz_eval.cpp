// The expression evaluator (engine/eval, eval_lexer) on a Target over hello,
// stopped where the runtime's structures exist: any text gives a value or an
// EvalError with one line, never a crash.
#include <cstdint>
#include <cstdlib>

#include "fuzz_util.h"

namespace {

gostep::engine::Target& target() {
  static const auto t = [] {
    auto made = gostep::fuzz::make_target(0);
    gostep::engine::RunCommand c;
    c.kind = gostep::engine::RunKind::until;
    c.loc = "milestone:newproc_return";
    c.effects = false;
    (void)made->resume(c);
    // A fixed value history, so that $1, $ and $$2 read something and every input
    // is evaluated in the same state (a crash must reproduce from its input alone).
    for (const char* e : {"g0", "$rsp", "allp[0]", "m0.tls"})
      if (auto v = made->evaluate(e)) made->history().push_back(*v);
    return made;
  }();
  return *t;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto& t = target();
  const std::string expr = gostep::fuzz::text(data, size);
  const auto v = t.evaluate(expr);
  if (!v && (v.error().message.empty() || v.error().message.find('\n') != std::string::npos)) std::abort();
  return 0;
}
