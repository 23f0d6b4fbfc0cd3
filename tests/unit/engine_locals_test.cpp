// Locals and arguments from Go's DWARF (engine/locals.h), inlined frames, and
// goroutines (engine/goroutines.h), over the bundled program written for them
// (asm_fixtures/go/ownprog).
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "engine_test_util.h"

namespace gostep::engine {
namespace {

using testing::command;
using testing::go_program;
using testing::run;
using testing::target;

const Variable* find(const std::vector<Variable>& vs, const std::string& name) {
  for (const auto& v : vs)
    if (v.name == name) return &v;
  return nullptr;
}

std::unique_ptr<Target> stopped_at(const char* loc) {
  auto t = target(go_program("ownprog"));
  auto b = t->add_breakpoint(loc, "", false);
  if (!b) throw std::runtime_error(b.error());
  const auto ev = run(*t, command(RunKind::cont));
  if (std::find(ev.causes.begin(), ev.causes.end(), StopCause::breakpoint) == ev.causes.end())
    throw std::runtime_error(std::string("did not stop at ") + loc);
  return t;
}

TEST(EngineLocals, ArgumentsInRegistersAtEntryHaveGoValues) {
  auto t = stopped_at("main.inspect");
  auto vars = t->variables();
  ASSERT_TRUE(vars) << vars.error();
  const Variable* list = find(*vars, "list");
  ASSERT_TRUE(list && list->is_arg && list->value) << "list";
  EXPECT_EQ(list->value->kind, ValueKind::pointer);
  ASSERT_EQ(list->value->children.size(), 1u);  // *main.node followed
  EXPECT_EQ(list->value->children[0].children[0].name, "val");
  EXPECT_EQ(list->value->children[0].children[0].as_int(), 1);
  const Variable* shelf = find(*vars, "shelf");
  ASSERT_TRUE(shelf && shelf->value);
  EXPECT_EQ(shelf->value->kind, ValueKind::slice);
  EXPECT_EQ(shelf->value->length, 5u);
  EXPECT_EQ(shelf->value->capacity, 8u);
  ASSERT_EQ(shelf->value->children.size(), 5u);
  EXPECT_EQ(shelf->value->children[2].as_int(), 4);
  const Variable* stock = find(*vars, "stock");
  ASSERT_TRUE(stock && stock->value);
  EXPECT_EQ(stock->value->kind, ValueKind::map);
  EXPECT_EQ(stock->value->length, 3u);
  const Variable* s = find(*vars, "s");
  ASSERT_TRUE(s && s->value);
  EXPECT_EQ(s->value->kind, ValueKind::interface);
  EXPECT_EQ(s->value->dynamic_type, "main.rect");
  ASSERT_EQ(s->value->children.size(), 1u);
  EXPECT_EQ(s->value->children[0].children.at(1).as_int(), 4);  // h
  const Variable* greeting = find(*vars, "greeting");
  ASSERT_TRUE(greeting && greeting->value);
  EXPECT_EQ(greeting->value->kind, ValueKind::string);
  EXPECT_EQ(std::string(greeting->value->bytes.begin(), greeting->value->bytes.end()), "你好, gostep");
  const Variable* jobs = find(*vars, "jobs");
  ASSERT_TRUE(jobs && jobs->value);
  EXPECT_EQ(jobs->value->kind, ValueKind::chan);
  EXPECT_EQ(jobs->value->capacity, 4u);
  const Variable* next = find(*vars, "next");
  ASSERT_TRUE(next && next->value);
  EXPECT_EQ(next->value->kind, ValueKind::func);
  EXPECT_EQ(next->value->function, "main.main.func1");
  // The result has no location (Go's DWARF: an empty block): optimized out, said so.
  const Variable* r0 = find(*vars, "~r0");
  ASSERT_TRUE(r0 && r0->is_result);
  ASSERT_FALSE(r0->value);
  EXPECT_EQ(r0->value.error().kind, EvalErrorKind::optimized_out);
  // The expression grammar reaches them (locals before globals).
  auto v = t->evaluate("list.next.val + len(shelf)");
  ASSERT_TRUE(v) << v.error().message;
  EXPECT_EQ(v->as_int(), 7);
  v = t->evaluate("shelf[4]");
  ASSERT_TRUE(v) << v.error().message;
  EXPECT_EQ(v->as_int(), 5);
}

TEST(EngineLocals, OuterFramesHaveOnlyWhatIsInMemory) {
  auto t = stopped_at("main.inspect");
  const auto b = t->selected_backtrace();
  ASSERT_GE(b.frames.size(), 2u);
  EXPECT_EQ(b.frames[1].function, "main.main");
  t->select_frame(1);
  auto vars = t->variables();
  ASSERT_TRUE(vars) << vars.error();
  const Variable* list = find(*vars, "list");  // spilled to main's frame (fbreg)
  ASSERT_TRUE(list && list->value) << (list ? list->value.error().message : "no list");
  EXPECT_EQ(list->value->children.at(0).children.at(0).as_int(), 1);
  const Variable* greeting = find(*vars, "greeting");  // Go gave it no location at all
  ASSERT_TRUE(greeting);
  EXPECT_FALSE(greeting->value);
  const Variable* wg = find(*vars, "wg");  // escaped to the heap: "&wg" read through its pointer
  ASSERT_TRUE(wg && wg->value) << "wg";
  EXPECT_EQ(wg->type, "sync.WaitGroup");
}

TEST(EngineLocals, InlinedCallsAreFramesAndBreakpointsCoverEverySite) {
  auto t = target(go_program("ownprog"));
  auto b = t->add_breakpoint("main.add", "", false);
  ASSERT_TRUE(b) << b.error();
  EXPECT_GE((*b)->addrs.size(), 2u);  // sum and inspect (no out-of-line body)
  run(*t, command(RunKind::cont));
  const auto bt = t->selected_backtrace();
  ASSERT_GE(bt.frames.size(), 2u);
  EXPECT_EQ(bt.frames[0].function, "main.add");
  EXPECT_TRUE(bt.frames[0].inlined);
  EXPECT_FALSE(bt.frames[1].inlined);
  EXPECT_EQ(bt.frames[0].pc, bt.frames[1].pc);
  auto vars = t->variables();
  ASSERT_TRUE(vars) << vars.error();
  EXPECT_TRUE(find(*vars, "a"));
  EXPECT_TRUE(find(*vars, "b"));
}

TEST(EngineGoroutines, WaitingGoroutinesSayWhyWhereAndWhoMadeThem) {
  auto t = stopped_at("main.parked");
  const auto gs = t->goroutines();
  auto by_start = [&](const std::string& fn) -> const GoroutineInfo* {
    for (const auto& g : gs)
      if (g.start_function == fn) return &g;
    return nullptr;
  };
  const struct {
    const char* start;
    const char* reason;
    int line;
  } want[] = {{"main.waiters.func1", "chan receive", 79},
              {"main.waiters.func2", "semacquire", 80},
              {"main.waiters.func3", "sleep", 81}};
  for (const auto& w : want) {
    const GoroutineInfo* g = by_start(w.start);
    ASSERT_TRUE(g) << w.start;
    EXPECT_EQ(g->status_name, "_Gwaiting") << w.start;
    EXPECT_EQ(g->wait_reason, w.reason) << w.start;
    EXPECT_EQ(g->thread, 0) << w.start;
    ASSERT_TRUE(g->user) << w.start;
    EXPECT_EQ(g->user->function, w.start);
    EXPECT_EQ(g->go_function, "main.waiters");
    ASSERT_TRUE(g->go_source);
    EXPECT_EQ(g->go_source->line, w.line) << w.start;
  }
  // The main goroutine runs, on a thread, in main.parked.
  const GoroutineInfo* main_g = by_start("runtime.main");
  ASSERT_TRUE(main_g);
  EXPECT_NE(main_g->thread, 0);
  ASSERT_TRUE(main_g->user);
  EXPECT_EQ(main_g->user->function, "main.parked");
  // A parked goroutine's stack and variables, from g.sched.
  EXPECT_EQ(t->current_goroutine(gs), main_g->goid);  // the selected thread's
  const GoroutineInfo* rx = by_start("main.waiters.func1");
  ASSERT_TRUE(t->select_goroutine(rx->goid));
  EXPECT_EQ(t->current_goroutine(), rx->goid);
  const auto bt = t->selected_backtrace();
  ASSERT_FALSE(bt.frames.empty());
  EXPECT_EQ(bt.frames[0].function, "runtime.gopark");
  bool found = false;
  for (std::size_t i = 0; i < bt.frames.size(); ++i)
    if (bt.frames[i].function == "main.waiters.func1") {
      t->select_frame(static_cast<int>(i));
      found = true;
    }
  ASSERT_TRUE(found);
  auto v = t->evaluate("never");
  ASSERT_TRUE(v || v.error().kind == EvalErrorKind::optimized_out) << v.error().message;
}

TEST(EngineGoroutines, UserFunctionsAreMainsAndModulesNotTheStandardLibrary) {
  EXPECT_TRUE(user_function("main.main"));
  EXPECT_TRUE(user_function("main.waiters.func1"));
  EXPECT_TRUE(user_function("gostep.example/fixtures/lib.(*T).Run"));
  EXPECT_FALSE(user_function("sync.(*Mutex).Lock"));
  EXPECT_FALSE(user_function("internal/poll.(*FD).Write"));
  EXPECT_FALSE(user_function("runtime.gopark"));
  EXPECT_TRUE(runtime_function("runtime.gopark"));
  EXPECT_TRUE(runtime_function("runtime/internal/atomic.Load"));
  EXPECT_FALSE(runtime_function("main.main"));
}

}  // namespace
}  // namespace gostep::engine
