// The same binary, arguments and options give the same instructions: --stats
// twice reports identical instruction counts, in total and per thread.
#include <gtest/gtest.h>

#include <sstream>
#include <string>

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
