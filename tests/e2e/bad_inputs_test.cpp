// What gostep refuses, with one line on stderr and the exit status of
// DESIGN.md ("Exit status"): 127 not found, 126 cannot be run, 125 usage.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "elf_patch.h"
#include "subprocess.h"

namespace gostep::test {
namespace {

void expect_one_line(const RunResult& r, int status, const std::vector<std::string>& mentions) {
  EXPECT_FALSE(r.timed_out);
  EXPECT_EQ(r.status, status) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(count_lines(r.err), 1) << r.err;
  ASSERT_FALSE(r.err.empty());
  EXPECT_EQ(r.err.back(), '\n');
  EXPECT_EQ(r.err.rfind("gostep: ", 0), 0u) << r.err;
  for (const auto& m : mentions) EXPECT_NE(r.err.find(m), std::string::npos) << "missing '" << m << "' in " << r.err;
}

class BadProgram : public ::testing::TestWithParam<BadInput> {};

TEST_P(BadProgram, IsRefusedWithOneLine) {
  const BadInput& b = GetParam();
  TempDir dir;
  const std::string path = make_bad_input(dir, b.name, std::string(GOSTEP_GO_DIR) + "/hello",
                                          GOSTEP_DYN_HELLO_PIE, GOSTEP_DYN_HELLO_NOPIE);
  const RunResult r = run_gostep({"run", path});
  expect_one_line(r, b.status, b.mentions);
  EXPECT_NE(r.err.find(path), std::string::npos) << "the message names the file: " << r.err;
}

INSTANTIATE_TEST_SUITE_P(Files, BadProgram, ::testing::ValuesIn(bad_inputs()), [](const auto& p) {
  std::string n = p.param.name;
  for (char& c : n) if (c == '-') c = '_';
  return n;
});

TEST(BadProgram, TheDynamicProgramRunsNatively) {
  // So that refusing it is about linking, not a broken file.
  RunSpec s;
  s.argv = {GOSTEP_DYN_HELLO_NOPIE};
  const RunResult r = run_program(s);
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.out, "hello from a dynamically linked program\n");
}

TEST(BadProgram, AnUnpatchedCopyRuns) {
  // An unpatched copy of hello runs: the refusals come from the patches.
  TempDir dir;
  const std::string copy = dir.file("hello");
  write_bytes(copy, read_bytes(std::string(GOSTEP_GO_DIR) + "/hello"));
  const RunResult r = run_gostep({"run", copy});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "hello, world\n");
}

struct Usage {
  const char* name;
  std::vector<std::string> args;
  std::vector<std::string> mentions;
};

void PrintTo(const Usage& u, std::ostream* os) { *os << u.name; }

class UsageError : public ::testing::TestWithParam<Usage> {};

TEST_P(UsageError, Exits125WithOneLine) {
  std::vector<std::string> args;
  for (const auto& a : GetParam().args) args.push_back(a == "HELLO" ? std::string(GOSTEP_GO_DIR) + "/hello" : a);
  expect_one_line(run_gostep(args), 125, GetParam().mentions);
}

INSTANTIATE_TEST_SUITE_P(
    Options, UsageError,
    ::testing::Values(Usage{"unknown_option", {"run", "--bogus", "HELLO"}, {"--bogus"}},
                      Usage{"missing_prog", {"run"}, {"PROG"}},
                      Usage{"no_subcommand", {}, {}},
                      Usage{"unknown_subcommand", {"fly", "HELLO"}, {}},
                      Usage{"ncpu_zero", {"run", "--ncpu", "0", "HELLO"}, {"--ncpu"}},
                      Usage{"ncpu_not_a_number", {"run", "--ncpu", "two", "HELLO"}, {"--ncpu"}},
                      Usage{"ncpu_too_many", {"run", "--ncpu", "65", "HELLO"}, {"--ncpu"}},
                      Usage{"max_insns_zero", {"run", "--max-insns", "0", "HELLO"}, {"--max-insns"}},
                      Usage{"env_without_equals", {"run", "--env", "NOEQUALS", "HELLO"}, {"K=V"}}),
    [](const auto& p) { return std::string(p.param.name); });

}  // namespace
}  // namespace gostep::test
