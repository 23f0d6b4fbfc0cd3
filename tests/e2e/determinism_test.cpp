// The same binary, arguments and options give the same instructions: --stats
// twice reports identical instruction counts, in total and per thread.
#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include <filesystem>
#include <fstream>
#include <vector>

#include "elf_patch.h"
#include "subprocess.h"

namespace gostep::test {
namespace {

// The lines of --stats that must not change between runs (all but the wall
// time and the speed).
std::string deterministic_stats(const std::string& err) {
  std::istringstream in(err);
  std::string line, out;
  while (std::getline(in, line))
    if (line.find("wall time") == std::string::npos && line.find("speed") == std::string::npos)
      out += line + "\n";
  return out;
}

class Deterministic : public ::testing::TestWithParam<const char*> {};

TEST_P(Deterministic, StatsAreIdenticalAcrossRuns) {
  const std::string prog = std::string(GOSTEP_GO_DIR) + "/" + GetParam();
  const RunResult a = run_gostep({"run", "--stats", prog});
  const RunResult b = run_gostep({"run", "--stats", prog});
  ASSERT_EQ(a.status, 0) << a.err;
  ASSERT_EQ(b.status, 0) << b.err;
  EXPECT_EQ(a.out, b.out);
  const std::string sa = deterministic_stats(a.err), sb = deterministic_stats(b.err);
  EXPECT_EQ(sa, sb);
  // The comparison means something only if the counts are there (hello-stripped
  // has no symbols: its RDTSC sites are found by scanning the code).
  EXPECT_NE(sa.find("  instructions     "), std::string::npos) << sa;
  EXPECT_NE(sa.find("    thread 1000 "), std::string::npos) << sa;
  EXPECT_NE(sa.find("    thread 1001 "), std::string::npos) << sa;
  EXPECT_EQ(sa.find("  instructions     0\n"), std::string::npos) << sa;
}

INSTANTIATE_TEST_SUITE_P(Programs, Deterministic, ::testing::Values("hello", "goroutines", "hello-stripped"));

// The programs of the file system, terminal and identity calls: the same
// directory contents and stdin bytes give the same instructions.
TEST(Determinism, FileSystemProgramsRunTheSameInstructions) {
  TempDir d;
  std::filesystem::create_directories(d.file("data/sub"));
  std::ofstream(d.file("data/a.txt")) << "alpha beta\n";
  std::ofstream(d.file("data/sub/b.txt")) << "gamma\n";
  std::ofstream(d.file("data/remove-me.txt")) << "x\n";
  std::filesystem::create_directories(d.file("data/scratch"));
  std::filesystem::create_directories(d.file("data/keep"));
  std::ofstream(d.file("in.txt")) << "one\n two \nthree\n";
  const std::string go = GOSTEP_GO_DIR;
  const std::vector<std::vector<std::string>> runs = {
      {"run", "--stats", "--dir", d.path(), go + "/files"},  // read-only: the directory stays the same
      {"run", "--stats", go + "/whoami", "--", "-values"},
      {"run", "--stats", go + "/filter"}};
  for (const auto& args : runs) {
    SCOPED_TRACE(args[args.size() > 5 ? 4 : 2]);
    RunSpec s;
    s.argv = {GOSTEP_BINARY};
    s.argv.insert(s.argv.end(), args.begin(), args.end());
    s.stdin_file = d.file("in.txt");
    const RunResult a = run_program(s), b = run_program(s);
    ASSERT_EQ(a.status, 0) << a.err;
    EXPECT_EQ(a.out, b.out);
    EXPECT_FALSE(a.out.empty());
    const std::string sa = deterministic_stats(a.err);
    EXPECT_EQ(sa, deterministic_stats(b.err));
    EXPECT_NE(sa.find("  instructions     "), std::string::npos) << sa;
  }
}

TEST(Determinism, AnotherQuantumChangesTheSchedule) {
  // Guards the test above: the per-thread counts do depend on the schedule.
  const std::string prog = std::string(GOSTEP_GO_DIR) + "/goroutines";
  const RunResult a = run_gostep({"run", "--stats", prog});
  const RunResult b = run_gostep({"run", "--stats", "--quantum", "1234", prog});
  ASSERT_EQ(a.status, 0);
  ASSERT_EQ(b.status, 0);
  EXPECT_EQ(a.out, b.out);
  EXPECT_NE(deterministic_stats(a.err), deterministic_stats(b.err));
}

}  // namespace
}  // namespace gostep::test

namespace gostep::test {
namespace {

// RDTSC reads the virtual clock even when a stop (a time slice ending, a
// single step) falls right after it: the fix-up runs before any stop.
TEST(Determinism, RdtscReadsTheVirtualClockAcrossStops) {
  const std::string prog = std::string(GOSTEP_ASM_DIR) + "/rdtsc";
  const RunResult plain = run_gostep({"run", prog});
  const RunResult sliced = run_gostep({"run", "--quantum", "1", prog});
  ASSERT_EQ(plain.status, 0) << plain.err;
  EXPECT_EQ(plain.out, sliced.out);
  // The first RDTSC is the program's first instruction: 1 ns after the start (1 s).
  EXPECT_EQ(plain.out.rfind("0x000000003b9aca01\n", 0), 0u) << plain.out;
  const RunResult stepped = run_gostep({"debug", prog, "--batch", "-ex", "stepi", "-ex", "print/x $rax"});
  ASSERT_EQ(stepped.status, 0) << stepped.err;
  EXPECT_NE(stepped.out.find("$1 = 0x3b9aca01"), std::string::npos) << stepped.out;
}

}  // namespace
}  // namespace gostep::test
