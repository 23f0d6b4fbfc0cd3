// The hand-written x86-64 fixtures (asm_fixtures/asm/*.S) under gostep, and
// natively where a native run ends the same way: each ends as its header says.
#include <gtest/gtest.h>

#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

#include "subprocess.h"

namespace gostep::test {
namespace {

std::string fixture(const std::string& name) { return std::string(GOSTEP_ASM_DIR) + "/" + name; }

RunResult native(const std::string& name) {
  RunSpec s;
  s.argv = {fixture(name)};
  s.env = std::vector<std::string>{};
  s.timeout_seconds = 30;
  return run_program(s);
}

void expect_contains(const std::string& s, const std::vector<std::string>& parts) {
  for (const auto& p : parts) EXPECT_NE(s.find(p), std::string::npos) << "missing '" << p << "' in:\n" << s;
}

class PassingFixture : public ::testing::TestWithParam<const char*> {};

TEST_P(PassingFixture, PrintsOkAndExitsZero) {
  const RunResult g = run_gostep({"run", fixture(GetParam())});
  EXPECT_FALSE(g.timed_out);
  EXPECT_EQ(g.status, 0) << "the exit code names the failed check in " << GetParam() << ".S\n" << g.err;
  EXPECT_EQ(g.err, "");
  ASSERT_GE(g.out.size(), 3u);
  EXPECT_EQ(g.out.substr(g.out.size() - 3), "ok\n");
}

TEST_P(PassingFixture, PassesNativelyToo) {
  // The fixture's expectations are Linux's, not only gostep's.
  const RunResult n = native(GetParam());
  EXPECT_EQ(n.status, 0) << GetParam();
  ASSERT_GE(n.out.size(), 3u);
  EXPECT_EQ(n.out.substr(n.out.size() - 3), "ok\n");
}

INSTANTIATE_TEST_SUITE_P(Asm, PassingFixture,
                         ::testing::Values("tls", "clone_futex", "mman", "rdtsc", "sigsegv", "tgkill",
                                           "pipe_eventfd", "epoll", "time", "fs", "ioctl_ids", "pipe_block",
                                           "termios"));

std::vector<std::uint64_t> hex_lines(const std::string& out) {
  std::vector<std::uint64_t> v;
  std::istringstream in(out);
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("0x", 0) == 0) v.push_back(std::stoull(line, nullptr, 16));
  return v;
}

TEST(AsmFixture, RdtscReadsTheVirtualClockTheSameWayEveryRun) {
  const RunResult a = run_gostep({"run", fixture("rdtsc")});
  const RunResult b = run_gostep({"run", fixture("rdtsc")});
  ASSERT_EQ(a.status, 0);
  EXPECT_EQ(a.out, b.out);
  const auto v = hex_lines(a.out);
  ASSERT_EQ(v.size(), 4u) << a.out;
  // 1 ns per instruction from the monotonic start (1 s): the first RDTSC is
  // the first instruction; the readings are a few instructions apart.
  EXPECT_GE(v[0], 1'000'000'000u);
  EXPECT_LT(v[0], 1'000'000'010u);
  for (int i = 1; i < 4; ++i) {
    EXPECT_GT(v[i], v[i - 1]);
    EXPECT_LT(v[i] - v[i - 1], 20u);
  }
}

TEST(AsmFixture, InfiniteLoopStopsAtMaxInsnsWith124) {
  const RunResult g = run_gostep({"run", "--max-insns", "100000", fixture("loop")});
  EXPECT_EQ(g.status, 124);
  EXPECT_EQ(g.out, "");
  expect_contains(g.err, {"100,000 instructions", "--max-insns", "thread 1000", "spin_forever"});
  // The instruction is named too (spin_forever is inc, jmp).
  EXPECT_TRUE(g.err.find("incq") != std::string::npos || g.err.find("jmp") != std::string::npos) << g.err;
  EXPECT_EQ(g.err.rfind("gostep: ", 0), 0u);
}

TEST(AsmFixture, DeadlockStopsWith124AndNamesEveryThread) {
  const RunResult g = run_gostep({"run", fixture("deadlock")});
  EXPECT_FALSE(g.timed_out);
  EXPECT_EQ(g.status, 124);
  expect_contains(g.err, {"deadlock", "thread 1000", "thread 1001", "wait_forever", "syscall", "futex wait on 0x"});
}

TEST(AsmFixture, UnsupportedSyscallStopsWith124AndNamesIt) {
  const RunResult g = run_gostep({"run", fixture("unsupported")});
  EXPECT_EQ(g.status, 124);
  EXPECT_EQ(g.out, "");
  expect_contains(g.err, {"system call 41 (socket)", "open_socket", "thread 1000", "syscall"});
  // Natively the call works: gostep's 124 is about its Linux layer.
  const RunResult n = native("unsupported");
  EXPECT_EQ(n.status, 0);
  EXPECT_EQ(n.out, "ok\n");
}

TEST(AsmFixture, EnosysAnswersAnUnsupportedCallAndListsIt) {
  // With --enosys socket returns -ENOSYS: the fixture's check fails (exit 2) instead of gostep stopping it.
  const RunResult g = run_gostep({"run", "--enosys", "--stats", fixture("unsupported")});
  EXPECT_EQ(g.status, 2) << g.err;
  expect_contains(g.err, {"gostep: system calls gostep does not provide returned ENOSYS (--enosys): socket\n",
                          "  ENOSYS (--enosys) socket x1\n"});
}

TEST(AsmFixture, Int3WithoutHandlerDiesOfSigtrapLikeNatively) {
  const RunResult g = run_gostep({"run", fixture("int3")});
  EXPECT_EQ(g.status, 128 + 5);
  EXPECT_EQ(native("int3").status, 128 + 5);
  expect_contains(g.err, {"signal 5 (SIGTRAP)", "no handler", "trap_here", "thread 1000"});
}

TEST(AsmFixture, DivideByZeroWithoutHandlerDiesOfSigfpeLikeNatively) {
  const RunResult g = run_gostep({"run", fixture("divzero")});
  EXPECT_EQ(g.status, 128 + 8) << g.err;
  EXPECT_EQ(native("divzero").status, 128 + 8);
  expect_contains(g.err, {"signal 8 (SIGFPE)", "no handler", "divide_here", "idivq %rcx", "thread 1000"});
}

TEST(AsmFixture, NullReadWithoutHandlerDiesOfSigsegvLikeNatively) {
  const RunResult g = run_gostep({"run", fixture("nullread")});
  EXPECT_EQ(g.status, 128 + 11);
  EXPECT_EQ(native("nullread").status, 128 + 11);
  expect_contains(g.err, {"signal 11 (SIGSEGV)", "fault at address 0x0", "read_null", "movq (%rcx), %rax",
                          "thread 1000"});
}

}  // namespace
}  // namespace gostep::test
