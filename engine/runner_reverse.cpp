// Going backwards (issue 8): gdb's reverse-stepi, reverse-nexti, reverse-step,
// reverse-next, reverse-finish and reverse-continue, and goto LOC. Each finds
// the moment it must stand at from the recording (the schedule, or a re-executed
// scan of the past) and rewinds there; nothing runs forwards visibly.
#include <fmt/format.h>

#include <algorithm>

#include "emulator/disassembler.h"
#include "engine/effects.h"
#include "engine/runner.h"

namespace gostep::engine {
namespace {

// The CFA (the caller's SP once the function returns) of an instruction of a Go
// frame: SP + pcsp's delta + 8; plain SP where Go's tables say nothing.
GuestAddr cfa_of(const model::Pclntab* tab, GuestAddr pc, GuestAddr sp) {
  if (tab)
    if (auto f = tab->function_at(pc))
      if (auto d = tab->sp_delta(*f, pc); d && *d >= 0) return sp + static_cast<GuestAddr>(*d) + 8;
  return sp;
}

}  // namespace

model::Result<bool> Runner::reverse_ready() {
  if (!t_.recording_.on()) return model::Error{"Target is not recording: \"set record on\", then \"run\", to go backwards"};
  return true;
}

// The moment before `index`, with the effects of [index, now) for the display
// when `undo` asks for them (executed forwards once from there, then undone by
// restoring a snapshot of the moment).
void Runner::rewind_showing(std::uint64_t index, bool undo) {
  Recording& recording = t_.recording_;
  recording.rewind(index);
  if (!undo || !cmd_.effects) return;
  Thread* t = s_.process().thread_by_tid(tid_);
  if (!t || t->state == ThreadState::exited) return;
  const Recording::Moment here = recording.here();
  EffectRecorder rec(t_, tid_);
  const std::uint64_t target = s_.process().thread_insns(*t) + 1;
  s_.process().stop_at_thread_insns(std::make_pair(tid_, target));
  const StopReason r = s_.process().run();
  s_.process().stop_at_thread_insns(std::nullopt);
  if (r.kind == StopKind::insn_reached || r.kind == StopKind::breakpoint) ev_.steps.push_back(rec.instruction());
  recording.return_to(here);
}

model::Result<bool> Runner::do_reverse_stepi(bool over) {
  if (auto ok = reverse_ready(); !ok) return ok;
  ev_.reverse = true;
  Recording& rec = t_.recording_;
  const model::Pclntab* tab = s_.pclntab();
  for (std::uint64_t k = 0; k < cmd_.count; ++k) {
    const std::uint64_t now = t_.next_insn();
    auto prev = rec.previous_of(tid_, now);
    if (!prev) {
      ev_.causes.push_back(StopCause::history_start);
      return true;
    }
    std::uint64_t target = *prev;
    if (over) {
      // Back over a call: the last instruction of this thread in this frame or an outer one.
      const RegFile rf = t_.registers(tid_);
      const GuestAddr cfa_now = cfa_of(tab, rf[Reg::rip], rf[Reg::rsp]);
      rec.scan_thread_back(tid_, now, [&](const PastInsn& e) {
        if (cfa_of(tab, e.pc, e.sp) < cfa_now) return false;
        target = e.index;
        return true;
      });
    }
    rewind_showing(target, !over && cmd_.count <= 1000);
  }
  ev_.causes.push_back(StopCause::step_done);
  return true;
}

model::Result<bool> Runner::do_reverse_finish() {
  if (auto ok = reverse_ready(); !ok) return ok;
  ev_.reverse = true;
  const Backtrace bt = t_.backtrace(tid_);
  if (!bt.unavailable.empty()) return model::Error{bt.unavailable};
  if (bt.frames.empty()) return model::Error{"No stack."};
  const std::size_t level = std::min<std::size_t>(static_cast<std::size_t>(std::max(t_.selected_frame_, 0)), bt.frames.size() - 1);
  const model::Frame& f = bt.frames[level];
  if (f.outermost || !f.cfa) return model::Error{"\"reverse-finish\" not meaningful in the outermost frame."};
  // The CALL ran in the caller with SP at this frame's CFA; inside the frame SP is below it.
  const std::uint64_t now = t_.next_insn();
  std::optional<std::uint64_t> call;
  t_.recording_.scan_thread_back(tid_, now, [&](const PastInsn& e) {
    if (e.sp < f.cfa) return false;
    call = e.index;
    return true;
  });
  if (call) {
    t_.recording_.rewind(*call);
    ev_.causes.push_back(StopCause::location_reached);
    ev_.note = "back at the call of " + (f.func ? f.func->name : std::string("the function"));
    return true;
  }
  t_.recording_.rewind(1);
  ev_.causes.push_back(StopCause::history_start);
  return true;
}

// Back to the beginning of the previous source line executed in this frame
// (reverse-next) or, when the line before was in a function this one called,
// the beginning of that function's last line (reverse-step).
model::Result<bool> Runner::do_reverse_line(bool over) {
  if (auto ok = reverse_ready(); !ok) return ok;
  ev_.reverse = true;
  const model::Pclntab* tab = s_.pclntab();
  auto line_of = [&](GuestAddr pc) -> std::optional<std::pair<std::string, int>> {
    auto src = s_.symbols().source(pc);
    if (!src || src->line <= 0) return std::nullopt;
    return std::make_pair(src->file, src->line);
  };
  for (std::uint64_t k = 0; k < cmd_.count; ++k) {
    const std::uint64_t now = t_.next_insn();
    const RegFile rf = t_.registers(tid_);
    GuestAddr frame = cfa_of(tab, rf[Reg::rip], rf[Reg::rsp]);
    const auto line_now = line_of(rf[Reg::rip]);
    std::optional<std::uint64_t> target;
    std::optional<std::pair<std::string, int>> prev_line;
    bool newest = true;  // the thread's instruction just before now
    t_.recording_.scan_thread_back(tid_, now, [&](const PastInsn& e) {
      const bool just_before = newest;
      newest = false;
      const GuestAddr cfa = cfa_of(tab, e.pc, e.sp);
      const auto line = line_of(e.pc);
      if (cfa < frame) {
        // A call this frame made. reverse-step enters it when it is what ran just before.
        if (!over && !prev_line && just_before && line) {
          frame = cfa;
          prev_line = line;
          target = e.index;
        }
        return false;
      }
      if (cfa > frame) {  // before this function was entered: stop at the call in the caller
        if (!target) target = e.index;
        return true;
      }
      if (!prev_line) {
        if (line && line != line_now) {
          prev_line = line;
          target = e.index;
        }
        return false;
      }
      if (line != prev_line) return true;  // the run of the previous line begins after this
      target = e.index;
      return false;
    });
    if (!target) {
      t_.recording_.rewind(1);
      ev_.causes.push_back(StopCause::history_start);
      return true;
    }
    t_.recording_.rewind(*target);
  }
  ev_.causes.push_back(StopCause::step_done);
  return true;
}

// Back to the last moment before now at which a forward run would have stopped
// for the user: a breakpoint about to execute (its condition true), the
// instruction that last changed a watched value, a caught system call. The
// past is searched a stretch at a time, newest first: from each checkpoint
// to the next (or to now), with the stops installed, until a stretch has one.
model::Result<bool> Runner::do_reverse_continue() {
  if (auto ok = reverse_ready(); !ok) return ok;
  ev_.reverse = true;
  const std::uint64_t now = t_.next_insn();
  Recording& rec = t_.recording_;
  std::optional<Candidate> best;
  rec.for_each_stretch_back(now, [&](std::uint64_t from, std::uint64_t to) {
    best = last_stop_between(from, to);
    return best.has_value();
  });
  auto& stops = t_.stops_;
  stops.forget_installed();
  if (!best) {
    rec.rewind(1);
    ev_.causes.push_back(StopCause::history_start);
    return true;
  }
  rec.rewind(best->index);
  for (int n : best->breakpoints)
    if (Stop* st = stops.find(n)) {
      ++st->hits;
      ev_.breakpoints.push_back({n, st->temporary, st->hits});
    }
  if (!ev_.breakpoints.empty()) ev_.causes.push_back(StopCause::breakpoint);
  if (best->watch) {
    if (Stop* st = stops.find(best->watch->number)) ++st->hits;
    ev_.watchpoints.push_back(*best->watch);
    ev_.causes.push_back(StopCause::watchpoint);
  }
  if (best->catchpoint) {
    ev_.catchpoint = best->catchpoint;
    ev_.causes.push_back(StopCause::catchpoint);
  }
  return true;
}

// Re-executes [from, to) with the user's stops installed: the last moment
// in it a forward run would have stopped at, if any.
std::optional<Runner::Candidate> Runner::last_stop_between(std::uint64_t from, std::uint64_t to) {
  std::optional<Candidate> best;
  t_.recording_.rewind(from);
  Process* p = &s_.process();
  // The watchpoints' values at the start, then every change on the way.
  auto& stops = t_.stops_;
  for (auto& st : stops.all())
    if (st.type == Stop::Type::watchpoint && st.enabled) {
      auto v = t_.evaluate(st.what, tid_);
      st.last = v ? std::optional<Value>(*v) : std::nullopt;
      st.ranges = t_.last_reads_;
    }
  for (bool first = true;; first = false) {
    stops.sync(*p);
    // Off the breakpoint it stopped at; the first instruction of the stretch is its own.
    if (!first) p->skip_breakpoint_once(p->regs_of(p->current())[Reg::rip]);
    p->stop_on_signals(0);
    p->stop_before_insn(to);
    const StopReason r = p->run();
    p->stop_before_insn(std::nullopt);
    Candidate c;
    if (r.kind == StopKind::breakpoint) {
      c.index = p->insn_count() + 1;
      for (Stop* st : stops.breakpoints_at(r.pc)) {
        if (!st->condition.empty()) {
          auto v = t_.evaluate(st->condition, p->current().tid);
          if (v && !v->truthy()) continue;
        }
        c.breakpoints.push_back(st->number);
      }
    } else if (r.kind == StopKind::watch) {
      for (auto& st : stops.all()) {
        if (st.type != Stop::Type::watchpoint || !st.enabled) continue;
        auto v = t_.evaluate(st.what, tid_);
        std::optional<Value> v_now = v ? std::optional<Value>(*v) : std::nullopt;
        st.ranges = t_.last_reads_;
        const bool same = (!v_now && !st.last) || (v_now && st.last && v_now->same_as(*st.last));
        if (!same && !c.watch) {
          WatchHit h;
          h.number = st.number;
          h.expr = st.what;
          h.old_value = st.last;
          h.new_value = v_now;
          h.writer_pc = r.pc;
          h.writer_insn = r.writer_insn;
          h.writer_tid = r.tid;
          h.cause = r.cause;
          c.watch = h;
          c.index = r.writer_insn;
        }
        st.last = std::move(v_now);
      }
    } else if (r.kind == StopKind::syscall_caught) {
      for (const auto& st : stops.all())
        if (st.type == Stop::Type::catchpoint && st.enabled && (st.syscalls.empty() || st.syscalls.count(r.syscall_nr))) {
          c.catchpoint = CatchHit{st.number, r.syscall_nr};
          c.index = p->insn_count();  // stop before the SYSCALL
          break;
        }
    } else {
      break;  // `to` reached (or the end)
    }
    if ((!c.breakpoints.empty() || c.watch || c.catchpoint) && c.index < to && c.index >= from) best = c;
  }
  stops.forget_installed();
  return best;
}

// goto insn:N, or goto LOC: its last execution before now, else its first after now.
model::Result<bool> Runner::do_goto() {
  auto loc = t_.resolve(cmd_.loc);
  if (!loc) return model::Error{loc.error()};
  Recording& rec = t_.recording_;
  std::uint64_t index = loc->insn;
  if (loc->kind == Location::Kind::address) {
    const std::uint64_t now = t_.next_insn();
    std::optional<std::uint64_t> last;
    if (now > 1) {
      if (auto ok = reverse_ready(); !ok) return ok;
      rec.scan_back(now, [&](const std::vector<std::pair<int, PastInsn>>& stretch) {
        for (auto it = stretch.rbegin(); it != stretch.rend(); ++it)
          if (it->second.pc == loc->addr) {
            last = it->second.index;
            return true;
          }
        return false;
      });
    }
    if (!last) {
      // Not run yet: its first execution after now, stopping at nothing else on the way.
      if (now > 1) rec.rewind(now);  // back from the search of the past
      Process& p = s_.process();
      t_.stops_.forget_installed();
      for (const auto& st : t_.stops_.all())
        for (GuestAddr a : st.addrs) p.remove_breakpoint(a);
      p.catch_syscalls({}, false);
      p.set_watch_ranges({});
      p.add_breakpoint(loc->addr);
      StopReason r;
      do {
        r = p.run();
      } while ((r.kind == StopKind::breakpoint && r.pc != loc->addr) || r.kind == StopKind::watch ||
               r.kind == StopKind::syscall_caught);
      p.remove_breakpoint(loc->addr);
      ev_.reason = r;
      if (r.kind == StopKind::breakpoint) {
        ev_.causes.push_back(StopCause::location_reached);
        return true;
      }
      t_.last_rewind_ = r;
      index = 0;  // fall through to the end report
    } else {
      index = *last;
    }
  } else if (index < t_.next_insn() || index > rec.recorded() + 1) {
    if (index < t_.next_insn())
      if (auto ok = reverse_ready(); !ok) return ok;
  }
  if (index) rec.rewind(index);
  const StopReason& r = t_.last_rewind_;
  ev_.reason = r;
  if (index && r.kind == StopKind::insn_reached) {
    ev_.causes.push_back(StopCause::location_reached);
    return true;
  }
  if (r.kind == StopKind::exited) {
    ev_.causes.push_back(StopCause::exited);
    ev_.exit_status = r.exit_status;
  } else if (r.kind == StopKind::killed) {
    ev_.causes.push_back(StopCause::killed);
    ev_.signal = r.signal;
    ev_.exit_status = r.exit_status;
  } else {
    ev_.causes.push_back(StopCause::stopped_by_gostep);
    ev_.exit_status = 124;
  }
  ev_.note = index ? fmt::format("the program ends before instruction {}", index)
                   : fmt::format("the program ends before reaching {}", cmd_.loc);
  return true;
}

}  // namespace gostep::engine
