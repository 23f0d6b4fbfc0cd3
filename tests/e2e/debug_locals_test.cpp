// `gostep debug` on a student's own program (asm_fixtures/go/ownprog): info
// locals and args, print of locals with Go-style values, inlined frames and
// breakpoints, goroutines (info goroutines, goroutine N CMD), ptype/whatis,
// source through the module path, and a watchpoint on a local that ends with
// its frame (tools/debug/debug_locals.cpp, debug_types.cpp; the engine's side:
// tests/unit/engine_locals_test.cpp; against gdb: locals_differential_test.cpp).
#include <gtest/gtest.h>
#include <unistd.h>

#include <regex>
#include <string>
#include <vector>

#include "subprocess.h"

namespace gostep::test {
namespace {

RunResult debug_own(const std::vector<std::string>& commands) {
  EXPECT_EQ(::chdir(GOSTEP_GO_DIR), 0);
  std::vector<std::string> args = {"debug", "./ownprog", "--batch"};
  for (const auto& c : commands) args.insert(args.end(), {"-ex", c});
  return run_gostep(args);
}

bool has(const std::string& text, const std::string& what) { return text.find(what) != std::string::npos; }

TEST(DebugLocals, ArgsAndLocalsPrintGoStyle) {
  const auto r = debug_own({"break main.inspect", "continue", "info args", "info locals", "print list",
                            "print list.next.val * 10", "print shelf[2]", "print len(greeting)", "x/s greeting.str"});
  ASSERT_EQ(r.status, 0) << r.err << r.out;
  EXPECT_TRUE(has(r.out, "list = *main.node {val: 1, name: \"一\", next: *main.node {val: 2")) << r.out;
  EXPECT_TRUE(has(r.out, "shelf = []int len: 5, cap: 8, [3, 1, 4, 1, 5]")) << r.out;
  EXPECT_TRUE(has(r.out, "stock = map[string]int len: 3")) << r.out;
  EXPECT_TRUE(has(r.out, "s = main.shape(main.rect) {w: 3, h: 4}")) << r.out;
  EXPECT_TRUE(has(r.out, "greeting = \"你好, gostep\"")) << r.out;
  EXPECT_TRUE(std::regex_search(r.out, std::regex(R"(jobs = chan string \{qcount: [01], dataqsiz: 4, queue: )"))) << r.out;
  EXPECT_TRUE(has(r.out, "next = main.main.func1 {count: 0}")) << r.out;
  EXPECT_TRUE(has(r.out, "~r0 = <optimized out>")) << r.out;
  EXPECT_TRUE(has(r.out, "= 20\n")) << r.out;
  EXPECT_TRUE(has(r.out, "= 4\n")) << r.out;
  EXPECT_TRUE(has(r.out, "= 14\n")) << r.out;  // len("你好, gostep") in bytes
  EXPECT_TRUE(std::regex_search(r.out, std::regex(R"(0x[0-9a-f]+: "你好, gostep)"))) << r.out;  // x/s: UTF-8 as text
}

TEST(DebugLocals, OuterFrameSaysOptimizedOutAndShowsItsSource) {
  const auto r = debug_own({"break main.inspect", "continue", "up", "info locals", "list"});
  ASSERT_EQ(r.status, 0) << r.err << r.out;
  EXPECT_TRUE(has(r.out, "in main.main at main.go:106")) << r.out;
  EXPECT_TRUE(has(r.out, "n := inspect(list, shelf, stock, s, greeting, jobs, next)")) << r.out;  // source via the module path
  EXPECT_TRUE(has(r.out, "greeting = <optimized out>")) << r.out;
  EXPECT_TRUE(has(r.out, "list = *main.node {val: 1")) << r.out;
}

TEST(DebugLocals, InlinedFunctionBreaksAtEverySiteAndShowsItsFrame) {
  const auto r = debug_own({"break main.add", "continue", "bt 3", "info args", "finish"});
  EXPECT_TRUE(std::regex_search(r.out, std::regex(R"(Breakpoint 1 at [0-9]+ locations:)"))) << r.out;
  EXPECT_TRUE(std::regex_search(r.out, std::regex(R"(#0  main\.add at main\.go:29 \[inlined\])"))) << r.out;
  EXPECT_TRUE(std::regex_search(r.out, std::regex(R"(#1  0x[0-9a-f]+ in main\.inspect at main\.go:70)"))) << r.out;
  EXPECT_TRUE(std::regex_search(r.out, std::regex(R"(a = \d+\nb = \d+)"))) << r.out;
  EXPECT_TRUE(has(r.err, "it was inlined")) << r.err;
}

TEST(DebugLocals, GoroutinesWaitingOnChannelMutexAndSleep) {
  const auto r = debug_own({"break main.parked", "continue", "info goroutines"});
  ASSERT_EQ(r.status, 0) << r.err << r.out;
  for (const char* re : {R"(Goroutine \d+ - User: main\.go:79 main\.waiters\.func1 \(0x[0-9a-f]+\) \[waiting: chan receive\])",
                         R"(Goroutine \d+ - User: main\.go:80 main\.waiters\.func2 \(0x[0-9a-f]+\) \[waiting: semacquire\])",
                         R"(Goroutine \d+ - User: main\.go:81 main\.waiters\.func3 \(0x[0-9a-f]+\) \[waiting: sleep\])",
                         R"(\* Goroutine 1 - User: main\.go:88 main\.parked \(0x[0-9a-f]+\) \[running\] \(thread \d+\))",
                         R"(created by main\.waiters at main\.go:79)", R"(created by main\.waiters at main\.go:81)"})
    EXPECT_TRUE(std::regex_search(r.out, std::regex(re))) << re << "\n" << r.out;
}

TEST(DebugLocals, GoroutineNCommandKeepsTheSelection) {
  const auto list = debug_own({"break main.parked", "continue", "info goroutines"});
  std::smatch m;
  ASSERT_TRUE(std::regex_search(list.out, m, std::regex(R"(Goroutine (\d+) - User: main\.go:79 main\.waiters\.func1)"))) << list.out;
  const std::string id = m[1];
  const auto r = debug_own({"break main.parked", "continue", "goroutine " + id + " bt", "goroutine " + id + " info locals",
                            "bt 1"});
  ASSERT_EQ(r.status, 0) << r.err << r.out;
  EXPECT_TRUE(has(r.out, "in runtime.gopark at proc.go:")) << r.out;
  EXPECT_TRUE(has(r.out, "in main.waiters.func1 at main.go:79")) << r.out;
  EXPECT_TRUE(std::regex_search(r.out, std::regex(R"(#0  0x[0-9a-f]+ in main\.parked at main\.go:88)"))) << r.out;  // selection kept
}

TEST(DebugLocals, GoroutineSelectsAndSaysWhichIsCurrent) {
  const auto r = debug_own({"goroutine", "break main.parked", "continue", "goroutine", "goroutine 5", "goroutine",
                            "info goroutines", "goroutine 99"});
  EXPECT_TRUE(has(r.out, "[Thread 1000 runs no goroutine now]")) << r.out;  // at the entry point
  EXPECT_TRUE(std::regex_search(r.out, std::regex(R"(\[Current goroutine is 1 \(thread \d+\)\])"))) << r.out;
  EXPECT_TRUE(has(r.out, "[Switching to goroutine 5]")) << r.out;
  EXPECT_TRUE(has(r.out, "[Current goroutine is 5]")) << r.out;
  EXPECT_TRUE(has(r.out, "* Goroutine 5 - ")) << r.out;
  EXPECT_TRUE(has(r.out, "  Goroutine 1 - ")) << r.out;
  EXPECT_TRUE(has(r.err, "No goroutine with id 99")) << r.err;
}

TEST(DebugLocals, ConditionsDisplaysAndXTakeLocals) {
  // The condition names bump's argument while the entry point is selected: it is evaluated where it stops.
  const auto r = debug_own({"break main.bump if v == 4", "continue", "info args", "print *p", "x/1dg p",
                            "display v", "up", "info args", "print sum + i", "print xs[i] * 10", "print nosuch"});
  EXPECT_TRUE(has(r.out, "v = 4\n")) << r.out << r.err;
  EXPECT_TRUE(has(r.out, "$1 = 4\n")) << r.out;  // sum so far: 3 + 1
  EXPECT_TRUE(std::regex_search(r.out, std::regex(R"(0x[0-9a-f]+:\s+4\n)"))) << r.out;
  EXPECT_TRUE(has(r.out, "1: v = 4\n")) << r.out;
  EXPECT_TRUE(has(r.out, "$2 = 6\n")) << r.out;  // tally's frame: sum 4, i 2
  EXPECT_TRUE(has(r.out, "$3 = 40\n")) << r.out;
  EXPECT_TRUE(has(r.out, "xs = []int len: 5, cap: <optimized out>, [3, 1, 4, 1, 5]\n")) << r.out;  // xs has lost its cap here, but keeps its array and len
  EXPECT_TRUE(has(r.err, "No symbol \"nosuch\" in main.tally's locals or the runtime model")) << r.err;
  const auto bad = debug_own({"break main.bump if nosuch == 4"});
  EXPECT_EQ(bad.status, 1);
  EXPECT_TRUE(has(bad.err, "No symbol \"nosuch\"")) << bad.err;
}

TEST(DebugLocals, PtypeAndWhatis) {
  const auto r = debug_own({"ptype main.node", "whatis main.names", "ptype runtime.g", "break main.inspect", "continue",
                            "whatis shelf", "ptype stock"});
  ASSERT_EQ(r.status, 0) << r.err << r.out;
  EXPECT_TRUE(has(r.out, "type main.node struct {   // 32 bytes")) << r.out;
  EXPECT_TRUE(std::regex_search(r.out, std::regex(R"(next +\*main\.node +// offset 0x18 \(24\), size 8)"))) << r.out;
  EXPECT_TRUE(has(r.out, "type = []string")) << r.out;
  EXPECT_TRUE(std::regex_search(r.out, std::regex(R"(goid +int64 +// offset 0x98 \(152\), size 8)"))) << r.out;
  EXPECT_TRUE(has(r.out, "type = []int")) << r.out;
  EXPECT_TRUE(has(r.out, "map, 8 bytes, key string, element int")) << r.out;
}

TEST(DebugLocals, WatchOnALocalEndsWithItsFrame) {
  // tally's sum lives in its frame (bump writes it through &sum): 0 -> 3 -> 4 -> 8 -> 9 -> 14, then tally
  // returns. It is watched from bump's caller frame (`up`), the breakpoint deleted so only the watch stops.
  std::vector<std::string> cmds = {"break main.bump", "continue", "up", "watch sum", "delete 1"};
  for (int i = 0; i < 6; ++i) cmds.push_back("continue");
  const auto r = debug_own(cmds);
  ASSERT_EQ(r.status, 0) << r.err << r.out;
  EXPECT_TRUE(has(r.out, "Watchpoint 2: sum")) << r.out << r.err;
  EXPECT_TRUE(has(r.out, "Old value = 0\nNew value = 3")) << r.out;
  EXPECT_TRUE(has(r.out, "Old value = 9\nNew value = 14")) << r.out;
  EXPECT_TRUE(has(r.out, "in main.bump at main.go:132")) << r.out;
  EXPECT_TRUE(has(r.out, "Watchpoint 2 deleted because the program has left the block in\nwhich its expression is valid."))
      << r.out << r.err;
  EXPECT_FALSE(has(r.out, "exited normally")) << r.out;  // the sixth continue stops where tally returns
}

TEST(DebugLocals, WatchOnALocalWithNoLocationYetIsRefused) {
  // At tally's second instruction line sum has no location yet (Go zeroes its slot later): there is no
  // range to watch, so the watch could never fire; it is refused, saying what to do.
  const auto r = debug_own({"break main.tally", "continue", "next", "watch sum"});
  EXPECT_EQ(r.status, 1) << r.out << r.err;
  EXPECT_TRUE(has(r.err, "Cannot watch \"sum\": sum is optimized out here")) << r.err;
}

}  // namespace
}  // namespace gostep::test
