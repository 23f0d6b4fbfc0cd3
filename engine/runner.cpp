#include "engine/runner.h"

#include <fmt/format.h>

#include <algorithm>
#include <csignal>

#include "emulator/disassembler.h"
#include "engine/effects.h"

namespace gostep::engine {
namespace {

constexpr std::uint64_t bit(int sig) { return 1ULL << (sig - 1); }
// The signals a debugger stops for before the guest sees them (gdb's defaults;
// not SIGURG, Go's preemption, which would stop every few thousand instructions).
constexpr std::uint64_t kStopSignals = bit(SIGSEGV) | bit(SIGBUS) | bit(SIGFPE) | bit(SIGILL) | bit(SIGABRT) |
                                       bit(SIGTRAP) | bit(SIGINT) | bit(SIGTERM) | bit(SIGQUIT) | bit(SIGHUP);

}  // namespace

const char* to_string(StopCause c) {
  switch (c) {
    case StopCause::step_done: return "step_done";
    case StopCause::location_reached: return "location_reached";
    case StopCause::breakpoint: return "breakpoint";
    case StopCause::watchpoint: return "watchpoint";
    case StopCause::catchpoint: return "catchpoint";
    case StopCause::signal: return "signal";
    case StopCause::exited: return "exited";
    case StopCause::killed: return "killed";
    case StopCause::before_exit: return "before_exit";
    case StopCause::deadlock: return "deadlock";
    case StopCause::interrupted: return "interrupted";
    case StopCause::gave_up: return "gave_up";
    case StopCause::history_start: return "history_start";
    case StopCause::stopped_by_gostep: return "stopped_by_gostep";
  }
  return "?";
}

bool StopEvent::has(StopCause c) const { return std::find(causes.begin(), causes.end(), c) != causes.end(); }

model::Result<StopEvent> Target::resume(const RunCommand& cmd) {
  Runner r(*this, cmd);
  running_.store(true);
  s_.process().clear_interrupt();
  auto ev = r.run();
  running_.store(false);
  s_.process().clear_interrupt();
  return ev;
}

Runner::Runner(Target& target, const RunCommand& cmd) : t_(target), s_(target.s_), cmd_(cmd) {
  tid_ = t_.selected_tid_;
}

model::Result<StopEvent> Runner::run() {
  const bool backwards = cmd_.kind == RunKind::go_to || cmd_.kind >= RunKind::reverse_stepi;
  if (cmd_.kind == RunKind::start) {
    t_.queued_signals_.clear();  // a new run: the signals queued in the last one were its inputs
    // In a recorded session, instruction 0 again at once (the state is the same as a new process's).
    t_.restart(/*new_run=*/true);
    tid_ = t_.selected_tid_;
  } else if (t_.ended() && !backwards) {
    return model::Error{"The program is not being run; \"run\" starts it again."};
  }
  model::Result<bool> ok = true;
  switch (cmd_.kind) {
    case RunKind::start:
    case RunKind::cont: do_continue(); break;
    case RunKind::stepi: ok = do_stepi(false); break;
    case RunKind::nexti: ok = do_stepi(true); break;
    case RunKind::step: ok = do_line(false); break;
    case RunKind::next: ok = do_line(true); break;
    case RunKind::finish: ok = do_finish(); break;
    case RunKind::until: ok = do_until(); break;
    case RunKind::go_to: ok = do_goto(); break;
    case RunKind::reverse_stepi: ok = do_reverse_stepi(false); break;
    case RunKind::reverse_nexti: ok = do_reverse_stepi(true); break;
    case RunKind::reverse_step: ok = do_reverse_line(false); break;
    case RunKind::reverse_next: ok = do_reverse_line(true); break;
    case RunKind::reverse_continue: ok = do_reverse_continue(); break;
    case RunKind::reverse_finish: ok = do_reverse_finish(); break;
  }
  if (!ok) return model::Error{ok.error()};
  t_.recording_.note_progress();
  finish();
  ev_.recorded = t_.recording_.recorded();
  return ev_;
}

// ---------------------------------------------------------------- the one way to run

void Runner::arm_watchpoints() {
  for (auto& st : t_.stops_.all()) {
    if (st.type != Stop::Type::watchpoint || !st.enabled) continue;
    auto v = st.scope ? t_.evaluate_in(st.what, *st.scope) : t_.evaluate(st.what, tid_);
    st.last = v ? std::optional<Value>(*v) : std::nullopt;
    st.ranges = t_.last_reads_;  // not readable yet: what it was computed from so far
  }
}

bool Runner::check_watchpoints(const StopReason& r) {
  bool changed = false;
  for (auto& st : t_.stops_.all()) {
    if (st.type != Stop::Type::watchpoint || !st.enabled) continue;
    auto v = st.scope ? t_.evaluate_in(st.what, *st.scope) : t_.evaluate(st.what, tid_);
    std::optional<Value> now = v ? std::optional<Value>(*v) : std::nullopt;
    st.ranges = t_.last_reads_;
    const bool same = (!now && !st.last) || (now && st.last && now->same_as(*st.last));
    if (same) continue;
    ++st.hits;
    WatchHit h;
    h.number = st.number;
    h.expr = st.what;
    h.old_value = st.last;
    h.new_value = now;
    h.writer_pc = r.pc;
    h.writer_insn = r.writer_insn;
    h.writer_tid = r.tid;
    h.cause = r.cause;
    ev_.watchpoints.push_back(std::move(h));
    st.last = std::move(now);
    changed = true;
  }
  if (changed) ev_.causes.push_back(StopCause::watchpoint);
  return changed;
}

// A watchpoint on a local ends when its frame returns: the return address is
// reached with SP back at the frame's CFA (gdb: "Watchpoint N deleted because the
// program has left the block in which its expression is valid.").
bool Runner::check_watch_scopes(GuestAddr pc) {
  const std::uint64_t sp = s_.process().regs_of(s_.process().current())[Reg::rsp];
  std::vector<int> gone;
  for (auto& st : t_.stops_.all()) {
    // After the RET, SP is the frame's CFA again; a deeper call of the same function
    // (recursion) returns there with a lower SP, another goroutine's with another SP.
    if (st.type != Stop::Type::watchpoint || !st.scope || st.scope->ret_addr != pc || sp != st.scope->cfa) continue;
    WatchHit h;
    h.number = st.number;
    h.expr = st.what;
    h.old_value = st.last;
    h.scope_ended = true;
    ev_.watchpoints.push_back(std::move(h));
    gone.push_back(st.number);
  }
  for (int n : gone) t_.stops_.remove(n);
  if (gone.empty()) return false;
  t_.stops_.sync(s_.process());
  ev_.causes.push_back(StopCause::watchpoint);
  return true;
}

// The user's breakpoints at `pc` (the current thread is about to execute it):
// conditions, ignore counts and temporaries, as gdb has them.
bool Runner::check_breakpoints(GuestAddr pc) {
  bool stop = false;
  std::vector<int> gone;
  for (Stop* st : t_.stops_.breakpoints_at(pc)) {
    if (!st->condition.empty()) {
      auto v = t_.evaluate(st->condition, s_.process().current().tid);
      if (v && !v->truthy()) continue;
      if (!v) ev_.note = fmt::format("Error in testing condition for breakpoint {}: {}", st->number, v.error().message);
    }
    ++st->hits;
    if (st->ignore > 0) {
      --st->ignore;
      continue;
    }
    ev_.breakpoints.push_back({st->number, st->temporary, st->hits});
    if (st->temporary) gone.push_back(st->number);
    stop = true;
  }
  for (int n : gone) t_.stops_.remove(n);
  if (stop) {
    t_.stops_.sync(s_.process());  // a temporary breakpoint that was hit is gone from the process too
    ev_.causes.push_back(StopCause::breakpoint);
  }
  return stop;
}

Runner::Go Runner::go() {
  Process& p = s_.process();
  for (;;) {
    arm_watchpoints();
    t_.stops_.sync(p);
    // Resuming from a stop steps over a breakpoint at the current instruction;
    // a new process stops at a breakpoint on its very first one.
    if (!t_.fresh_) p.skip_breakpoint_once(p.regs_of(p.current())[Reg::rip]);
    p.stop_on_signals(kStopSignals);
    const StopReason r = p.run();
    t_.fresh_ = false;
    ev_.reason = r;
    switch (r.kind) {
      case StopKind::watch:
        if (check_watchpoints(r)) return Go::user;
        continue;  // a range it was read from was written, but the value is the same
      case StopKind::breakpoint:
        if (check_watch_scopes(r.pc)) return Go::user;
        if (check_breakpoints(r.pc)) return Go::user;
        if (t_.stops_.is_internal(r.pc)) return Go::reached;
        continue;  // a condition was false, or the breakpoint is ignored this time
      case StopKind::syscall_caught:
        for (auto& st : t_.stops_.all())
          if (st.type == Stop::Type::catchpoint && st.enabled &&
              (st.syscalls.empty() || st.syscalls.count(r.syscall_nr))) {
            ++st.hits;
            ev_.catchpoint = CatchHit{st.number, r.syscall_nr};
            ev_.causes.push_back(StopCause::catchpoint);
            return Go::user;
          }
        continue;
      case StopKind::signal_received:
        ev_.causes.push_back(StopCause::signal);
        ev_.signal = r.signal;
        return Go::user;
      case StopKind::insn_reached:
        return Go::reached;
      case StopKind::interrupted:
        ev_.causes.push_back(StopCause::interrupted);
        return Go::user;
      case StopKind::exited:
        ev_.causes.push_back(StopCause::exited);
        ev_.exit_status = r.exit_status;
        return Go::end;
      case StopKind::killed:
        ev_.causes.push_back(StopCause::killed);
        ev_.signal = r.signal;
        ev_.exit_status = r.exit_status;
        return Go::end;
      case StopKind::before_exit:
        if (r.tid == stepping_tid_) continue;  // the stepped thread itself exits: let it
        ev_.causes.push_back(StopCause::before_exit);
        return Go::end;
      case StopKind::deadlock:
        ev_.causes.push_back(StopCause::deadlock);
        ev_.exit_status = 124;
        return Go::end;
      case StopKind::insn_limit:
      case StopKind::memory_limit:
      case StopKind::unsupported_syscall:
      case StopKind::guest_error:
      case StopKind::inexact_fault:  // only with exact_faults off, which a Target never sets
        ev_.causes.push_back(StopCause::stopped_by_gostep);
        ev_.exit_status = 124;
        return Go::end;
    }
  }
}

// Where the guest stands after the command, and the selection that follows it.
void Runner::finish() {
  Process& p = s_.process();
  const int tid = p.current().tid;
  ev_.tid = tid;
  ev_.thread_changed = tid != t_.selected_tid_;
  if (!p.ended()) {
    Thread* t = p.thread_by_tid(tid);
    if (t && t->state != ThreadState::exited) t_.selected_tid_ = tid;  // gdb switches to the thread that stopped
  }
  t_.selected_frame_ = 0;
  t_.selected_goid_.reset();
  ev_.pc = p.regs_of(p.current())[Reg::rip];
  ev_.insn = p.insn_count() + 1;
  t_.last_breakpoints_.clear();
  for (const auto& b : ev_.breakpoints)
    if (!b.temporary) t_.last_breakpoints_.push_back(b.number);
}

// ---------------------------------------------------------------- commands

void Runner::do_continue() {
  if (cmd_.count > 1)
    if (auto here = t_.breakpoint_here())
      if (Stop* st = t_.stops_.find(*here)) {
        st->ignore = cmd_.count - 1;
        ev_.note = fmt::format("Will ignore next {} crossings of breakpoint {}.  Continuing.", cmd_.count - 1, *here);
      }
  while (go() == Go::reached) {
  }
}

Runner::Go Runner::step_one(int tid) {
  Process& p = s_.process();
  Thread* t = p.thread_by_tid(tid);
  if (!t || t->state == ThreadState::exited) return Go::end;
  const std::uint64_t target = p.thread_insns(*t) + 1;
  p.stop_at_thread_insns(std::make_pair(tid, target));
  p.stop_before_exit(true);
  stepping_tid_ = tid;
  Go g = go();
  p.stop_at_thread_insns(std::nullopt);
  p.stop_before_exit(false);
  // A user stop and the step's end may coincide (a watched store by the stepped instruction).
  t = p.thread_by_tid(tid);
  if (g == Go::user && t && p.thread_insns(*t) >= target && p.current().tid == tid)
    ev_.causes.push_back(StopCause::step_done);
  return g;
}

// Runs until thread `tid` returns from the call it is in: SP back above
// `sp_inside` at `ret` (a deeper recursion returning to the same place is not it).
Runner::Go Runner::run_to_return(int tid, GuestAddr ret, std::uint64_t sp_inside) {
  Process& p = s_.process();
  t_.stops_.add_internal(ret);
  Go g = Go::reached;
  for (;;) {
    g = go();
    if (g != Go::reached) break;
    if (p.current().tid == tid && t_.registers(tid)[Reg::rsp] > sp_inside) break;
  }
  t_.stops_.remove_internal(ret);
  t_.stops_.sync(p);
  return g;
}

model::Result<bool> Runner::do_stepi(bool over) {
  Process& p = s_.process();
  const int tid = tid_;
  Thread* t = p.thread_by_tid(tid);
  if (!t || t->state == ThreadState::exited) return model::Error{fmt::format("thread {} has exited; \"thread N\" selects another", tid)};
  if (t->state == ThreadState::blocked) {
    ev_.blocked = wait_name(*t);
    ev_.blocked_tid = tid;
  }
  if (!over && !cmd_.effects) {
    // N instructions of the thread in one run: continue's speed.
    const std::uint64_t target = p.thread_insns(*t) + cmd_.count;
    p.stop_at_thread_insns(std::make_pair(tid, target));
    p.stop_before_exit(true);
    stepping_tid_ = tid;
    Go g = Go::reached;
    while ((g = go()) == Go::reached) {
      Thread* th = p.thread_by_tid(tid);
      if (!th || p.thread_insns(*th) >= target) break;
    }
    p.stop_at_thread_insns(std::nullopt);
    p.stop_before_exit(false);
    if (g == Go::reached) {
      ev_.causes.push_back(StopCause::step_done);
      if (check_breakpoints(p.regs_of(p.current())[Reg::rip])) {}
    }
    return true;
  }
  static const Disassembler dis;
  for (std::uint64_t i = 0; i < cmd_.count; ++i) {
    const RegFile before = t_.registers(tid);
    std::uint8_t code[16] = {};
    t_.read_memory(before[Reg::rip], code, sizeof code);
    const auto insn = dis.decode(code, before[Reg::rip]);
    std::optional<EffectRecorder> rec;
    if (cmd_.effects) rec.emplace(t_, tid);
    Go g = step_one(tid);
    if (g == Go::reached && over && insn && insn->flow == Flow::call) {
      const RegFile now = t_.registers(tid);
      if (now[Reg::rsp] < before[Reg::rsp]) g = run_to_return(tid, insn->next(), now[Reg::rsp]);
      if (rec) ev_.steps.push_back(rec->net());
    } else if (rec && (g == Go::reached || ev_.has(StopCause::step_done))) {
      ev_.steps.push_back(rec->instruction());  // (a step that never ran its instruction has no effects)
    }
    if (g != Go::reached) return true;
    // Stepping onto a breakpoint is reaching it (gdb says "Breakpoint N").
    if (check_breakpoints(p.regs_of(p.current())[Reg::rip])) return true;
  }
  ev_.causes.push_back(StopCause::step_done);
  return true;
}

model::Result<bool> Runner::do_until() {
  if (cmd_.loc.empty()) return model::Error{"until needs a LOC: SYMBOL, 0xADDR, FILE:LINE, insn:N, milestone:NAME"};
  auto loc = t_.resolve(cmd_.loc);
  if (!loc) return model::Error{loc.error()};
  Process& p = s_.process();
  if (loc->kind == Location::Kind::insn) {
    if (loc->insn <= p.insn_count())
      return model::Error{fmt::format("instruction {} has already run (the next is {})", loc->insn, p.insn_count() + 1)};
    p.stop_before_insn(loc->insn);
    Go g = Go::reached;
    while ((g = go()) == Go::reached && p.insn_count() + 1 < loc->insn) {
    }
    p.stop_before_insn(std::nullopt);
    if (g == Go::reached) ev_.causes.push_back(StopCause::location_reached);
    return true;
  }
  const std::vector<GuestAddr> addrs = loc->addrs.empty() ? std::vector<GuestAddr>{loc->addr} : loc->addrs;
  for (GuestAddr a : addrs) t_.stops_.add_internal(a);
  Go g = Go::reached;
  while ((g = go()) == Go::reached &&
         std::find(addrs.begin(), addrs.end(), p.regs_of(p.current())[Reg::rip]) == addrs.end()) {
  }
  for (GuestAddr a : addrs) t_.stops_.remove_internal(a);
  t_.stops_.sync(p);
  if (g == Go::reached) ev_.causes.push_back(StopCause::location_reached);
  return true;
}

model::Result<bool> Runner::do_finish() {
  const Backtrace bt = t_.backtrace(tid_);
  if (!bt.unavailable.empty()) return model::Error{bt.unavailable};
  const std::size_t level = std::min<std::size_t>(static_cast<std::size_t>(std::max(t_.selected_frame_, 0)),
                                                  bt.frames.empty() ? 0 : bt.frames.size() - 1);
  if (bt.frames.empty()) return model::Error{"No stack."};
  const model::Frame& f = bt.frames[level];
  if (f.outermost) return model::Error{"\"finish\" not meaningful in the outermost frame."};
  if (f.inlined)
    return model::Error{fmt::format("\"finish\" out of {}: it was inlined, so it never returns on its own; use \"next\" "
                                    "or \"up\" and finish the function it was inlined into", f.function)};
  if (level + 1 >= bt.frames.size() || !f.ret_addr || !f.cfa)
    return model::Error{fmt::format("\"finish\" cannot find where frame {} returns: {}", level,
                                    bt.stopped.empty() ? "the unwind ended" : bt.stopped)};
  std::optional<EffectRecorder> rec;
  if (cmd_.effects) rec.emplace(t_, tid_);
  const Go g = run_to_return(tid_, f.ret_addr, f.cfa - 8);
  if (rec) ev_.net = rec->net();
  if (g == Go::reached) {
    ev_.causes.push_back(StopCause::location_reached);
    ev_.note = "returned from " + (f.func ? f.func->name : std::string("the function"));
  }
  return true;
}

}  // namespace gostep::engine
