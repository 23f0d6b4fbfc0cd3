// The prompt over the debugger engine, as a user drives it (issue 7's list):
// temporaries gone, every running command honouring breakpoints and watchpoints,
// continue N, net effects of calls, blocked threads, the entry breakpoint, insn
// numbers in stop lines, Ctrl-C, --batch exit statuses, SIGFPE, kernel writes,
// usage errors, and complete JSON for every command.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include <csignal>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "subprocess.h"

namespace gostep::test {
namespace {

RunResult debug(const std::string& prog, const std::vector<std::string>& commands, bool json = false,
                const std::string& stdin_data = "", std::vector<std::pair<int, int>> signals = {}) {
  RunSpec s;
  s.argv = {GOSTEP_BINARY, "debug", prog};
  if (stdin_data.empty()) s.argv.push_back("--batch");
  if (json) s.argv.push_back("--json");
  for (const auto& c : commands) {
    s.argv.push_back("-ex");
    s.argv.push_back(c);
  }
  s.stdin_data = stdin_data;
  s.signals = std::move(signals);
  s.timeout_seconds = 60;
  char old[4096];
  if (!::getcwd(old, sizeof old) || ::chdir(GOSTEP_GO_DIR) != 0) throw std::runtime_error("chdir");
  RunResult r = run_program(s);
  if (::chdir(old) != 0) throw std::runtime_error("chdir back");
  return r;
}

std::string asm_fixture(const char* name) { return std::string(GOSTEP_ASM_DIR) + "/" + name; }

#define EXPECT_HAS(text, part) EXPECT_NE((text).find(part), std::string::npos) << "no \"" << (part) << "\" in:\n" << (text)
#define EXPECT_LACKS(text, part) EXPECT_EQ((text).find(part), std::string::npos) << "\"" << (part) << "\" in:\n" << (text)

TEST(DebugEngine, TemporaryBreakpointThatWasHitIsGone) {
  const auto r = debug("./hello", {"tbreak runtime.lock2", "continue", "info breakpoints", "set show-effects off",
                                   "stepi 200000"});
  ASSERT_FALSE(r.timed_out);
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_HAS(r.out, "Temporary breakpoint 1, 0x");
  EXPECT_HAS(r.out, "No breakpoints, watchpoints or catchpoints.");
  // stepi 200000 from there passes lock2 many times without stopping at it.
  const auto last = r.out.rfind("[thread 1000, insn ");
  EXPECT_HAS(r.out.substr(last), "insn 234691]");  // 200,000 of thread 1000's, and those of the others
  EXPECT_EQ(r.out.find("Temporary breakpoint 1, 0x"), r.out.rfind("Temporary breakpoint 1, 0x"));
}

TEST(DebugEngine, NextReportsAWatchpointOnTheWay) {
  const auto r = debug("./hello", {"watch g0.stack.lo", "break runtime.rt0_go", "continue", "next 12"});
  ASSERT_FALSE(r.timed_out);
  EXPECT_EQ(r.status, 0) << r.err;
  const auto next = r.out.find("Breakpoint 2, ");
  ASSERT_NE(next, std::string::npos) << r.out;
  EXPECT_HAS(r.out.substr(next), "Watchpoint 1: g0.stack.lo\n\nOld value = 0x0\nNew value = 0x7ffffffeee68\n");
  EXPECT_HAS(r.out.substr(next), "Written by 0x45ab2f runtime.rt0_go.abi0+0x2f: movq %rbx, (%rdi)");
}

TEST(DebugEngine, ContinueNIgnoresTheCurrentBreakpointAsGdbDoes) {
  const auto r = debug("./hello", {"break runtime.lock2", "continue", "continue 3", "info breakpoints"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_HAS(r.out, "Will ignore next 2 crossings of breakpoint 1.  Continuing.");
  EXPECT_HAS(r.out, "breakpoint already hit 4 times");
}

TEST(DebugEngine, NextiOverNewprocShowsTheNetEffect) {
  // insn 149214 is rt0_go's CALL runtime·newproc (the one before newproc.abi0's first).
  const auto r = debug("./hello", {"until insn:149214", "x/i $pc", "nexti"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_HAS(r.out, "=> 0x45ac24 <runtime.rt0_go.abi0+292>: call");
  EXPECT_HAS(r.out, "(net effect: ");
  EXPECT_HAS(r.out, "   field   allp[0].runnext: null -> 0xc0000061a0\n");
  EXPECT_HAS(r.out, "   field   g(goid=1).status: (none) -> _Grunnable\n");
  EXPECT_HAS(r.out, "other words written\n");
  EXPECT_HAS(r.out, "0x45ac29 in runtime.rt0_go.abi0+0x129 at asm_amd64.s:351   [thread 1000, insn 158748]");
}

TEST(DebugEngine, SteppingABlockedThreadSaysSoAndStopsBeforeTheExit) {
  const auto r = debug("./hello", {"until main.main", "info threads", "thread 1001", "stepi"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_HAS(r.out, "thread 1001 is blocked in sleep: running the others until it runs");
  // Wrapped at 100 columns, after the "; ".
  EXPECT_HAS(r.out, "The program is about to end: thread 1000 is making exit_group;\n    stopped before it");
  EXPECT_HAS(r.out, "in runtime.exit.abi0+0x9 at sys_linux_amd64.s:59   [thread 1000, insn 333376]");
  EXPECT_LACKS(r.out, "exited normally");
  EXPECT_LACKS(r.out, "addb %al, (%rax)");  // never a made-up instruction
}

TEST(DebugEngine, RunStopsAtABreakpointOnTheFirstInstruction) {
  const auto r = debug("./hello", {"break milestone:entry", "run"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_HAS(r.out, "Breakpoint 1, 0x45e500 in _rt0_amd64_linux at rt0_linux_amd64.s:8   [thread 1000, insn 1]");
  EXPECT_LACKS(r.out, "exited normally");
}

TEST(DebugEngine, CtrlCStopsTheGuestAndThePromptGoesOn) {
  // The loop fixture spins forever: Ctrl-C (SIGINT to gostep) stops it and the prompt reads on.
  // Several Ctrl-Cs, spread out, so that one lands while the guest runs however slow the start
  // (a sanitizer build on a busy machine); the others land at the prompt and only drop a line.
  // None before 2 s: until main() has installed the handler a SIGINT kills gostep, and the ASan
  // build, with Graphviz's libraries to load, took about a second to reach main() on a busy machine.
  const auto r = debug(asm_fixture("loop"), {}, false, "continue\nquit\n",
                       {{2000, SIGINT}, {4000, SIGINT}, {8000, SIGINT}, {16000, SIGINT}, {32000, SIGINT}});
  ASSERT_FALSE(r.timed_out) << r.out << r.err;
  EXPECT_EQ(r.status, 0) << r.err;  // never killed by SIGINT
  EXPECT_HAS(r.out, "Interrupted (Ctrl-C).");
  EXPECT_HAS(r.out, "in spin_forever");
}

TEST(DebugEngine, BatchExitStatusSaysWhetherACommandFailed) {
  EXPECT_EQ(debug("./hello", {"stepi", "continue"}).status, 0);  // the guest's own status is in its report
  EXPECT_EQ(debug("./hello", {"stepi abc", "info tls"}).status, 1);
  EXPECT_EQ(debug("./hello", {"until insn:0"}).status, 1);  // a usage error is one, never 124
  // An error in a -x script ends that script (as in gdb); later -ex commands still run.
  char path[] = "/tmp/gostep-script-XXXXXX";
  const int fd = ::mkstemp(path);
  ASSERT_GE(fd, 0);
  const std::string script = "stepi\nbogus\necho not reached\\n\n";
  ASSERT_EQ(::write(fd, script.data(), script.size()), static_cast<ssize_t>(script.size()));
  ::close(fd);
  RunSpec s;
  s.argv = {GOSTEP_BINARY, "debug", std::string(GOSTEP_GO_DIR) + "/hello", "--batch", "-x", path, "-ex", "echo after\\n"};
  const auto r = run_program(s);
  ::unlink(path);
  EXPECT_EQ(r.status, 1);
  EXPECT_LACKS(r.out, "not reached");
  EXPECT_HAS(r.out, "after");
  EXPECT_HAS(r.err, "Undefined command: \"bogus\"");
  // -x with a directory is a usage error.
  s.argv = {GOSTEP_BINARY, "debug", std::string(GOSTEP_GO_DIR) + "/hello", "--batch", "-x", "/tmp"};
  const auto d = run_program(s);
  EXPECT_EQ(d.status, 125);
  EXPECT_HAS(d.err, "-x /tmp: is a directory");
}

TEST(DebugEngine, TraceCommandsEchoesEachCommand) {
  const auto r = debug("./hello", {"set trace-commands on", "stepi 2", "info registers rip"});
  EXPECT_HAS(r.out, "+stepi 2\n");
  EXPECT_HAS(r.out, "+info registers rip\n");
}

TEST(DebugEngine, DivideErrorIsSigfpe) {
  const auto r = debug(asm_fixture("divzero"), {"continue", "continue"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_HAS(r.out, "Thread 1000 received signal SIGFPE, Arithmetic exception.");
  EXPECT_HAS(r.out, "in divide_here");
  EXPECT_HAS(r.out, "the guest died of signal 8 (SIGFPE)");
}

TEST(DebugEngine, KernelWritesNameTheirSystemCall) {
  // The time fixture's timespec `ts` is written by clock_gettime.
  const auto r = debug(asm_fixture("time"), {"watch *&ts@16", "continue"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_HAS(r.out, "Written by the kernel: clock_gettime, at 0x");
}

TEST(DebugEngine, EveryCommandsJsonIsComplete) {
  const auto r = debug("./hello", {"catch syscall arch_prctl", "continue", "info g", "thread", "thread 1000",
                                   "until milestone:newproc_return", "info g 1", "info threads", "info breakpoints"},
                       true);
  EXPECT_EQ(r.status, 1) << r.err;  // `info g` before TLS fails (a JSON error object)
  std::vector<nlohmann::json> js;
  std::istringstream in(r.out);
  for (std::string l; std::getline(in, l);) js.push_back(nlohmann::json::parse(l));
  ASSERT_EQ(js.size(), 9u) << r.out;
  EXPECT_EQ(js[0]["catchpoint"]["type"], "catchpoint");
  EXPECT_EQ(js[0]["catchpoint"]["syscalls"][0], "arch_prctl");
  EXPECT_EQ(js[1]["stop"]["causes"][0], "catchpoint");
  EXPECT_EQ(js[1]["stop"]["catchpoint"]["syscall"], "arch_prctl");
  EXPECT_EQ(js[1]["stop"]["insn"], 44);
  EXPECT_EQ(js[2]["ok"], false);  // no g in TLS yet: an error, with its message
  EXPECT_EQ(js[3]["thread"], 1000);
  EXPECT_EQ(js[4]["where"]["tid"], 1000);
  EXPECT_EQ(js[6]["g"]["goid"], 1);
  EXPECT_EQ(js[6]["g"]["status_name"], "_Grunnable");
  EXPECT_EQ(js[7]["threads"][0]["tid"], 1000);
  EXPECT_EQ(js[8]["breakpoints"][0]["hits"], 1);
}

}  // namespace
}  // namespace gostep::test
