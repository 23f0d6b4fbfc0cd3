// Going backwards at the prompt, as a lecture does it: "which instruction put
// 0x123 there?", the stop line that says the session is in the past, reverse
// stepping with the effects undone, `run` back to the start, `info record`.
#include <gtest/gtest.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "elf_patch.h"
#include "subprocess.h"

namespace gostep::test {
namespace {

RunResult debug_hello(const std::vector<std::string>& commands) {
  RunSpec s;
  s.argv = {GOSTEP_BINARY, "debug", "./hello", "--batch"};
  for (const auto& c : commands) {
    s.argv.push_back("-ex");
    s.argv.push_back(c);
  }
  s.timeout_seconds = 120;
  char old[4096];
  if (!::getcwd(old, sizeof old) || ::chdir(GOSTEP_GO_DIR) != 0) throw std::runtime_error("chdir");
  RunResult r = run_program(s);
  if (::chdir(old) != 0) throw std::runtime_error("chdir back");
  return r;
}

#define EXPECT_HAS(text, part) EXPECT_NE((text).find(part), std::string::npos) << "no \"" << (part) << "\" in:\n" << (text)

TEST(DebugReverse, WhichInstructionPutThatThere) {
  const auto r = debug_hello({"until milestone:m0_g0", "watch m0.tls[0]", "reverse-continue", "reverse-continue",
                              "info record"});
  EXPECT_EQ(r.status, 0) << r.err;
  // The last write: g0 stored in TLS (MOVQ CX, g(BX)); the one before: the 0x123 probe.
  EXPECT_HAS(r.out, "Old value = 0x123\nNew value = 0x528760\nWritten by 0x45abdf runtime.rt0_go.abi0+0xdf: movq %rcx, %fs:-8");
  EXPECT_HAS(r.out, "0x45abdf in runtime.rt0_go.abi0+0xdf at asm_amd64.s:268   [thread 1000, insn 54 of 56 recorded]");
  EXPECT_HAS(r.out, "Old value = 0x0\nNew value = 0x123\nWritten by 0x45abb7 runtime.rt0_go.abi0+0xb7: movq $0x123, %fs:-8");
  EXPECT_HAS(r.out, "[thread 1000, insn 49 of 56 recorded]");
  EXPECT_HAS(r.out, "Instructions recorded: 56.");
}

TEST(DebugReverse, ReverseStepiShowsTheEffectsUndone) {
  const auto r = debug_hello({"until milestone:g0_m", "reverse-stepi"});
  EXPECT_EQ(r.status, 0) << r.err;
  // The instruction before g0_m is MOVQ AX, g_m(CX): undone, g0.m goes back to nil.
  EXPECT_HAS(r.out, "   0x45abf2 runtime.rt0_go.abi0+0xf2   movq %rax, 0x30(%rcx)   (undone)\n");
  EXPECT_HAS(r.out, "   mem     0x528790 runtime.g0.m: 0x528ac0 -> 0x0\n");
  EXPECT_HAS(r.out, "   field   g0.m: 0x528ac0 -> null\n");
  EXPECT_HAS(r.out, "[thread 1000, insn 57 of 57 recorded]");
}

TEST(DebugReverse, ForwardFromThePastIsWhatHappenedBefore) {
  const auto r = debug_hello({"until milestone:newproc_return", "goto insn:100", "info registers rip", "goto insn:158748",
                              "info registers rip", "run", "info record"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_HAS(r.out, "[thread 1000, insn 100 of 158,747 recorded]");
  EXPECT_HAS(r.out, "0x45ac29 in runtime.rt0_go.abi0+0x129 at asm_amd64.s:351   [thread 1000, insn 158748]");
  EXPECT_HAS(r.out, "[Inferior 1 (process 1000) exited normally]");
}

// `goto insn:N` from the end of a recorded session (a checkpoint restored,
// then re-execution) and `gostep dump --at insn:N` (one run forwards) give
// the same gostep.dump/1 object, for moments across the whole run.
TEST(DebugReverse, GotoGivesTheStateDumpGivesForEveryN) {
  const std::vector<std::uint64_t> ns = {1, 49, 5'000, 90'001, 158'748, 250'003, 333'000};
  std::vector<std::string> cmds = {"continue"};
  for (auto it = ns.rbegin(); it != ns.rend(); ++it) cmds.push_back("goto insn:" + std::to_string(*it));
  std::vector<std::string> args = {GOSTEP_BINARY, "debug", "./hello", "--batch", "--json"};
  for (const auto& c : cmds) args.insert(args.end(), {"-ex", c});
  std::vector<std::string> dump_args = {GOSTEP_BINARY, "dump", "./hello", "--json"};
  for (auto n : ns) dump_args.insert(dump_args.end(), {"--at", "insn:" + std::to_string(n)});
  auto in_go_dir = [](std::vector<std::string> argv) {
    RunSpec s;
    s.argv = std::move(argv);
    s.cwd = GOSTEP_GO_DIR;
    s.timeout_seconds = 120;
    return run_program(s);
  };
  const RunResult debug = in_go_dir(args);
  const RunResult dump = in_go_dir(dump_args);
  ASSERT_EQ(dump.status, 0) << dump.err;
  std::map<std::uint64_t, nlohmann::json> by_goto, by_dump;
  std::istringstream dl(debug.out), ml(dump.out);
  for (std::string line; std::getline(dl, line);) {
    const auto j = nlohmann::json::parse(line);
    if (j.contains("command") && j["command"].get<std::string>().rfind("goto ", 0) == 0)
      by_goto[j["dump"]["stop"]["insn"].get<std::uint64_t>()] = j["dump"];
  }
  for (std::string line; std::getline(ml, line);) {
    const auto j = nlohmann::json::parse(line);
    by_dump[j["stop"]["insn"].get<std::uint64_t>()] = j;
  }
  ASSERT_EQ(by_dump.size(), ns.size()) << dump.out;
  for (auto n : ns) {
    ASSERT_TRUE(by_goto.count(n)) << "no goto to " << n << " in:\n" << debug.out;
    EXPECT_EQ(by_goto[n], by_dump[n]) << "at insn " << n;
  }
}

TEST(DebugReverse, ReverseCommandsAtThePrompt) {
  const auto r = debug_hello({"break runtime.newproc1", "continue", "next 2", "reverse-next", "reverse-finish",
                              "reverse-nexti", "rsi 3", "rc", "set record off", "rsi"});
  EXPECT_EQ(r.status, 1);  // the last: not recording
  EXPECT_HAS(r.err, "Target is not recording");
  EXPECT_HAS(r.out, "in runtime.newproc.func1");
  EXPECT_HAS(r.out, "Breakpoint 1, ");
}

}  // namespace
}  // namespace gostep::test

namespace gostep::test {
namespace {

// Outside effects happen once: going back re-executes from the entry, but what
// the guest wrote is not written again and what it read reads the same (the
// --stdin file has been read to its end by then).
RunResult debug_echo(const std::string& dir, const std::vector<std::string>& commands) {
  std::vector<std::string> args = {"debug", std::string(GOSTEP_GO_DIR) + "/echo", "--batch", "--stdin", dir + "/in"};
  for (const auto& c : commands) args.insert(args.end(), {"-ex", c});
  return run_gostep(args);
}

std::size_t count(const std::string& text, const std::string& part) {
  std::size_t n = 0;
  for (std::size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
  return n;
}

TEST(DebugReverse, OutputIsWrittenOnceAndInputReadsTheSame) {
  TempDir dir;
  write_bytes(dir.file("in"), {'a', 'b', 'c', '\n'}, false);
  const RunResult back = debug_echo(dir.path(), {"continue", "goto insn:1000", "continue", "reverse-stepi 3", "continue"});
  EXPECT_EQ(back.status, 0) << back.out << back.err;
  EXPECT_EQ(count(back.out, "exited normally"), 3u) << back.out;
  EXPECT_EQ(count(back.err, "abc\n"), 1u) << back.err;
  EXPECT_EQ(count(back.err, "echo: 4 bytes"), 1u) << back.err;
  // `run` is a new run: its output is shown again, from the same input.
  const RunResult again = debug_echo(dir.path(), {"continue", "run"});
  EXPECT_EQ(count(again.err, "abc\necho: 4 bytes\n"), 2u) << again.err;
}

}  // namespace
}  // namespace gostep::test
