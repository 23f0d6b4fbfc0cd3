// queue-signal at the prompt: a signal.Notify program studied in `debug`. The
// signal goes to the program at the instruction where it was queued; goto
// re-enacts it there; bad signals are refused.
#include <gtest/gtest.h>

#include <string>

#include "subprocess.h"

namespace gostep::test {
namespace {

const std::string kProg = std::string(GOSTEP_GO_DIR) + "/waitsig";
// Past "waiting": the program sits in `<-c` (a few hundred thousand instructions in),
// and --max-insns bounds a run whose signal would be lost.
const std::vector<std::string> kStart = {"debug", kProg, "--batch", "--max-insns", "60000000", "-ex", "goto insn:5000000"};

RunResult debug(std::vector<std::string> ex) {
  std::vector<std::string> args = kStart;
  for (auto& e : ex) args.insert(args.end(), {"-ex", e});
  return run_gostep(args);
}

TEST(QueueSignal, SignalNotifyGetsItInDebug) {
  const RunResult r = debug({"queue-signal SIGINT", "continue"});
  EXPECT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("SIGINT queued for the program: it arrives before instruction 5,000,000"), std::string::npos)
      << r.out;
  EXPECT_NE(r.err.find("waiting\ngot interrupt\n"), std::string::npos) << r.err;  // the guest's stdout is stderr here
  EXPECT_NE(r.out.find("exited normally"), std::string::npos) << r.out;
}

TEST(QueueSignal, NamesAndNumbersAndAPlainProgramDies) {
  std::vector<std::string> args = {"debug", kProg, "--batch", "--max-insns", "60000000", "-ex", "goto insn:5000000",
                                   "-ex", "queue-signal 2", "-ex", "continue", "-ex", "continue", "-ex", "continue", "--", "plain"};
  const RunResult r = run_gostep(args);
  EXPECT_NE(r.out.find("SIGINT queued"), std::string::npos) << r.out;
  // Go's dieFromSignal raises SIGINT itself, twice (the second time with the
  // default action): the debugger stops for each (the program's own signals,
  // as gdb does), and the third continue ends it.
  EXPECT_NE(r.out.find("received signal SIGINT"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("ended by signal 2 (SIGINT), which the user sent"), std::string::npos) << r.out;
  EXPECT_EQ(r.err.find("got"), std::string::npos) << r.err;
  for (const char* bad : {"queue-signal", "queue-signal SIGNOPE", "queue-signal 99", "queue-signal KILL"}) {
    const RunResult b = debug({bad});
    EXPECT_EQ(b.status, 1) << bad;
    EXPECT_NE(b.err.find("queue"), std::string::npos) << bad << "\n" << b.err << b.out;
  }
}

TEST(QueueSignal, GotoReenactsItWhereItCame) {
  // Queue at 5,000,000, step on, go back to 5,000,100 (re-executing from the
  // entry): the signal is queued again at 5,000,000, so the program gets it and
  // ends; without it, it would wait until --max-insns.
  const RunResult r = debug({"queue-signal INT", "stepi 200", "goto insn:5000100", "continue"});
  EXPECT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("exited normally"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("got interrupt"), std::string::npos) << r.err;
  // Back to before it: forgotten, and the program waits until --max-insns.
  const RunResult before = debug({"queue-signal INT", "goto insn:4000000", "continue"});
  EXPECT_EQ(before.err.find("got interrupt"), std::string::npos) << before.err;
  EXPECT_EQ(before.out.find("exited normally"), std::string::npos) << before.out;
}

}  // namespace
}  // namespace gostep::test
