// Going backwards (engine/recording.h, engine/runner_reverse.cpp): every reverse
// command, breakpoints and watchpoints backwards, and the property that matters
// most: the state reached going past a moment and back is the state reached
// going forwards to it.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <algorithm>
#include <random>

#include "engine/state_json.h"
#include "engine_test_util.h"

namespace gostep::engine {
namespace {

using testing::command;
using testing::go_program;
using testing::run;
using testing::target;

// Everything a moment is: every thread's registers, the mapped memory, the Linux
// layer's threads and counters, and the gostep.dump/1 object.
std::string fingerprint(Target& t) {
  std::string s;
  Process& p = t.session().process();
  for (const auto& th : p.threads()) {
    s += fmt::format("thread {} state {} wait {} insns {} pending {:x} mask {:x}\n", th->tid, static_cast<int>(th->state),
                     static_cast<int>(th->wait), p.thread_insns(*th), th->pending, th->sigmask);
    const RegFile rf = p.regs_of(*th);
    for (int r = 0; r < kRegCount; ++r) s += fmt::format("{:x} ", rf.v[r]);
    s += "\n";
  }
  std::uint64_t hash = 1469598103934665603ULL;  // FNV-1a over every readable page
  std::vector<std::uint8_t> page(4096);
  for (const auto& m : p.memory().mappings()) {
    s += fmt::format("map {:x}-{:x} {}\n", m.start, m.end, m.prot);
    if (!(m.prot & kProtRead) || m.end - m.start > (256ULL << 20)) continue;
    for (GuestAddr a = m.start; a < m.end; a += page.size()) {
      if (!p.memory().peek(a, page.data(), page.size())) continue;
      for (auto b : page) hash = (hash ^ b) * 1099511628211ULL;
    }
  }
  const auto st = p.stats();
  s += fmt::format("memory {:x} insns {} ns {} threads {}\n", hash, st.insns, st.virtual_ns, st.threads_created);
  if (t.session().model()) s += dump_json(stop_info(t.session()), t.runtime_state(t.current_thread())).dump();
  return s;
}

TEST(EngineReverse, StateBackEqualsStateForwards) {
  std::mt19937_64 rng(7);  // fixed: the same indices on every run
  int futex_waits = 0;     // moments with a thread blocked in a futex, gone back to
  for (const char* prog : {"hello", "goroutines", "timers"}) {
    auto end = target(go_program(prog));
    run(*end, command(RunKind::cont));
    const std::uint64_t total = end->recording().recorded();
    ASSERT_GT(total, 1000u) << prog;
    auto t = target(go_program(prog));
    run(*t, command(RunKind::go_to, 1, fmt::format("insn:{}", total)));  // past every index below
    for (int k = 0; k < 4; ++k) {
      const std::uint64_t n = 1 + rng() % (total - 1);
      auto fwd = target(go_program(prog));
      run(*fwd, command(RunKind::go_to, 1, fmt::format("insn:{}", n)));
      const auto back = run(*t, command(RunKind::go_to, 1, fmt::format("insn:{}", n)));
      EXPECT_TRUE(back.has(StopCause::location_reached)) << prog << " " << n;
      EXPECT_EQ(back.recorded, total - 1);  // it went as far as before the last instruction (exit_group)
      EXPECT_EQ(fingerprint(*t), fingerprint(*fwd)) << prog << " at insn " << n;
      for (const auto& th : t->session().process().threads())
        futex_waits += th->state == ThreadState::blocked && th->wait == WaitKind::futex;
      EXPECT_TRUE(t->session().process().fds() == fwd->session().process().fds()) << prog << " at insn " << n;
      EXPECT_TRUE(t->session().process().vfs() == fwd->session().process().vfs()) << prog << " at insn " << n;
      run(*t, command(RunKind::go_to, 1, fmt::format("insn:{}", total)));
    }
  }
  EXPECT_GT(futex_waits, 0);  // going back across blocking futex waits (and thread switches) was tried
}

TEST(EngineReverse, ReverseStepiUndoesTheThreadsLastInstruction) {
  auto t = target(go_program("hello"));
  run(*t, command(RunKind::stepi, 60));
  auto ev = run(*t, command(RunKind::reverse_stepi));
  EXPECT_TRUE(ev.reverse);
  EXPECT_EQ(ev.insn, 60u);
  ASSERT_EQ(ev.steps.size(), 1u);  // the instruction undone, its effects as forwards
  EXPECT_EQ(ev.steps[0].insn, 60u);
  EXPECT_EQ(ev.steps[0].pc, ev.pc);
  auto fwd = target(go_program("hello"));
  run(*fwd, command(RunKind::stepi, 59));
  EXPECT_EQ(fingerprint(*t), fingerprint(*fwd));
  ev = run(*t, command(RunKind::reverse_stepi, 10));
  EXPECT_EQ(ev.insn, 50u);
  // At the very start there is nothing to undo.
  auto u = target(go_program("hello"));
  ev = run(*u, command(RunKind::reverse_stepi));
  EXPECT_TRUE(ev.has(StopCause::history_start));
  EXPECT_EQ(ev.insn, 1u);
}

TEST(EngineReverse, ReverseStepiOfAThreadSkipsTheOthers) {
  auto t = target(go_program("goroutines"));
  run(*t, command(RunKind::until, 1, "main.main"));
  const int main_tid = t->selected_thread();
  const auto fwd = run(*t, command(RunKind::stepi, 3000, "", false));  // other threads run in between
  ASSERT_TRUE(fwd.has(StopCause::step_done));
  ASSERT_EQ(fwd.tid, main_tid);
  ASSERT_GT(fwd.insn - 3000, t->thread(main_tid)->insns - 3000 + 0) << "no other thread ran";
  const auto before = t->thread(main_tid)->insns;
  const auto ev = run(*t, command(RunKind::reverse_stepi, 1, "", false));
  EXPECT_EQ(ev.tid, main_tid);
  EXPECT_EQ(t->thread(main_tid)->insns, before - 1);
}

TEST(EngineReverse, ReverseContinueFindsTheLastWriteOfAWatchedWord) {
  auto t = target(go_program("hello"));
  run(*t, command(RunKind::until, 1, "main.main"));
  ASSERT_TRUE(t->add_watchpoint("m0.tls[0]"));
  const auto ev = run(*t, command(RunKind::reverse_continue));
  ASSERT_EQ(ev.watchpoints.size(), 1u);
  const WatchHit& w = ev.watchpoints[0];
  EXPECT_EQ(ev.insn, w.writer_insn);  // standing just before the write
  EXPECT_EQ(ev.pc, w.writer_pc);
  ASSERT_TRUE(w.new_value);
  // Forwards from here, that instruction writes the new value; nothing after it changes the word.
  run(*t, command(RunKind::stepi, 1, "", false));
  EXPECT_EQ(t->evaluate("m0.tls[0]")->bits, w.new_value->bits);
  auto again = run(*t, command(RunKind::until, 1, "main.main"));
  EXPECT_TRUE(again.has(StopCause::location_reached));
  EXPECT_TRUE(again.watchpoints.empty());
}

TEST(EngineReverse, ReverseContinueStopsAtTheLastBreakpointBeforeNow) {
  auto t = target(go_program("hello"));
  run(*t, command(RunKind::until, 1, "main.main"));
  const auto main_insn = t->next_insn();
  ASSERT_TRUE(t->add_breakpoint("runtime.lock2", "", false));
  auto ev = run(*t, command(RunKind::reverse_continue));
  ASSERT_EQ(ev.breakpoints.size(), 1u);
  EXPECT_EQ(t->symbols().function_at(ev.pc)->name, "runtime.lock2");
  EXPECT_LT(ev.insn, main_insn);
  EXPECT_EQ(ev.recorded, main_insn - 1);
  // It was the last one: forwards from it, main.main comes before another lock2.
  ASSERT_TRUE(t->add_breakpoint("main.main", "", false));
  ev = run(*t, command(RunKind::cont));
  ASSERT_EQ(ev.breakpoints.size(), 1u);
  EXPECT_EQ(ev.breakpoints[0].number, 2);
  // With no breakpoint behind, reverse-continue goes to the start of the recording.
  auto u = target(go_program("hello"));
  run(*u, command(RunKind::stepi, 10));
  ev = run(*u, command(RunKind::reverse_continue));
  EXPECT_TRUE(ev.has(StopCause::history_start));
  EXPECT_EQ(ev.insn, 1u);
}

TEST(EngineReverse, ReverseFinishGoesBackToTheCall) {
  auto t = target(go_program("hello"));
  run(*t, command(RunKind::until, 1, "runtime.newproc1"));
  run(*t, command(RunKind::next, 3));
  const auto ev = run(*t, command(RunKind::reverse_finish));
  EXPECT_TRUE(ev.has(StopCause::location_reached));
  std::uint8_t code[16] = {};
  ASSERT_TRUE(t->read_memory(ev.pc, code, sizeof code));
  EXPECT_EQ(code[0], 0xe8);  // a CALL rel32...
  const auto callee = ev.pc + 5 + static_cast<std::int32_t>(code[1] | code[2] << 8 | code[3] << 16 | code[4] << 24);
  EXPECT_EQ(t->symbols().function_at(callee)->name, "runtime.newproc1");  // ...of newproc1
}

TEST(EngineReverse, ReverseNextAndStepGoBackByLine) {
  auto t = target(go_program("hello"));
  run(*t, command(RunKind::until, 1, "runtime.schedinit"));
  std::vector<std::uint64_t> at;
  for (int i = 0; i < 4; ++i) at.push_back(run(*t, command(RunKind::next)).insn);
  auto ev = run(*t, command(RunKind::reverse_next));
  EXPECT_EQ(ev.insn, at[2]);
  ev = run(*t, command(RunKind::reverse_next, 2));
  EXPECT_EQ(ev.insn, at[0]);
  // After a step into a call and a step out, reverse-step goes back into the callee's last line.
  auto u = target(go_program("hello"));
  ASSERT_TRUE(u->add_breakpoint("proc.go:242", "", false));  // unlockOSThread()
  run(*u, command(RunKind::cont));
  const auto after_call = run(*u, command(RunKind::next));
  ev = run(*u, command(RunKind::reverse_step));
  EXPECT_LT(ev.insn, after_call.insn);
  EXPECT_EQ(u->symbols().function_at(ev.pc)->name.rfind("runtime.unlockOSThread", 0), 0u);
}

TEST(EngineReverse, GotoLocIsItsLastExecutionBeforeNowOrTheFirstAfter) {
  auto t = target(go_program("hello"));
  auto ev = run(*t, command(RunKind::go_to, 1, "main.main"));  // not run yet: the first after now
  EXPECT_TRUE(ev.has(StopCause::location_reached));
  EXPECT_EQ(t->symbols().function_at(ev.pc)->name, "main.main");
  const auto recorded = ev.recorded;
  EXPECT_EQ(recorded + 1, ev.insn);
  ev = run(*t, command(RunKind::go_to, 1, "runtime.settls"));  // run once, before now
  EXPECT_EQ(ev.insn, 36u);
  EXPECT_EQ(ev.recorded, recorded);
  ev = run(*t, command(RunKind::go_to, 1, "milestone:gogo"));
  EXPECT_TRUE(ev.has(StopCause::location_reached));
}

// Going back restores a checkpoint in the same process (no new process, no
// re-execution from the entry), and `run` goes back to the checkpoint at 0.
TEST(EngineReverse, GoingBackRestoresACheckpointOfTheSameProcess) {
  auto t = target(go_program("hello"));
  const Process* first = &t->session().process();
  const auto end = run(*t, command(RunKind::cont));
  const auto at = t->recording().checkpoint_insns();
  ASSERT_GT(at.size(), 5u);
  EXPECT_EQ(at.front(), 0u);
  EXPECT_GT(t->recording().checkpoint_bytes(), 0u);
  run(*t, command(RunKind::go_to, 1, fmt::format("insn:{}", at[3] + 5)));
  EXPECT_EQ(&t->session().process(), first);
  EXPECT_EQ(t->next_insn(), at[3] + 5);
  // `run` from the start again, to the same end.
  const auto again = run(*t, command(RunKind::start));
  EXPECT_EQ(&t->session().process(), first);
  EXPECT_EQ(again.insn, end.insn);
  EXPECT_EQ(again.exit_status, end.exit_status);
  EXPECT_EQ(t->recording().checkpoint_insns(), at);  // the recording is kept
}

// reverse-continue searches the newest stretch first and goes on to older
// ones: a write several checkpoints back is the same one a forward run sees last.
TEST(EngineReverse, ReverseContinueFindsAWriteSeveralCheckpointsBack) {
  auto fwd = target(go_program("hello"));
  ASSERT_TRUE(fwd->add_watchpoint("runtime.m0.procid"));
  std::uint64_t last = 0;
  for (;;) {
    const auto ev = run(*fwd, command(RunKind::cont));
    if (ev.watchpoints.empty()) break;
    last = ev.watchpoints[0].writer_insn;
  }
  ASSERT_GT(last, 0u);
  auto t = target(go_program("hello"));
  run(*t, command(RunKind::until, 1, "main.main"));
  const auto at = t->recording().checkpoint_insns();
  ASSERT_GE(std::count_if(at.begin(), at.end(), [&](std::uint64_t c) { return c > last; }), 3);
  ASSERT_TRUE(t->add_watchpoint("runtime.m0.procid"));
  const auto ev = run(*t, command(RunKind::reverse_continue));
  ASSERT_EQ(ev.watchpoints.size(), 1u);
  EXPECT_EQ(ev.watchpoints[0].writer_insn, last);
  EXPECT_EQ(ev.insn, last);
}

// A run longer than kMaxCheckpoints checkpoints: older ones are thinned, evenly,
// and every moment is still reached exactly.
TEST(EngineReverse, ThinnedCheckpointsOfALongRunStillReachEveryMoment) {
  constexpr std::uint64_t kRun = 12'000'000;
  auto t = target(go_program("gcbench"));
  run(*t, command(RunKind::until, 1, fmt::format("insn:{}", kRun)));
  const auto at = t->recording().checkpoint_insns();
  ASSERT_EQ(at.size(), Recording::kMaxCheckpoints);
  EXPECT_LE(t->recording().checkpoint_bytes(), Recording::kMaxCheckpointBytes);
  std::uint64_t widest = 0;
  for (std::size_t k = 1; k < at.size(); ++k) widest = std::max(widest, at[k] - at[k - 1]);
  EXPECT_LT(widest, 3 * kRun / Recording::kMaxCheckpoints);  // no hole: the spacing stays even
  for (std::uint64_t n : {3'000'017ULL, 11'000'003ULL}) {
    run(*t, command(RunKind::go_to, 1, fmt::format("insn:{}", n)));
    auto fresh = target(go_program("gcbench"));
    fresh->recording().set_on(false);
    run(*fresh, command(RunKind::go_to, 1, fmt::format("insn:{}", n)));
    EXPECT_EQ(fingerprint(*t), fingerprint(*fresh)) << n;
  }
}

TEST(EngineReverse, RecordOffRefusesGoingBack) {
  auto t = target(go_program("hello"));
  t->recording().set_on(false);
  run(*t, command(RunKind::stepi, 5));
  EXPECT_FALSE(t->resume(command(RunKind::reverse_stepi)));
  EXPECT_FALSE(t->resume(command(RunKind::go_to, 1, "insn:2")));
}

}  // namespace
}  // namespace gostep::engine
