// engine::ProgramRun, `gostep run`'s engine: a data fault makes it run the
// program again from its entry (exact from the faulting block on), with the
// user's signals queued again where they came and the output not written
// twice; and the second-Ctrl-C rule. The guest's streams go to a fake host
// (tests/unit/fake_host.h). CountingModes.RunningAgainAtAFault... compares
// whole runs with instruction counting.
#include <gtest/gtest.h>

#include <csignal>
#include <memory>
#include <string>
#include <vector>

#include "engine/program_run.h"
#include "fake_host.h"

namespace gostep::engine {
namespace {

struct Fixture {
  std::shared_ptr<test::FakeHost> host = std::make_shared<test::FakeHost>();
  std::unique_ptr<ProgramRun> run;
  explicit Fixture(const std::string& name) {
    ProcessOptions o;
    o.argv = {"./" + name};
    o.host_io = host;
    run = std::make_unique<ProgramRun>(std::string(GOSTEP_FIXTURES_DIR) + "/go/" + name, o);
  }
  // Runs with the host's signals `first` arriving before the first instruction.
  RunEnd run_with(std::vector<int> first) {
    if (!first.empty()) run->request_interrupt();
    int calls = 0;
    return run->run([&] { return calls++ == 0 ? first : std::vector<int>{}; });
  }
};

TEST(ProgramRun, AFaultRunsTheProgramAgainAndItsOutputIsWrittenOnce) {
  Fixture f("panics");
  const RunEnd e = f.run_with({});
  EXPECT_EQ(e.reason.kind, StopKind::exited);
  EXPECT_EQ(e.reason.exit_status, 2);
  EXPECT_GT(e.reexecuted, 0u);
  EXPECT_LT(e.reexecuted, e.stats.insns);
  // stdout and stderr both: the line before the fault once, then Go's report.
  EXPECT_EQ(f.host->out.rfind("about to dereference nil\npanic: runtime error: invalid memory address or nil "
                              "pointer dereference\n[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x",
                              0),
            0u)
      << f.host->out;
  EXPECT_EQ(f.host->out.find("about to"), f.host->out.rfind("about to"));
}

TEST(ProgramRun, SignalsFromTheUserComeAgainAtTheSameInstructionWhenItRunsAgain) {
  Fixture f("panics");
  // SIGURG: the runtime has no handler yet at the entry, and its default is to ignore it.
  const RunEnd e = f.run_with({SIGURG});
  EXPECT_GT(e.reexecuted, 0u);
  ASSERT_EQ(e.stats.user_signals.size(), 1u);
  EXPECT_EQ(e.stats.user_signals[0].sig, SIGURG);
  EXPECT_EQ(e.stats.user_signals[0].insn, 0u);
  EXPECT_EQ(e.reason.exit_status, 2);
  EXPECT_EQ(f.host->out.find("about to"), f.host->out.rfind("about to"));
}

TEST(ProgramRun, ASecondSigintTheGuestHasNotTakenStopsGostep) {
  Fixture f("hello");
  const RunEnd e = f.run_with({SIGINT, SIGINT});
  EXPECT_TRUE(e.second_sigint);
  EXPECT_EQ(e.stats.insns, 0u);
}

TEST(ProgramRun, AProgramThatDoesNotFaultRunsOnce) {
  Fixture f("hello");
  const RunEnd e = f.run_with({});
  EXPECT_EQ(e.reason.kind, StopKind::exited);
  EXPECT_EQ(e.reexecuted, 0u);
  EXPECT_TRUE(e.places.empty());
  EXPECT_EQ(f.host->out, "hello, world\n");
}

// What ProgramRun relies on: without exact faults, a data fault spends the
// process, and asking it to run again says so again (not that it exited).
TEST(ProgramRun, ASpentProcessSaysItFaultedEveryTimeItIsAsked) {
  ProcessOptions o;
  o.argv = {"./panics"};
  o.host_io = std::make_shared<test::FakeHost>();
  o.counting = Counting::blocks;  // what `run` uses
  o.exact_faults = false;
  const ElfImage img = load_elf(std::string(GOSTEP_FIXTURES_DIR) + "/go/panics");
  Process p(img, o);
  const StopReason first = p.run();
  ASSERT_EQ(first.kind, StopKind::inexact_fault);
  const std::uint64_t count = p.insn_count();
  const StopReason again = p.run();
  EXPECT_EQ(again.kind, StopKind::inexact_fault);
  EXPECT_EQ(again.block_start, first.block_start);
  EXPECT_EQ(p.insn_count(), count) << "nothing ran after it";
}

}  // namespace
}  // namespace gostep::engine
