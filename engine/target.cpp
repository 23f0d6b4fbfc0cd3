#include "engine/target.h"

#include <fmt/format.h>

#include "emulator/linux/syscall_table.h"
#include "engine/closure.h"

namespace gostep::engine {

std::string wait_name(const Thread& t) {
  if (t.state == ThreadState::runnable) return "";
  if (t.state == ThreadState::exited) return "exited";
  switch (t.wait) {
    case WaitKind::futex: return "futex wait";
    case WaitKind::sleep: return "sleep";
    case WaitKind::epoll: return "epoll wait";
    case WaitKind::yield: return "yield";
    case WaitKind::io: return t.retry_on_stdin ? "read of stdin" : "read/write";
    case WaitKind::none: break;
  }
  return "blocked";
}

namespace {

// The session's processes talk to the host through `replay`, which talks to
// the host the options name (or the real one).
ProcessOptions through(ProcessOptions o, std::shared_ptr<ReplayHostIo>& replay) {
  replay = replay_through(o);
  return o;
}

}  // namespace

Target::Target(const std::string& path, ProcessOptions options) : s_(path, through(std::move(options), host_)), sources_(path) {
  selected_tid_ = s_.process().current().tid;
  recording_.attach();
}

Target::~Target() = default;

bool Target::select_thread(int tid) {
  Thread* t = s_.process().thread_by_tid(tid);
  if (!t || t->state == ThreadState::exited) return false;
  selected_tid_ = tid;
  selected_frame_ = 0;
  selected_goid_.reset();
  return true;
}

bool Target::select_goroutine(std::int64_t goid) {
  if (!engine::goroutine(s_, goid)) return false;
  selected_goid_ = goid;
  selected_frame_ = 0;
  return true;
}

std::optional<std::int64_t> Target::current_goroutine(const std::vector<GoroutineInfo>& gs) const {
  if (selected_goid_) return selected_goid_;
  for (const auto& g : gs)
    if (g.thread == selected_tid_) return g.goid;
  return std::nullopt;
}

Backtrace Target::selected_backtrace() {
  if (selected_goid_) {
    if (auto g = engine::goroutine(s_, *selected_goid_)) return goroutine_backtrace(s_, *g);
    selected_goid_.reset();  // it ended
  }
  return backtrace(selected_tid_);
}

model::Result<std::vector<Variable>> Target::variables(std::optional<std::size_t> level) {
  if (!s_.dwarf()) return model::Error{"this binary has no DWARF: no locals or arguments"};
  const Backtrace b = selected_backtrace();
  if (!b.unavailable.empty()) return model::Error{b.unavailable};
  const std::size_t l = level.value_or(static_cast<std::size_t>(std::max(selected_frame_, 0)));
  const auto f = frame_ref(s_, b, l);
  if (!f) return model::Error{fmt::format("No frame at level {}.", l)};
  const ValueReader reader = program_reader(s_);
  return frame_variables(s_, reader, *f);
}

std::vector<ThreadInfo> Target::threads() {
  std::vector<ThreadInfo> out;
  Process& p = s_.process();
  for (const auto& t : p.threads()) {
    if (t->state == ThreadState::exited) continue;
    out.push_back({t->tid, t->state, wait_name(*t), p.regs_of(*t)[Reg::rip], p.thread_insns(*t)});
  }
  return out;
}

std::optional<ThreadInfo> Target::thread(int tid) {
  Process& p = s_.process();
  Thread* t = p.thread_by_tid(tid);
  if (!t) return std::nullopt;
  return ThreadInfo{t->tid, t->state, wait_name(*t), p.regs_of(*t)[Reg::rip], p.thread_insns(*t)};
}

RegFile Target::registers(int tid) {
  Process& p = s_.process();
  Thread* t = p.thread_by_tid(tid);
  return p.regs_of(t ? *t : p.current());
}

model::RuntimeState Target::runtime_state(int tid) {
  Process& p = s_.process();
  Thread* t = p.thread_by_tid(tid);
  return s_.capture_thread(t ? *t : p.current());
}

Evaluated<Value> Target::evaluate(std::string_view expr, std::optional<int> tid) {
  // Names resolve in a frame: the selected one, or a thread's innermost.
  auto frame = [this, tid]() -> std::optional<FrameRef> {
    if (!s_.dwarf() || !s_.pclntab()) return std::nullopt;
    const Backtrace b = tid ? backtrace(*tid) : selected_backtrace();
    return frame_ref(s_, b, tid ? 0 : static_cast<std::size_t>(std::max(selected_frame_, 0)));
  };
  const int thread = tid.value_or(selected_tid_);
  Evaluator ev(s_, EvalScope{thread, &history_, frame});
  auto v = ev.evaluate(expr);
  last_reads_ = ev.reads();
  last_frame_ = ev.used_frame();
  return v;
}

Evaluated<Value> Target::evaluate_in(std::string_view expr, const model::Frame& frame) {
  FrameRef ref;
  ref.frame = frame;  // no registers: a watched local must live in memory
  Evaluator ev(s_, EvalScope{selected_tid_, &history_, [ref]() -> std::optional<FrameRef> { return ref; }});
  auto v = ev.evaluate(expr);
  last_reads_ = ev.reads();
  last_frame_ = ev.used_frame();
  return v;
}

std::string Target::describe_data(GuestAddr addr) {
  if (auto n = s_.symbols().describe_data(addr)) return *n;
  if (s_.model())
    if (auto h = s_.model()->describe_heap(s_.reader(), addr)) return *h;
  return "";
}

bool Target::names_local_at(const EvalError& e, const std::vector<GuestAddr>& addrs) const {
  if (e.kind != EvalErrorKind::unknown_symbol || e.symbol.empty() || !s_.dwarf()) return false;
  const std::string name = e.symbol.substr(0, e.symbol.find('.'));
  for (GuestAddr a : addrs)
    for (const auto& scope : s_.dwarf()->scopes_at(a))
      for (const auto& v : scope.variables)
        if (v.name == name || v.name == "&" + name) return true;
  return false;
}

model::Result<Location> Target::resolve(const std::string& loc) {
  if (loc.empty() || loc[0] != '*') return s_.resolve(loc);
  auto v = evaluate(std::string_view(loc).substr(1));
  if (!v) return model::Error{v.error().message};
  if (!v->scalar()) return model::Error{fmt::format("'{}' is not an address", loc)};
  Location out;
  out.addr = v->bits;
  out.text = loc;
  return out;
}

model::Result<Stop*> Target::add_breakpoint(const std::string& loc, const std::string& condition, bool temporary) {
  auto l = resolve(loc);
  if (!l) return model::Error{l.error()};
  if (l->kind == Location::Kind::insn)
    return model::Error{"break needs a place; insn:N is a moment: use \"until insn:N\" to go there"};
  const std::vector<GuestAddr> addrs = l->addrs.empty() ? std::vector<GuestAddr>{l->addr} : l->addrs;
  if (!condition.empty()) {
    auto v = evaluate(condition);
    // A condition may not be evaluable yet (allp before schedinit): only errors waiting cannot cure are refused.
    // It is evaluated where the breakpoint stops (gdb), so a local or argument of the
    // function there is a name it may use, whatever frame is selected now.
    if (!v && !v.error().transient() && !names_local_at(v.error(), addrs)) return model::Error{v.error().message};
  }
  Stop& s = stops_.add_breakpoint(addrs, loc, condition, temporary);
  stops_.sync(s_.process());
  return &s;
}

model::Result<Stop*> Target::add_watchpoint(const std::string& expr) {
  auto v = evaluate(expr);
  if (!v && !v.error().transient()) return model::Error{v.error().message};
  if (v && last_reads_.empty() && !v->address)
    return model::Error{fmt::format("Cannot watch constant value \"{}\".", expr)};
  std::optional<FrameRef> frame = last_frame_;
  // A local with no location here has no range to watch, and nothing would ever
  // re-evaluate it: the watch could only end with its frame, never fire.
  if (frame && !v && v.error().kind == EvalErrorKind::optimized_out)
    return model::Error{fmt::format("Cannot watch \"{}\": {}; step until \"info locals\" shows it, or watch it "
                                    "from a later point", expr, v.error().message)};
  if (frame && frame->registers && v && !v->address)
    return model::Error{fmt::format("Cannot watch \"{}\": it lives in a register here, and only memory can be "
                                    "watched; step until it is stored to the stack (\"info locals\" shows where)", expr)};
  if (frame && (frame->frame.outermost || !frame->frame.ret_addr))
    return model::Error{fmt::format("Cannot watch \"{}\": its frame has no known return", expr)};
  std::optional<Value> value;
  if (v) value = *v;
  Stop& s = stops_.add_watchpoint(expr, std::move(value), last_reads_);
  if (frame) s.scope = frame->frame;
  return &s;
}

model::Result<Stop*> Target::add_catchpoint(const std::vector<std::string>& names) {
  std::set<std::uint64_t> nrs;
  std::string what;
  for (const auto& w : names) {
    std::uint64_t nr = 0;
    const bool digits = !w.empty() && w.size() < 6 && w.find_first_not_of("0123456789") == std::string::npos;
    if (digits) {
      nr = std::stoull(w);
      if (nr > 1023) return model::Error{fmt::format("Unknown syscall number '{}'.", w)};
    } else if (const SyscallInfo* info = find_syscall(w)) {
      nr = static_cast<std::uint64_t>(info->nr);
    } else {
      bool found = false;
      for (std::uint64_t n = 0; n < 512 && !found; ++n)
        if (syscall_name(n) == w) nr = n, found = true;
      if (!found) return model::Error{fmt::format("Unknown syscall name '{}'.", w)};
    }
    nrs.insert(nr);
    what += (what.empty() ? "" : " ") + fmt::format("'{}' [{}]", syscall_name(nr), nr);
  }
  Stop& s = stops_.add_catchpoint(std::move(nrs), "syscall " + (what.empty() ? std::string("(any)") : what));
  stops_.sync(s_.process());
  return &s;
}

std::optional<int> Target::breakpoint_here() const {
  if (last_breakpoints_.empty()) return std::nullopt;
  return last_breakpoints_.front();
}

void Target::queue_signal(int sig) {
  if (recording_.in_past()) {
    // A new input in the past: the recorded future was made without it.
    const std::uint64_t now = s_.process().insn_count();
    std::erase_if(queued_signals_, [now](const UserSignal& u) { return u.insn > now; });
    recording_.discard_future();
  }
  queued_signals_.push_back(UserSignal{sig, s_.process().insn_count()});
  s_.process().queue_user_signal(sig);
}

void Target::restart(bool new_run) {
  host_->begin_run(/*replay_output=*/!new_run);
  // In a recorded session, the checkpoint at instruction 0 (the same state as a new process's).
  if (!recording_.back_to_start()) {
    s_.restart();
    recording_.attach();
  }
  stops_.forget_installed();
  stops_.sync(s_.process());
  for (auto& st : stops_.all()) st.last.reset();
  selected_tid_ = s_.process().current().tid;
  selected_frame_ = 0;
  selected_goid_.reset();
  fresh_ = true;
  killed_ = false;
  last_breakpoints_.clear();
}

}  // namespace gostep::engine
