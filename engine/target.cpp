#include "engine/target.h"

#include <fmt/format.h>

#include "emulator/linux/syscall_table.h"

namespace gostep::engine {

std::string wait_name(const Thread& t) {
  if (t.state == ThreadState::runnable) return "";
  if (t.state == ThreadState::exited) return "exited";
  switch (t.wait) {
    case WaitKind::futex: return "futex wait";
    case WaitKind::sleep: return "sleep";
    case WaitKind::epoll: return "epoll wait";
    case WaitKind::yield: return "yield";
    case WaitKind::none: break;
  }
  return "blocked";
}

Target::Target(const std::string& path, ProcessOptions options) : s_(path, std::move(options)) {
  selected_tid_ = s_.process().current().tid;
}

Target::~Target() = default;

bool Target::select_thread(int tid) {
  Thread* t = s_.process().thread_by_tid(tid);
  if (!t || t->state == ThreadState::exited) return false;
  selected_tid_ = tid;
  selected_frame_ = 0;
  return true;
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
  Evaluator ev(s_, EvalScope{tid.value_or(selected_tid_), &history_});
  auto v = ev.evaluate(expr);
  last_reads_ = ev.reads();
  return v;
}

std::string Target::describe_data(GuestAddr addr) {
  if (auto n = s_.symbols().describe_data(addr)) return *n;
  if (s_.model())
    if (auto h = s_.model()->describe_heap(s_.reader(), addr)) return *h;
  return "";
}

model::Result<Stop*> Target::add_breakpoint(const std::string& loc, const std::string& condition, bool temporary) {
  auto l = s_.resolve(loc);
  if (!l) return model::Error{l.error()};
  if (l->kind == Location::Kind::insn)
    return model::Error{"break needs a place; insn:N is a moment: use \"until insn:N\" to go there"};
  if (!condition.empty()) {
    auto v = evaluate(condition);
    // A condition may not be evaluable yet (allp before schedinit): only errors waiting cannot cure are refused.
    if (!v && !v.error().transient()) return model::Error{v.error().message};
  }
  Stop& s = stops_.add_breakpoint({l->addr}, loc, condition, temporary);
  stops_.sync(s_.process());
  return &s;
}

model::Result<Stop*> Target::add_watchpoint(const std::string& expr) {
  auto v = evaluate(expr);
  if (!v && !v.error().transient()) return model::Error{v.error().message};
  if (v && last_reads_.empty() && !v->address)
    return model::Error{fmt::format("Cannot watch constant value \"{}\".", expr)};
  std::optional<Value> value;
  if (v) value = *v;
  Stop& s = stops_.add_watchpoint(expr, std::move(value), last_reads_);
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

void Target::restart() {
  s_.restart();
  stops_.forget_installed();
  stops_.sync(s_.process());
  for (auto& st : stops_.all()) st.last.reset();
  selected_tid_ = s_.process().current().tid;
  selected_frame_ = 0;
  fresh_ = true;
  killed_ = false;
  last_breakpoints_.clear();
}

}  // namespace gostep::engine
