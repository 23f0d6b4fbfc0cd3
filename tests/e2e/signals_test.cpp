// Signals a user sends to `gostep run` reach the guest, as they reach the
// native program: signal.Notify handles SIGINT and SIGTERM; without a handler
// SIGINT and SIGHUP end it with 128+N; SIGQUIT prints Go's goroutine dump; a
// second SIGINT within a second that the guest has not taken stops gostep.
#include <gtest/gtest.h>

#include <csignal>
#include <string>
#include <thread>

#include "interactive.h"

namespace gostep::test {
namespace {

const std::string kProg = std::string(GOSTEP_GO_DIR) + "/waitsig";

// Starts waitsig (natively or under gostep), waits for "waiting", sends `sig`.
RunResult signalled(bool under_gostep, const std::string& mode, int sig, std::vector<std::string> extra = {}) {
  std::vector<std::string> argv;
  if (under_gostep) {
    argv = {GOSTEP_BINARY, "run"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    argv.push_back(kProg);
    if (!mode.empty()) argv.insert(argv.end(), {"--", mode});
  } else {
    argv = {kProg};
    if (!mode.empty()) argv.push_back(mode);
  }
  Interactive p(argv);
  if (!p.wait_for("waiting\n")) {
    RunResult r = p.finish(5);
    r.status = -2;
    return r;
  }
  // "waiting" is printed just before the receive: let the program get there.
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  p.signal(sig);
  return p.finish();
}

TEST(UserSignals, SignalNotifyGetsSigint) {
  const RunResult n = signalled(false, "", SIGINT);
  const RunResult g = signalled(true, "", SIGINT);
  EXPECT_EQ(n.status, 0);
  EXPECT_EQ(g.status, 0) << g.err;
  EXPECT_EQ(g.out, n.out);
  EXPECT_EQ(g.out, "waiting\ngot interrupt\n");
  EXPECT_EQ(g.err, "");
}

TEST(UserSignals, SignalNotifyGetsSigterm) {
  const RunResult g = signalled(true, "", SIGTERM);
  EXPECT_EQ(g.status, 0) << g.err;
  EXPECT_EQ(g.out, "waiting\ngot terminated\n");
}

TEST(UserSignals, WithoutAHandlerSigintAndSighupEndItAsNatively) {
  for (int sig : {SIGINT, SIGHUP}) {
    SCOPED_TRACE(sig);
    const RunResult n = signalled(false, "plain", sig);
    const RunResult g = signalled(true, "plain", sig);
    EXPECT_EQ(n.status, 128 + sig);
    EXPECT_EQ(g.status, 128 + sig) << g.err;
    EXPECT_EQ(g.out, "waiting\n");
    EXPECT_EQ(count_lines(g.err), 1) << g.err;
    EXPECT_NE(g.err.find("which the user sent"), std::string::npos) << g.err;
  }
}

TEST(UserSignals, SigquitPrintsGosGoroutineDump) {
  const RunResult n = signalled(false, "", SIGQUIT);
  const RunResult g = signalled(true, "", SIGQUIT);
  EXPECT_EQ(n.status, 2);
  EXPECT_EQ(g.status, 2) << g.err;
  for (const RunResult* r : {&n, &g}) {
    EXPECT_NE(r->err.find("SIGQUIT: quit"), std::string::npos) << r->err;
    EXPECT_NE(r->err.find("goroutine 1 [chan receive]:"), std::string::npos) << r->err;
    EXPECT_NE(r->err.find("main.main()"), std::string::npos) << r->err;
  }
}

TEST(UserSignals, ASecondSigintTheGuestDidNotTakeStopsGostep) {
  Interactive p({GOSTEP_BINARY, "run", kProg, "--", "ignore"});
  ASSERT_TRUE(p.wait_for("waiting\n"));
  p.signal(SIGINT);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  p.signal(SIGINT);
  const RunResult g = p.finish();
  EXPECT_EQ(g.status, 130);
  EXPECT_EQ(g.out, "waiting\n");
  EXPECT_NE(g.err.find("a second Ctrl-C (SIGINT) within a second"), std::string::npos) << g.err;
}

TEST(UserSignals, AnIgnoredSigintIsIgnored) {
  Interactive p({GOSTEP_BINARY, "run", kProg, "--", "ignore"});
  ASSERT_TRUE(p.wait_for("waiting\n"));
  p.signal(SIGINT);
  std::this_thread::sleep_for(std::chrono::milliseconds(1200));  // no second one within the second
  p.signal(SIGINT);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  p.signal(SIGTERM);
  const RunResult g = p.finish();
  EXPECT_EQ(g.status, 0) << g.err;
  EXPECT_EQ(g.out, "waiting\ngot terminated\n");
}

TEST(UserSignals, StatsShowWhereTheSignalArrived) {
  const RunResult g = signalled(true, "", SIGINT, {"--stats"});
  EXPECT_EQ(g.status, 0) << g.err;
  EXPECT_NE(g.err.find("  signal from user SIGINT before instruction "), std::string::npos) << g.err;
}

}  // namespace
}  // namespace gostep::test
