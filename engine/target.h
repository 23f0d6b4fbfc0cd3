// The debugger engine's one object (LLDB's SBTarget, Delve's proc.Target): it
// owns the session under study, keeps the selected thread and frame, the stop
// table and the value history, evaluates expressions, unwinds stacks, and runs
// the guest: resume(RunCommand) -> StopEvent. Front ends (the prompt, the tour,
// later a gdb stub or DAP server) reach the process only through it, and turn
// what it returns into text or JSON themselves.
#pragma once

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/eval.h"
#include "engine/goroutines.h"
#include "engine/locals.h"
#include "engine/sources.h"
#include "engine/milestone_timeline.h"
#include "engine/stack.h"
#include "engine/stop_event.h"
#include "engine/stops.h"
#include "runtime_model/result.h"
#include "session/session.h"

namespace gostep::engine {

struct ThreadInfo {
  int tid = 0;
  ThreadState state = ThreadState::runnable;
  std::string waiting;  // "" when runnable; "futex wait", "sleep", "epoll wait", "yield"
  GuestAddr pc = 0;
  std::uint64_t insns = 0;  // instructions it executed
};

// How the engine says a thread waits ("futex wait").
std::string wait_name(const Thread& t);

class Target {
 public:
  // Loads PROG (throws LoadError, with the exit status, for files it cannot run).
  Target(const std::string& path, ProcessOptions options);
  ~Target();
  Target(const Target&) = delete;
  Target& operator=(const Target&) = delete;

  // The program: symbols, DWARF, the runtime model, milestones, LOCs.
  Session& session() { return s_; }
  const model::Symbolizer& symbols() const { return s_.symbols(); }

  // --- where the guest stands ---
  // The program is not being run: it exited or was killed (run starts it again).
  bool ended() { return killed_ || s_.process().ended(); }
  int pid() { return s_.process().pid(); }
  std::uint64_t next_insn() { return s_.process().insn_count() + 1; }
  std::uint64_t insns_run() { return s_.process().insn_count(); }
  int current_thread() { return s_.process().current().tid; }
  int selected_thread() const { return selected_tid_; }
  // Selects a live thread; false (and nothing changes) when there is none with that id.
  bool select_thread(int tid);
  int selected_frame() const { return selected_frame_; }
  void select_frame(int level) { selected_frame_ = level; }
  // --- goroutines (Delve's `goroutine N`): selecting one shows its stack and
  // variables; a parked one is unwound from g.sched. Running the guest or
  // selecting a thread drops the selection (back to the thread's own goroutine).
  std::optional<std::int64_t> selected_goroutine() const { return selected_goid_; }
  bool select_goroutine(std::int64_t goid);  // false (nothing changes) when there is none
  // The goroutine the selection shows: the chosen one, else the one the selected
  // thread runs; nullopt when it runs none (g0, before newproc). `gs`: goroutines().
  std::optional<std::int64_t> current_goroutine(const std::vector<GoroutineInfo>& gs) const;
  std::optional<std::int64_t> current_goroutine() { return current_goroutine(goroutines()); }
  void clear_goroutine() { selected_goid_.reset(); }
  std::vector<GoroutineInfo> goroutines() { return engine::goroutines(s_); }
  std::optional<GoroutineInfo> goroutine(std::int64_t goid) { return engine::goroutine(s_, goid); }
  // The selection's stack: the selected goroutine's, else the selected thread's.
  Backtrace selected_backtrace();
  // The variables of a frame of the selection (default: the selected frame).
  model::Result<std::vector<Variable>> variables(std::optional<std::size_t> level = std::nullopt);
  std::vector<ThreadInfo> threads();
  std::optional<ThreadInfo> thread(int tid);
  RegFile registers(int tid);
  GuestAddr pc(int tid) { return registers(tid)[Reg::rip]; }
  bool read_memory(GuestAddr addr, void* out, std::uint64_t len) { return s_.process().memory().peek(addr, out, len); }
  std::vector<Mapping> mappings() { return s_.process().memory().mappings(); }
  ProcessStats stats() { return s_.process().stats(); }
  // The runtime's state seen from thread `tid` (requires session().model()).
  model::RuntimeState runtime_state(int tid);
  Backtrace backtrace(int tid) { return engine::backtrace(s_, tid); }
  // Where each milestone falls in time: computed once, by a run of a fresh copy
  // of the program (this one is not moved).
  const std::vector<MilestoneTime>& milestone_timeline() {
    if (!timeline_) timeline_ = engine::milestone_timeline(s_.image().path, s_.options());
    return *timeline_;
  }

  // Where the program's source files are (`directory`, `set substitute-path`).
  SourceLocator& sources() { return sources_; }

  // --- values ---
  // EXPR in the selected frame of the selected goroutine or thread, with the value
  // history; with `tid`, in that thread's innermost frame (conditions, watchpoints).
  Evaluated<Value> evaluate(std::string_view expr, std::optional<int> tid = std::nullopt);
  // EXPR in a given frame (a watchpoint on a local: the frame it was set in).
  Evaluated<Value> evaluate_in(std::string_view expr, const model::Frame& frame);
  // The guest ranges the last evaluate() read (also when it failed).
  const std::vector<Range>& last_reads() const { return last_reads_; }
  std::vector<Value>& history() { return history_; }
  // A name for a data address: "runtime.m0.tls[0]", "allp[0].runnext", or "".
  std::string describe_data(GuestAddr addr);

  // --- stops ---
  StopTable& stops() { return stops_; }
  // break LOC [if COND]: every address LOC stands for. A condition that cannot be
  // parsed is refused; one that cannot be evaluated yet (allp before schedinit) is kept.
  model::Result<Stop*> add_breakpoint(const std::string& loc, const std::string& condition, bool temporary);
  model::Result<Stop*> add_watchpoint(const std::string& expr);
  model::Result<Stop*> add_catchpoint(const std::vector<std::string>& syscalls);
  // continue N at a breakpoint: the number of the breakpoint the last stop was at, if any.
  std::optional<int> breakpoint_here() const;

  // --- running ---
  // An error (nothing ran) for a command that cannot start: a bad LOC, an
  // instruction already run, finish in the outermost frame.
  model::Result<StopEvent> resume(const RunCommand& cmd);
  // From a signal handler (Ctrl-C): the running command stops before the next instruction.
  void request_interrupt() {
    if (running_.load()) s_.process().request_interrupt();
  }
  // A fresh process at the entry point (run uses it).
  void restart();
  // kill: the program is not being run until `run` (a fresh process waits at the entry point).
  void kill() {
    restart();
    killed_ = true;
  }

 private:
  friend class Runner;
  // Whether an evaluation failed only on a name that is a local or argument at one of `addrs`.
  bool names_local_at(const EvalError& e, const std::vector<GuestAddr>& addrs) const;
  Session s_;
  SourceLocator sources_;
  StopTable stops_;
  std::vector<Value> history_;
  std::vector<Range> last_reads_;
  std::optional<FrameRef> last_frame_;  // the frame whose locals the last evaluate() named
  int selected_tid_ = 0;
  int selected_frame_ = 0;
  std::optional<std::int64_t> selected_goid_;
  std::atomic<bool> running_{false};
  bool fresh_ = true;     // nothing has run since the process was created: a breakpoint at the entry fires
  bool killed_ = false;   // `kill`: not being run until `run`
  std::vector<int> last_breakpoints_;  // the breakpoints the last stop was at
  std::optional<std::vector<MilestoneTime>> timeline_;
};

}  // namespace gostep::engine
