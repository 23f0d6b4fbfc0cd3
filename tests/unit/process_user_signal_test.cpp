// Process::queue_user_signal, the API behind `gostep run`'s forwarded signals
// and the prompt's `queue-signal`: a signal queued at an instruction boundary
// reaches a Go program waiting in signal.Notify, and --stats records where.
// The guest's stdout goes to a fake host (tests/unit/fake_host.h).
#include <gtest/gtest.h>

#include <csignal>
#include <memory>

#include "emulator/elf_image.h"
#include "emulator/process.h"
#include "fake_host.h"

namespace gostep {
namespace {

struct GoRun {
  ElfImage image;
  std::shared_ptr<test::FakeHost> host = std::make_shared<test::FakeHost>();
  std::unique_ptr<Process> p;
  explicit GoRun(const std::string& name, std::vector<std::string> args = {})
      : image(load_elf(std::string(GOSTEP_FIXTURES_DIR) + "/go/" + name)) {
    ProcessOptions o;
    o.argv = {"./" + name};
    o.argv.insert(o.argv.end(), args.begin(), args.end());
    o.host_io = host;
    p = std::make_unique<Process>(image, o);
  }
  // Runs a million instructions at a time until stdout shows `text`.
  bool run_until_output(const std::string& text) {
    for (std::uint64_t n = 1'000'000; n < 500'000'000; n += 1'000'000) {
      p->stop_before_insn(n);
      const StopReason r = p->run();
      if (r.kind != StopKind::insn_reached) return false;
      if (host->out.find(text) != std::string::npos) return true;
    }
    return false;
  }
};

TEST(ProcessUserSignal, SigintReachesSignalNotify) {
  GoRun g("waitsig");
  ASSERT_TRUE(g.run_until_output("waiting\n"));
  const std::uint64_t at = g.p->insn_count();
  g.p->queue_user_signal(SIGINT);
  EXPECT_TRUE(g.p->signal_pending(SIGINT));
  g.p->stop_before_insn(std::nullopt);
  const StopReason r = g.p->run();
  EXPECT_EQ(r.kind, StopKind::exited);
  EXPECT_EQ(r.exit_status, 0);
  EXPECT_EQ(g.host->out, "waiting\ngot interrupt\n");
  const auto stats = g.p->stats();
  ASSERT_EQ(stats.user_signals.size(), 1u);
  EXPECT_EQ(stats.user_signals[0].sig, SIGINT);
  EXPECT_EQ(stats.user_signals[0].insn, at);
}

TEST(ProcessUserSignal, WithoutAHandlerSigintEndsItWith130) {
  GoRun g("waitsig", {"plain"});
  ASSERT_TRUE(g.run_until_output("waiting\n"));
  g.p->queue_user_signal(SIGINT);
  g.p->stop_before_insn(std::nullopt);
  const StopReason r = g.p->run();
  EXPECT_EQ(r.kind, StopKind::killed);
  EXPECT_EQ(r.signal, SIGINT);
  EXPECT_EQ(r.exit_status, 130);
}

TEST(ProcessUserSignal, AnIgnoredSignalStaysNowhere) {
  GoRun g("waitsig", {"ignore"});
  ASSERT_TRUE(g.run_until_output("waiting\n"));
  g.p->queue_user_signal(SIGINT);
  // One more slice: SIG_IGN discards it at delivery.
  g.p->stop_before_insn(g.p->insn_count() + 1'000'000);
  EXPECT_EQ(g.p->run().kind, StopKind::insn_reached);
  EXPECT_FALSE(g.p->signal_pending(SIGINT));
  EXPECT_EQ(g.host->out, "waiting\n");
  g.p->queue_user_signal(SIGTERM);
  g.p->stop_before_insn(std::nullopt);
  const StopReason r = g.p->run();
  EXPECT_EQ(r.kind, StopKind::exited);
  EXPECT_EQ(g.host->out, "waiting\ngot terminated\n");
}

TEST(ProcessUserSignal, TheGuestsUserIsTheFixedOne) {
  GoRun g("whoami", {"-values"});
  g.p->stop_before_insn(std::nullopt);
  const StopReason r = g.p->run();
  ASSERT_EQ(r.kind, StopKind::exited) << r.detail;
  EXPECT_NE(g.host->out.find("user gopher 1000 1000 /home/gopher\n"), std::string::npos) << g.host->out;
  EXPECT_NE(g.host->out.find("host gostep\n"), std::string::npos);
  EXPECT_NE(g.host->out.find("wd /\n"), std::string::npos);
  EXPECT_NE(g.host->out.find("tmp /tmp\n"), std::string::npos);
  EXPECT_NE(g.host->out.find("pid 1000 ppid 1\n"), std::string::npos);
  EXPECT_NE(g.host->out.find("mtime 2009-11-10 23:00:00\n"), std::string::npos);
}

}  // namespace
}  // namespace gostep
