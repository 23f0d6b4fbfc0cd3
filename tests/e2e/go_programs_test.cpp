// The bundled Go programs under gostep against the same binaries run natively
// (empty environment, argv[0] the same path string): stdout, stderr and exit
// status must be equal.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "subprocess.h"

namespace gostep::test {
namespace {

const std::string kGoDir = GOSTEP_GO_DIR;

RunResult native(const std::string& prog, const std::vector<std::string>& args = {},
                 const std::vector<std::string>& env = {}, const std::string& stdin_data = "") {
  RunSpec s;
  s.argv = {prog};
  s.argv.insert(s.argv.end(), args.begin(), args.end());
  s.env = env;
  s.stdin_data = stdin_data;
  return run_program(s);
}

void expect_same(const RunResult& n, const RunResult& g) {
  EXPECT_FALSE(n.timed_out);
  EXPECT_FALSE(g.timed_out);
  EXPECT_EQ(g.out, n.out);
  EXPECT_EQ(g.err, n.err);
  EXPECT_EQ(g.status, n.status);
}

struct Expected {
  const char* prog;
  int status;
  const char* stdout_contains;  // so that two empty outputs cannot pass for a correct run
};

void PrintTo(const Expected& e, std::ostream* os) { *os << e.prog; }

class GoProgram : public ::testing::TestWithParam<Expected> {};

TEST_P(GoProgram, SameOutputAndStatusAsNative) {
  const Expected& e = GetParam();
  const std::string prog = kGoDir + "/" + e.prog;
  const RunResult n = native(prog);
  const RunResult g = run_gostep({"run", prog});
  expect_same(n, g);
  EXPECT_EQ(n.status, e.status) << "native run of " << e.prog;
  EXPECT_NE(n.out.find(e.stdout_contains), std::string::npos) << n.out;
}

INSTANTIATE_TEST_SUITE_P(Bundled, GoProgram,
                         ::testing::Values(Expected{"empty", 0, ""},
                                           Expected{"hello", 0, "hello, world\n"},
                                           Expected{"hello-stripped", 0, "hello, world\n"},
                                           Expected{"goroutines", 0, "handled: 10"},
                                           Expected{"timers", 0, "ticks: 3"},
                                           Expected{"panics", 2, "about to dereference nil"},
                                           Expected{"args", 0, "GOSTEP_GREETING is not set"},
                                           Expected{"preempt", 0, "main ran again"},
                                           Expected{"echo", 0, ""},
                                           Expected{"whoami", 0, "user: true true true"},
                                           Expected{"filter", 0, ""}),
                         [](const auto& p) {
                           std::string n = p.param.prog;
                           for (char& c : n) if (c == '-') c = '_';
                           return n;
                         });

TEST(GoPrograms, PanicsReportsTheNilDereferenceAsGoDoes) {
  const RunResult g = run_gostep({"run", kGoDir + "/panics"});
  EXPECT_EQ(g.status, 2);
  EXPECT_NE(g.err.find("[signal SIGSEGV: segmentation violation code=0x1 addr=0x0"), std::string::npos) << g.err;
  EXPECT_NE(g.err.find("main.deref"), std::string::npos) << g.err;
}

// A stripped binary has no symbol table, but Go keeps its pclntab: the stop
// report names the function from it, as the unstripped binary's symbols do.
TEST(GoPrograms, StopReportOfAStrippedBinaryNamesTheFunction) {
  const RunResult plain = run_gostep({"run", "--max-insns", "100000", kGoDir + "/hello"});
  const RunResult stripped = run_gostep({"run", "--max-insns", "100000", kGoDir + "/hello-stripped"});
  EXPECT_EQ(plain.status, 124);
  EXPECT_EQ(stripped.status, 124);
  EXPECT_NE(stripped.err.find("thread 1000, at 0x"), std::string::npos) << stripped.err;
  EXPECT_NE(stripped.err.find(" runtime."), std::string::npos) << stripped.err;
  EXPECT_EQ(stripped.err, plain.err) << "the same stop, named the same way";
}

TEST(GoPrograms, ArgumentsAndEnvironmentReachTheGuest) {
  const std::string prog = kGoDir + "/args";
  const std::vector<std::string> args = {"one", "two words", "", "--not-an-option"};
  const RunResult n = native(prog, args, {"GOSTEP_GREETING=hi there"});
  std::vector<std::string> g_args = {"run", prog, "--env", "GOSTEP_GREETING=hi there", "--"};
  g_args.insert(g_args.end(), args.begin(), args.end());
  const RunResult g = run_gostep(g_args);
  expect_same(n, g);
  EXPECT_NE(g.out.find("arg 2: two words\n"), std::string::npos) << g.out;
  EXPECT_NE(g.out.find("arg 4: --not-an-option\n"), std::string::npos) << g.out;
  EXPECT_NE(g.out.find("argc: 5\n"), std::string::npos) << g.out;
  EXPECT_NE(g.out.find("GOSTEP_GREETING: hi there\n"), std::string::npos) << g.out;
}

TEST(GoPrograms, EnvBeforeProgAndRepeatedEnv) {
  const std::string prog = kGoDir + "/args";
  const RunResult g = run_gostep({"run", "--env", "A=1", "--env", "GOSTEP_GREETING=x", prog, "--", "--y"});
  EXPECT_EQ(g.status, 0) << g.err;
  EXPECT_EQ(g.out, "arg 1: --y\nargc: 2\nGOSTEP_GREETING: x\n");
}

TEST(GoPrograms, TheHostEnvironmentDoesNotLeakIntoTheGuest) {
  RunSpec s;
  s.argv = {GOSTEP_BINARY, "run", kGoDir + "/args"};
  std::vector<std::string> env;
  for (char** e = environ; *e; ++e) env.emplace_back(*e);
  env.emplace_back("GOSTEP_GREETING=from the host");
  s.env = env;
  const RunResult g = run_program(s);
  EXPECT_EQ(g.status, 0) << g.err;
  EXPECT_NE(g.out.find("GOSTEP_GREETING is not set"), std::string::npos) << g.out;
}

TEST(GoPrograms, StdinFeedsTheGuest) {
  const std::string prog = kGoDir + "/echo";
  const RunResult n = native(prog, {}, {}, "x");
  const RunResult g = run_gostep({"run", prog}, "x");
  expect_same(n, g);
  EXPECT_EQ(g.out, "x");
  EXPECT_EQ(g.err, "echo: 1 bytes\n");
}

TEST(GoPrograms, LargeStdinIsCopiedWhole) {
  std::string data;
  for (int i = 0; data.size() < 200'000; ++i) data += "line " + std::to_string(i) + "\n";
  const std::string prog = kGoDir + "/echo";
  const RunResult n = native(prog, {}, {}, data);
  const RunResult g = run_gostep({"run", prog}, data);
  expect_same(n, g);
  EXPECT_EQ(g.out, data);
}

TEST(GoPrograms, PreemptNeedsAsynchronousPreemption) {
  // The busy goroutine gives the P back only when sysmon's SIGURG (tgkill)
  // lands and the handler's frame edit (rt_sigreturn) sends it to asyncPreempt.
  const RunResult g = run_gostep({"run", "--stats", kGoDir + "/preempt"});
  ASSERT_EQ(g.status, 0) << g.err;
  EXPECT_EQ(g.out, "main ran again while the busy goroutine was still looping\n");
  EXPECT_NE(g.err.find("    tgkill "), std::string::npos) << g.err;
  EXPECT_NE(g.err.find("    rt_sigreturn "), std::string::npos) << g.err;
}

TEST(GoPrograms, OtherQuantaAndCpuCountsGiveTheSameOutput) {
  const std::string prog = kGoDir + "/goroutines";
  const RunResult n = native(prog);
  for (const auto& opts : std::vector<std::vector<std::string>>{
           {"--quantum", "997"}, {"--ncpu", "1"}, {"--ncpu", "4", "--quantum", "50000"}}) {
    std::vector<std::string> a = {"run", prog};
    a.insert(a.end(), opts.begin(), opts.end());
    const RunResult g = run_gostep(a);
    SCOPED_TRACE(opts[0] + " " + opts[1]);
    expect_same(n, g);
  }
}

}  // namespace
}  // namespace gostep::test
