// Expressions evaluated by the engine to typed values (engine/eval.h): Go's
// precedence and typed arithmetic, runtime paths through DWARF, pointers and
// the runtime's status constants, and one-line errors with kinds (never a crash).
#include <gtest/gtest.h>

#include <string>

#include "engine_test_util.h"

namespace gostep::engine {
namespace {

using testing::command;
using testing::go_program;
using testing::run;
using testing::target;

TEST(EngineEval, LiteralsAreSignedAndArithmeticIsGos) {
  auto t = target(go_program("hello"));
  auto v = t->evaluate("-1");
  ASSERT_TRUE(v) << v.error().message;
  EXPECT_EQ(v->as_int(), -1);
  EXPECT_TRUE(v->is_signed);
  v = t->evaluate("64*1024-104");
  ASSERT_TRUE(v);
  EXPECT_EQ(v->as_int(), 65432);
  EXPECT_EQ(t->evaluate("1 + 2*3")->as_int(), 7);
  EXPECT_EQ(t->evaluate("(1 + 2)*3")->as_int(), 9);
  EXPECT_EQ(t->evaluate("1 << 4 | 1")->as_int(), 17);   // Go: << binds tighter than |
  EXPECT_EQ(t->evaluate("7 &^ 2")->as_int(), 5);
  EXPECT_EQ(t->evaluate("-7 / 2")->as_int(), -3);
  EXPECT_EQ(t->evaluate("-7 % 2")->as_int(), -1);
  EXPECT_EQ(t->evaluate("^0")->as_int(), -1);
  EXPECT_TRUE(t->evaluate("3 > 2 && 1 == 1")->truthy());
  EXPECT_FALSE(t->evaluate("!1")->truthy());
  EXPECT_EQ(t->evaluate("0x10 >> 2")->as_int(), 4);
  const auto z = t->evaluate("1/0");
  ASSERT_FALSE(z);
  EXPECT_EQ(z.error().kind, EvalErrorKind::division_by_zero);
}

TEST(EngineEval, TypedOperandsKeepTheirType) {
  auto t = target(go_program("hello"));
  run(*t, command(RunKind::until, 1, "milestone:newproc_return"));
  // g.atomicstatus is uint32: arithmetic wraps at 32 bits.
  auto v = t->evaluate("allp[0].status - 2");
  ASSERT_TRUE(v) << v.error().message;
  EXPECT_EQ(v->type, "uint32");
  EXPECT_EQ(v->bits, 0xffffffffu);  // _Prunning (1) - 2
  EXPECT_EQ(t->evaluate("sched.goidgen + 1")->bits, 17u);
}

TEST(EngineEval, PathsAndPointersAreTypedFromDwarf) {
  auto t = target(go_program("hello"));
  run(*t, command(RunKind::until, 1, "milestone:newproc_return"));
  auto rn = t->evaluate("allp[0].runnext");
  ASSERT_TRUE(rn) << rn.error().message;
  EXPECT_EQ(rn->kind, ValueKind::pointer);
  EXPECT_EQ(rn->pointee, "runtime.g");
  // *allp[0].runnext is the whole g, its status named by the runtime's constant.
  auto g = t->evaluate("*allp[0].runnext");
  ASSERT_TRUE(g) << g.error().message;
  EXPECT_EQ(g->kind, ValueKind::structure);
  EXPECT_EQ(g->type, "runtime.g");
  bool goid = false, status = false;
  for (const auto& c : g->children) {
    if (c.name == "goid") goid = c.as_int() == 1;
    if (c.name == "atomicstatus") status = c.constant == "_Grunnable";
  }
  EXPECT_TRUE(goid);
  EXPECT_TRUE(status);
  EXPECT_EQ(t->evaluate("allp[0].runnext.goid")->as_int(), 1);  // Go's p.f through the pointer
  EXPECT_EQ(t->evaluate("(*allp[0].runnext).goid")->as_int(), 1);
  EXPECT_EQ(t->evaluate("g(1).atomicstatus")->constant, "_Grunnable");
  // &m0.tls[0] is where it lives; * of it reads it back.
  auto a = t->evaluate("&m0.tls[0]");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->type, "*uintptr");
  EXPECT_EQ(t->evaluate("*&m0.tls[0]")->bits, t->evaluate("m0.tls[0]")->bits);
  EXPECT_EQ(t->evaluate("runtime.ncpu")->as_int(), 2);
  EXPECT_EQ(t->evaluate("'runtime.ncpu' * 2")->as_int(), 4);
  auto bytes = t->evaluate("*$sp@16");
  ASSERT_TRUE(bytes);
  EXPECT_EQ(bytes->kind, ValueKind::bytes);
  EXPECT_EQ(bytes->bytes.size(), 16u);
}

TEST(EngineEval, HistoryValues) {
  auto t = target(go_program("hello"));
  t->history().push_back(*t->evaluate("40"));
  t->history().push_back(*t->evaluate("2"));
  EXPECT_EQ(t->evaluate("$1 + $")->as_int(), 42);
  EXPECT_EQ(t->evaluate("$$")->as_int(), 40);
  EXPECT_EQ(t->evaluate("$$1")->as_int(), 40);
  EXPECT_EQ(t->evaluate("$7").error().kind, EvalErrorKind::history);
}

TEST(EngineEval, ErrorsHaveKinds) {
  auto t = target(go_program("hello"));
  auto e = t->evaluate("nosuchname");
  EXPECT_EQ(e.error().kind, EvalErrorKind::unknown_symbol);
  EXPECT_FALSE(e.error().transient());
  EXPECT_EQ(t->evaluate("$nosuchreg").error().kind, EvalErrorKind::unknown_register);
  EXPECT_EQ(t->evaluate("g0.nosuchfield").error().kind, EvalErrorKind::no_member);
  EXPECT_EQ(t->evaluate("1 +").error().kind, EvalErrorKind::syntax);
  EXPECT_EQ(t->evaluate("(1").error().kind, EvalErrorKind::syntax);
  EXPECT_EQ(t->evaluate("99999999999999999999999").error().kind, EvalErrorKind::syntax);
  // Before schedinit: allp is empty, a goroutine does not exist yet. Waiting cures these.
  e = t->evaluate("allp[0].runnext");
  EXPECT_EQ(e.error().kind, EvalErrorKind::out_of_range);
  EXPECT_TRUE(e.error().transient());
  EXPECT_FALSE(t->last_reads().empty());  // allp's header: a watchpoint waits for a write there
  EXPECT_TRUE(t->evaluate("g(1).goid").error().transient());
  EXPECT_EQ(t->evaluate("*0").error().kind, EvalErrorKind::unreadable);
  EXPECT_EQ(t->evaluate("*0@100000000").error().kind, EvalErrorKind::bad_length);
  EXPECT_EQ(t->evaluate("*g0").error().kind, EvalErrorKind::type_error);
}

// Found by fuzz_eval's long run: a quoted name holding a newline, echoed as the
// token after the expression, made a two-line message.
TEST(EngineEval, ErrorsEchoingTheInputStayOneLine) {
  auto t = target(go_program("hello"));
  for (const std::string& e : {std::string("g0'**interal/cp\n&**&sched*u.X>6'.\xb0\x9eS\x8c"),
                                std::string("1 'a\nb'"), std::string("'x\ny'"), std::string("1 +\n"),
                                std::string("g0 '") + std::string(300, '\n') + "'", std::string("\x01")}) {
    const auto v = t->evaluate(e);
    ASSERT_FALSE(v) << e;
    EXPECT_EQ(v.error().message.find('\n'), std::string::npos) << v.error().message;
    EXPECT_LT(v.error().message.size(), 200u) << v.error().message;
  }
}

TEST(EngineEval, NestingAndLengthAreLimitedWithOneLine) {
  auto t = target(go_program("hello"));
  const auto deep = t->evaluate(std::string(1000, '(') + "1" + std::string(1000, ')'));
  ASSERT_FALSE(deep);
  EXPECT_EQ(deep.error().kind, EvalErrorKind::too_deep);
  EXPECT_EQ(deep.error().message, "expression too deeply nested (limit 256)");
  EXPECT_EQ(t->evaluate(std::string(3000, '-') + "1").error().kind, EvalErrorKind::too_deep);
  EXPECT_EQ(t->evaluate(std::string(200, '(') + "1" + std::string(200, ')'))->as_int(), 1);
  EXPECT_EQ(t->evaluate(std::string(100000, 'a')).error().kind, EvalErrorKind::too_long);
  // Index brackets and g(N) nest too (issue 14: each was an unbounded recursion).
  std::string gs, idx;
  for (int i = 0; i < 1300; ++i) gs += "g(";
  for (int i = 0; i < 500; ++i) idx += "m0.tls[";
  EXPECT_EQ(t->evaluate(gs + "1").error().kind, EvalErrorKind::too_deep);
  EXPECT_EQ(t->evaluate(idx + "0").error().kind, EvalErrorKind::too_deep);
  EXPECT_EQ(t->evaluate(std::string(2000, '-') + "(" + std::string(2000, '!') + "1").error().kind,
            EvalErrorKind::too_deep);
  // A name of 4,000 characters is one short line, not a 4,000-column one.
  const auto longname = t->evaluate(std::string(4000, 'n'));
  EXPECT_EQ(longname.error().kind, EvalErrorKind::unknown_symbol);
  EXPECT_LT(longname.error().message.size(), 200u) << longname.error().message;
}

}  // namespace
}  // namespace gostep::engine
