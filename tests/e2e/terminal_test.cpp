// Terminals and stdin end to end: a formatter-like program that reads stdin to
// its end and asks whether it is a terminal (through a pipe, a file and a
// pseudo-terminal, natively and under gostep); in `debug` the guest never sees
// a terminal; terminal settings the guest changes are given back at exit; a
// blocked read of stdin blocks only its own thread.
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "elf_patch.h"
#include "interactive.h"
#include "pty.h"
#include "subprocess.h"

namespace gostep::test {
namespace {

const std::string kGoDir = GOSTEP_GO_DIR;
const std::string kInput = "  first  \nsecond\n\n   third";

RunResult native(const std::string& prog, const std::string& stdin_data, const std::string& stdin_file = "") {
  RunSpec s;
  s.argv = {prog};
  s.env = std::vector<std::string>{};
  s.stdin_data = stdin_data;
  s.stdin_file = stdin_file;
  return run_program(s);
}

TEST(Terminal, AFilterReadsAPipeToItsEndAsNatively) {
  const std::string prog = kGoDir + "/filter";
  const RunResult n = native(prog, kInput);
  const RunResult g = run_gostep({"run", prog}, kInput);
  EXPECT_EQ(g.status, 0) << g.err;
  EXPECT_EQ(g.out, n.out);
  EXPECT_EQ(g.err, n.err);
  EXPECT_EQ(g.out, "   1  first\n   2  second\n   3  \n   4  third\n");
  EXPECT_NE(g.err.find("stdin is a terminal: false, stdout is a terminal: false"), std::string::npos) << g.err;
}

TEST(Terminal, AFilterReadsAFileAsNatively) {
  TempDir d;
  std::ofstream(d.file("in.txt")) << kInput;
  const std::string prog = kGoDir + "/filter";
  const RunResult n = native(prog, "", d.file("in.txt"));
  RunSpec s;
  s.argv = {GOSTEP_BINARY, "run", prog};
  s.stdin_file = d.file("in.txt");
  const RunResult g = run_program(s);
  EXPECT_EQ(g.status, 0) << g.err;
  EXPECT_EQ(g.out, n.out);
  EXPECT_EQ(g.err, n.err);
}

TEST(Terminal, InATerminalTheGuestSeesOneInRun) {
  const std::string prog = kGoDir + "/filter";
  const PtyResult n = run_in_pty({prog}, "typed line\n\x04");
  const PtyResult g = run_in_pty({GOSTEP_BINARY, "run", prog}, "typed line\n\x04");
  EXPECT_EQ(n.status, 0) << n.text;
  EXPECT_EQ(g.status, 0) << g.text;
  for (const PtyResult* r : {&n, &g}) {
    EXPECT_NE(r->text.find("stdin is a terminal: true, stdout is a terminal: true"), std::string::npos) << r->text;
    EXPECT_NE(r->text.find("stdin is a character device: true"), std::string::npos) << r->text;
    EXPECT_NE(r->text.find("   1  typed line"), std::string::npos) << r->text;
    EXPECT_NE(r->text.find("filter: 1 lines"), std::string::npos) << r->text;
  }
}

TEST(Terminal, InDebugTheGuestNeverSeesATerminal) {
  const PtyResult g = run_in_pty({GOSTEP_BINARY, "debug", kGoDir + "/filter", "--batch", "-ex", "continue"}, "");
  EXPECT_EQ(g.status, 0) << g.text;
  EXPECT_NE(g.text.find("stdin is a terminal: false, stdout is a terminal: false"), std::string::npos) << g.text;
  EXPECT_NE(g.text.find("filter: 0 lines"), std::string::npos) << g.text;
}

TEST(Terminal, SettingsTheGuestChangedAreGivenBackAtExit) {
  const std::string prog = std::string(GOSTEP_ASM_DIR) + "/termios";
  const PtyResult n = run_in_pty({prog}, "");
  EXPECT_EQ(n.status, 0);
  EXPECT_FALSE(n.echo_after) << "natively the program leaves echo off";
  const PtyResult g = run_in_pty({GOSTEP_BINARY, "run", prog}, "");
  EXPECT_EQ(g.status, 0) << g.text;
  EXPECT_NE(g.text.find("ok"), std::string::npos);
  EXPECT_TRUE(g.echo_after) << "gostep restores the terminal it found";
}

TEST(Terminal, ABlockedReadOfStdinBlocksOnlyItsThread) {
  // The line is sent only after the worker goroutine has reported: if the read
  // froze every guest thread, the report would never come.
  Interactive g({GOSTEP_BINARY, "run", kGoDir + "/readline"});
  ASSERT_TRUE(g.wait_for("worker done: 2262\n")) << g.out();
  g.write_stdin("hello\n");
  const RunResult r = g.finish();
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "worker done: 2262\nread \"hello\\n\" <nil>\n");
}

}  // namespace
}  // namespace gostep::test
