// The engine in-process: each RunCommand and each StopEvent kind, and the stop
// semantics every front end relies on (issue 7's list): breakpoints, watchpoints
// and catchpoints honoured by every command, temporaries gone from the process,
// ignore counts, net effects of calls, blocked threads, Ctrl-C.
#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <thread>

#include <fmt/format.h>

#include "engine_test_util.h"

namespace gostep::engine {
namespace {

using testing::asm_program;
using testing::command;
using testing::go_program;
using testing::run;
using testing::target;

GuestAddr addr_of(Target& t, const std::string& loc) {
  auto l = t.session().resolve(loc);
  EXPECT_TRUE(l) << l.error();
  return l ? l->addr : 0;
}

TEST(EngineRun, StepiRecordsEachInstructionsEffects) {
  auto t = target(go_program("hello"));
  const auto ev = run(*t, command(RunKind::stepi, 3));
  EXPECT_TRUE(ev.has(StopCause::step_done));
  ASSERT_EQ(ev.steps.size(), 3u);
  EXPECT_EQ(ev.steps[0].insn, 1u);
  EXPECT_EQ(ev.steps[0].pc, t->session().image().entry);
  EXPECT_EQ(ev.steps[2].insn, 3u);
  EXPECT_EQ(ev.insn, 4u);  // the next instruction
  EXPECT_EQ(t->next_insn(), 4u);
  // _rt0_amd64: MOVQ 0(SP), DI loads argc (1).
  EXPECT_EQ(ev.steps[1].after[Reg::rdi], 1u);
}

TEST(EngineRun, StepiWithoutEffectsRunsInOneGoToTheSamePlace) {
  auto a = target(go_program("hello"));
  auto b = target(go_program("hello"));
  const auto ea = run(*a, command(RunKind::stepi, 5000, "", false));
  for (int i = 0; i < 50; ++i) run(*b, command(RunKind::stepi, 100, "", true));
  EXPECT_TRUE(ea.steps.empty());
  EXPECT_EQ(a->next_insn(), b->next_insn());
  EXPECT_EQ(a->pc(a->selected_thread()), b->pc(b->selected_thread()));
}

TEST(EngineRun, UntilInsnAndLocReachTheirPlace) {
  auto t = target(go_program("hello"));
  auto ev = run(*t, command(RunKind::until, 1, "insn:58"));
  EXPECT_TRUE(ev.has(StopCause::location_reached));
  EXPECT_EQ(ev.insn, 58u);
  ev = run(*t, command(RunKind::until, 1, "milestone:schedinit_return"));
  EXPECT_TRUE(ev.has(StopCause::location_reached));
  EXPECT_EQ(ev.pc, addr_of(*t, "milestone:schedinit_return"));
  // An instruction that already ran is a usage error, and nothing runs.
  const auto before = t->next_insn();
  EXPECT_FALSE(t->resume(command(RunKind::until, 1, "insn:5")));
  EXPECT_FALSE(t->resume(command(RunKind::until, 1, "no.such.function")));
  EXPECT_EQ(t->next_insn(), before);
}

TEST(EngineRun, GotoBackwardsReachesTheSameStateAsForwards) {
  auto t = target(go_program("hello"));
  ASSERT_TRUE(t->add_breakpoint("runtime.lock2", "", false));  // a jump stops at nothing on the way
  run(*t, command(RunKind::until, 1, "milestone:newproc_return"));
  auto ev = run(*t, command(RunKind::go_to, 1, "insn:5000"));
  EXPECT_TRUE(ev.has(StopCause::location_reached));
  EXPECT_EQ(t->next_insn(), 5000u);
  const RegFile back = t->registers(t->selected_thread());
  auto u = target(go_program("hello"));
  run(*u, command(RunKind::go_to, 1, "insn:5000"));
  const RegFile fwd = u->registers(u->selected_thread());
  for (int r = 0; r < kRegCount; ++r) EXPECT_EQ(back.v[r], fwd.v[r]) << reg_name(static_cast<Reg>(r));
  // The breakpoint is still there for the next continue.
  ev = run(*t, command(RunKind::cont));
  EXPECT_TRUE(ev.has(StopCause::breakpoint));
}

TEST(EngineRun, NextiOverNewprocShowsTheCallsNetEffect) {
  auto t = target(go_program("hello"));
  run(*t, command(RunKind::until, 1, "runtime.newproc.abi0"));
  const auto entry = t->next_insn();
  auto u = target(go_program("hello"));
  run(*u, command(RunKind::until, 1, "insn:" + std::to_string(entry - 1)));  // on the CALL
  const auto ev = run(*u, command(RunKind::nexti));
  EXPECT_TRUE(ev.has(StopCause::step_done));
  EXPECT_EQ(ev.pc, addr_of(*u, "milestone:newproc_return"));
  ASSERT_EQ(ev.steps.size(), 1u);
  const Effects& fx = ev.steps[0];
  EXPECT_TRUE(fx.net);
  EXPECT_GT(fx.insns, 100u);
  bool runnext = false;
  for (const auto& f : fx.fields) runnext |= f.path == "allp[0].runnext";
  EXPECT_TRUE(runnext) << "the net effect names allp[0].runnext";
  bool named = false;
  for (const auto& w : fx.writes) named |= w.symbol == "allp[0].runnext";
  EXPECT_TRUE(named);
  EXPECT_GT(fx.unnamed_writes, 0u);
}

TEST(EngineRun, FinishReturnsToTheCallerWithTheNetEffect) {
  auto t = target(go_program("hello"));
  run(*t, command(RunKind::until, 1, "runtime.newproc1"));
  const auto ev = run(*t, command(RunKind::finish));
  EXPECT_TRUE(ev.has(StopCause::location_reached));
  EXPECT_EQ(ev.note, "returned from runtime.newproc1");
  ASSERT_TRUE(ev.net);
  EXPECT_EQ(t->symbols().function_at(ev.pc)->name, "runtime.newproc.func1");
  // In the outermost frame there is nowhere to return to.
  auto u = target(go_program("hello"));
  run(*u, command(RunKind::until, 1, "runtime.rt0_go"));
  EXPECT_FALSE(u->resume(command(RunKind::finish)));
}

TEST(EngineRun, StepAndNextGoByLine) {
  auto t = target(go_program("hello"));
  run(*t, command(RunKind::until, 1, "runtime.schedinit"));
  const auto line0 = t->symbols().source(t->pc(t->selected_thread()))->line;
  auto ev = run(*t, command(RunKind::next));
  EXPECT_TRUE(ev.has(StopCause::step_done));
  EXPECT_NE(t->symbols().source(ev.pc)->line, line0);
  EXPECT_EQ(t->symbols().function_at(ev.pc)->name, "runtime.schedinit");
  ev = run(*t, command(RunKind::step, 3));
  EXPECT_TRUE(ev.has(StopCause::step_done));
}

TEST(EngineRun, BreakpointAtTheEntryStopsTheStart) {
  auto t = target(go_program("hello"));
  ASSERT_TRUE(t->add_breakpoint("milestone:entry", "", false));
  auto ev = run(*t, command(RunKind::start));
  ASSERT_EQ(ev.breakpoints.size(), 1u);
  EXPECT_EQ(ev.insn, 1u);
  // A fresh target stops there on continue too; resuming from it steps over it.
  auto u = target(go_program("hello"));
  ASSERT_TRUE(u->add_breakpoint("milestone:entry", "", false));
  ev = run(*u, command(RunKind::cont));
  EXPECT_TRUE(ev.has(StopCause::breakpoint));
  EXPECT_EQ(ev.insn, 1u);
  ev = run(*u, command(RunKind::cont));
  EXPECT_TRUE(ev.has(StopCause::exited));
  EXPECT_EQ(ev.exit_status, 0);
}

TEST(EngineRun, TemporaryBreakpointIsGoneFromTheProcessToo) {
  auto t = target(go_program("hello"));
  ASSERT_TRUE(t->add_breakpoint("runtime.lock2", "", true));
  const GuestAddr lock2 = addr_of(*t, "runtime.lock2");
  auto ev = run(*t, command(RunKind::cont));
  ASSERT_EQ(ev.breakpoints.size(), 1u);
  EXPECT_TRUE(ev.breakpoints[0].temporary);
  EXPECT_TRUE(t->stops().all().empty());
  EXPECT_FALSE(t->session().process().has_breakpoint(lock2));
  ev = run(*t, command(RunKind::stepi, 200000, "", false));
  EXPECT_TRUE(ev.has(StopCause::step_done));
  EXPECT_TRUE(ev.breakpoints.empty());
}

TEST(EngineRun, ContinueNIgnoresOnlyTheCurrentBreakpoint) {
  auto t = target(go_program("hello"));
  ASSERT_TRUE(t->add_breakpoint("runtime.lock2", "", false));
  auto first = run(*t, command(RunKind::cont));
  ASSERT_EQ(first.breakpoints.size(), 1u);
  auto ev = run(*t, command(RunKind::cont, 3));
  ASSERT_EQ(ev.breakpoints.size(), 1u);
  EXPECT_EQ(ev.breakpoints[0].hits, 4);  // 1, two ignored, and this one
  EXPECT_EQ(t->stops().find(1)->ignore, 0u);
  // The same count by stepping over each crossing.
  auto u = target(go_program("hello"));
  ASSERT_TRUE(u->add_breakpoint("runtime.lock2", "", false));
  for (int i = 0; i < 4; ++i) run(*u, command(RunKind::cont));
  EXPECT_EQ(u->next_insn(), t->next_insn());
}

TEST(EngineRun, ConditionsHoldForEveryCommand) {
  auto t = target(go_program("hello"));
  // l (the lock's address) is never 0: the condition is false at every crossing.
  ASSERT_TRUE(t->add_breakpoint("runtime.lock2", "$rax == 0", false));
  auto ev = run(*t, command(RunKind::until, 1, "milestone:newproc_return"));
  EXPECT_TRUE(ev.has(StopCause::location_reached));
  EXPECT_EQ(t->stops().find(1)->hits, 0);
  // A condition on a path that is not readable yet is kept, not refused.
  auto u = target(go_program("hello"));
  EXPECT_TRUE(u->add_breakpoint("runtime.lock2", "allp[0].status == 1", false));
  EXPECT_FALSE(u->add_breakpoint("runtime.lock2", "nosuchname == 1", false));
  EXPECT_FALSE(u->add_breakpoint("runtime.lock2", "((", false));
}

TEST(EngineRun, NextHonoursWatchpoints) {
  auto t = target(go_program("hello"));
  ASSERT_TRUE(t->add_watchpoint("g0.stack.lo"));
  ASSERT_TRUE(t->add_breakpoint("runtime.rt0_go", "", false));
  run(*t, command(RunKind::cont));
  const auto ev = run(*t, command(RunKind::next, 12));
  ASSERT_EQ(ev.watchpoints.size(), 1u);
  const WatchHit& w = ev.watchpoints[0];
  ASSERT_TRUE(w.old_value && w.new_value);
  EXPECT_EQ(w.old_value->bits, 0u);
  EXPECT_NE(w.new_value->bits, 0u);
  EXPECT_EQ(w.new_value->bits, t->registers(t->selected_thread())[Reg::rbx]);  // MOVQ BX, stack.lo
  EXPECT_EQ(t->symbols().describe_code(w.writer_pc), "runtime.rt0_go.abi0+0x2f");
  EXPECT_EQ(w.writer_insn + 1, ev.insn);  // the stop is right after the writing instruction
}

TEST(EngineRun, WatchpointOnAPathWaitsUntilItExists) {
  auto t = target(go_program("hello"));
  ASSERT_TRUE(t->add_watchpoint("allp[0].runnext"));  // allp is empty until schedinit
  auto ev = run(*t, command(RunKind::cont));
  ASSERT_EQ(ev.watchpoints.size(), 1u);
  ev = run(*t, command(RunKind::cont));
  ASSERT_EQ(ev.watchpoints.size(), 1u);
  ASSERT_TRUE(ev.watchpoints[0].new_value);
  EXPECT_EQ(t->symbols().function_at(ev.watchpoints[0].writer_pc)->name, "runtime.runqput");
}

TEST(EngineRun, KernelWritesNameTheSystemCall) {
  auto t = target(asm_program("time"));
  GuestAddr ts = 0;  // the fixture's timespec in .bss (a local label)
  for (const auto& sym : t->session().image().symbols)
    if (sym.name == "ts") ts = sym.addr;
  ASSERT_NE(ts, 0u);
  ASSERT_TRUE(t->add_watchpoint(fmt::format("*{:#x}@16", ts)));
  const auto ev = run(*t, command(RunKind::cont));
  ASSERT_EQ(ev.watchpoints.size(), 1u);
  const WatchHit& w = ev.watchpoints[0];
  EXPECT_EQ(w.cause.kind, KernelCause::Kind::syscall);
  EXPECT_EQ(w.cause.syscall_nr, 228u);  // clock_gettime
  std::uint8_t code[2] = {};
  ASSERT_TRUE(t->read_memory(w.writer_pc, code, 2));
  EXPECT_EQ(code[0], 0x0f);  // the SYSCALL instruction itself, not RIP-2 of whatever
  EXPECT_EQ(code[1], 0x05);
}

TEST(EngineRun, CatchpointStopsAfterTheCall) {
  auto t = target(go_program("hello"));
  ASSERT_TRUE(t->add_catchpoint({"arch_prctl"}));
  const auto ev = run(*t, command(RunKind::cont));
  ASSERT_TRUE(ev.catchpoint);
  EXPECT_EQ(ev.catchpoint->syscall_nr, 158u);
  EXPECT_TRUE(ev.has(StopCause::catchpoint));
  EXPECT_EQ(t->symbols().function_at(ev.pc)->name, "runtime.settls.abi0");
  EXPECT_FALSE(t->add_catchpoint({"nosuchcall"}));
}

TEST(EngineRun, FaultSignalStopsBeforeDeliveryThenKills) {
  auto t = target(asm_program("divzero"));
  auto ev = run(*t, command(RunKind::cont));
  EXPECT_TRUE(ev.has(StopCause::signal));
  EXPECT_EQ(ev.signal, SIGFPE);
  EXPECT_EQ(t->symbols().function_at(ev.pc)->name, "divide_here");
  ev = run(*t, command(RunKind::cont));
  EXPECT_TRUE(ev.has(StopCause::killed));
  EXPECT_EQ(ev.exit_status, 128 + SIGFPE);
  EXPECT_TRUE(t->ended());
  EXPECT_FALSE(t->resume(command(RunKind::stepi)));  // not being run
  ev = run(*t, command(RunKind::start));  // run starts it again
  EXPECT_TRUE(ev.has(StopCause::signal));
}

TEST(EngineRun, GoNilDereferenceIsASignalStopThenGosOwnPanic) {
  auto t = target(go_program("panics"));
  auto ev = run(*t, command(RunKind::cont));
  ASSERT_TRUE(ev.has(StopCause::signal));
  EXPECT_EQ(ev.signal, SIGSEGV);
  // main.deref, inlined into main.main: `return n.next` reads through nil.
  const auto src = t->symbols().source(ev.pc);
  ASSERT_TRUE(src);
  EXPECT_EQ(src->short_form(), "main.go:9");
  ev = run(*t, command(RunKind::cont));  // Go's handler turns it into a panic: exit 2
  EXPECT_TRUE(ev.has(StopCause::exited));
  EXPECT_EQ(ev.exit_status, 2);
}

TEST(EngineRun, DeadlockAndMaxInsnsAreGostepsStops) {
  auto t = target(asm_program("deadlock"));
  auto ev = run(*t, command(RunKind::cont));
  EXPECT_TRUE(ev.has(StopCause::deadlock));
  EXPECT_EQ(ev.exit_status, 124);
  ProcessOptions o;
  o.max_insns = 1000;
  auto u = target(asm_program("loop"), o);
  ev = run(*u, command(RunKind::cont));
  EXPECT_TRUE(ev.has(StopCause::stopped_by_gostep));
  EXPECT_EQ(ev.insn, 1001u);
}

TEST(EngineRun, SteppingABlockedThreadRunsTheOthersAndStopsBeforeExit) {
  auto t = target(go_program("hello"));
  run(*t, command(RunKind::until, 1, "main.main"));
  int sleeper = 0;
  for (const auto& th : t->threads())
    if (!th.waiting.empty()) sleeper = th.tid;
  ASSERT_NE(sleeper, 0) << "hello has a blocked thread at main.main (sysmon sleeps)";
  ASSERT_TRUE(t->select_thread(sleeper));
  const auto ev = run(*t, command(RunKind::stepi));
  EXPECT_TRUE(ev.blocked);
  EXPECT_EQ(ev.blocked_tid, sleeper);
  EXPECT_TRUE(ev.has(StopCause::before_exit));
  EXPECT_FALSE(ev.has(StopCause::exited));
  EXPECT_FALSE(t->ended());
  EXPECT_TRUE(ev.steps.empty());  // its instruction never ran: no made-up effects
  std::uint8_t code[2] = {};
  ASSERT_TRUE(t->read_memory(ev.pc, code, 2));
  EXPECT_EQ(code[0], 0x0f);  // stopped on the exit_group SYSCALL
  const auto end = run(*t, command(RunKind::cont));
  EXPECT_TRUE(end.has(StopCause::exited));
}

TEST(EngineRun, InterruptStopsARunningCommand) {
  auto t = target(asm_program("loop"));
  std::thread ctrl_c([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    t->request_interrupt();
  });
  const auto ev = run(*t, command(RunKind::cont));
  ctrl_c.join();
  EXPECT_TRUE(ev.has(StopCause::interrupted));
  EXPECT_FALSE(t->ended());
  // At the prompt (nothing running) a request is dropped: the next command is not cut short.
  t->request_interrupt();
  const auto next = run(*t, command(RunKind::stepi, 10));
  EXPECT_TRUE(next.has(StopCause::step_done));
}

}  // namespace
}  // namespace gostep::engine
