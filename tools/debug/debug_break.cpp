// Breakpoints, watchpoints on runtime fields, catchpoints on system calls.
#include <fmt/format.h>

#include <algorithm>
#include <sstream>

#include "debugger.h"
#include "emulator/linux/syscall_table.h"
#include "expr.h"
#include "tools/text_util.h"
#include "tools/symbols.h"

namespace gostep {
namespace {

std::vector<int> parse_numbers(const std::string& s, std::string& bad) {
  std::vector<int> out;
  std::istringstream in(s);
  std::string w;
  while (in >> w) {
    std::uint64_t n = 0;
    if (!parse_uint(w, n) || n > 1'000'000'000) {
      bad = w;
      return {};
    }
    out.push_back(static_cast<int>(n));
  }
  return out;
}

}  // namespace

void Debugger::sync_breakpoints() {
  Process& p = s_.process();
  std::set<GuestAddr> want;
  std::unordered_set<std::uint64_t> calls;
  bool all_calls = false;
  for (const auto& b : breakpoints_) {
    if (!b.enabled) continue;
    if (b.type == DebugBreakpoint::Type::breakpoint) want.insert(b.addr);
    if (b.type == DebugBreakpoint::Type::catchpoint) {
      if (b.syscalls.empty()) all_calls = true;
      calls.insert(b.syscalls.begin(), b.syscalls.end());
    }
  }
  // Every breakpoint address known to any breakpoint: drop the disabled ones.
  for (const auto& b : breakpoints_)
    if (b.type == DebugBreakpoint::Type::breakpoint && !want.count(b.addr)) p.remove_breakpoint(b.addr);
  for (GuestAddr a : want) p.add_breakpoint(a);
  p.catch_syscalls(std::move(calls), all_calls);
}

void Debugger::add_breakpoint(const std::string& spec, bool temporary) {
  std::string loc = spec, cond;
  if (const auto pos = spec.find(" if "); pos != std::string::npos) {
    loc = spec.substr(0, pos);
    cond = spec.substr(pos + 4);
  }
  if (loc.empty()) {
    const GuestAddr pc = s_.process().regs_of(s_.process().current())[Reg::rip];
    loc = fmt::format("{:#x}", pc);
  }
  auto l = s_.resolve(loc);
  if (!l) return error(l.error());
  if (l->kind == Location::Kind::insn) return error("break needs an address LOC; for insn:N use \"until insn:N\"");
  if (!cond.empty()) {
    ExprEvaluator ev(s_, selected_tid_);
    auto v = ev.eval(cond);
    // A condition may not be evaluable yet (allp before schedinit): only syntax errors are refused.
    if (!v && (v.error().find("unexpected") != std::string::npos || v.error().find("bad number") != std::string::npos ||
               v.error().find("missing") != std::string::npos))
      return error(v.error());
  }
  DebugBreakpoint b;
  b.number = next_breakpoint_++;
  b.type = DebugBreakpoint::Type::breakpoint;
  b.temporary = temporary;
  b.what = loc;
  b.addr = l->addr;
  b.condition = cond;
  breakpoints_.push_back(b);
  sync_breakpoints();
  std::string where = s_.symbols().describe_code(b.addr);
  if (auto src = s_.symbols().source(b.addr)) where += ", " + src->short_form();
  say(fmt::format("{} {} at {:#x}: {}{}\n", temporary ? "Temporary breakpoint" : "Breakpoint", b.number, b.addr, where,
                  cond.empty() ? "" : " if " + cond));
  result_["breakpoint"] = {{"number", b.number}, {"addr", fmt::format("{:#x}", b.addr)}, {"where", where}};
}

void Debugger::cmd_break(const Args& a) { add_breakpoint(a.rest, false); }
void Debugger::cmd_tbreak(const Args& a) { add_breakpoint(a.rest, true); }

void Debugger::cmd_delete(const Args& a) {
  std::string bad;
  const auto nums = parse_numbers(a.rest, bad);
  if (!bad.empty()) return error(fmt::format("Convenience variables and ranges are not supported: \"{}\"; give breakpoint numbers", bad));
  auto drop = [&](const DebugBreakpoint& b) {
    if (b.type == DebugBreakpoint::Type::breakpoint) s_.process().remove_breakpoint(b.addr);
  };
  if (nums.empty()) {
    for (const auto& b : breakpoints_) drop(b);
    breakpoints_.clear();
  } else {
    for (int n : nums) {
      auto it = std::find_if(breakpoints_.begin(), breakpoints_.end(), [n](const auto& b) { return b.number == n; });
      if (it == breakpoints_.end()) {
        error(fmt::format("No breakpoint number {}.", n));
        continue;
      }
      drop(*it);
      breakpoints_.erase(it);
    }
  }
  sync_breakpoints();
}

static void set_enabled(std::vector<DebugBreakpoint>& bps, const std::vector<int>& nums, bool on, Debugger& d) {
  if (nums.empty())
    for (auto& b : bps) b.enabled = on;
  for (int n : nums) {
    auto it = std::find_if(bps.begin(), bps.end(), [n](const auto& b) { return b.number == n; });
    if (it == bps.end()) d.error(fmt::format("No breakpoint number {}.", n));
    else it->enabled = on;
  }
}

void Debugger::cmd_disable(const Args& a) {
  std::string bad;
  const auto nums = parse_numbers(a.rest, bad);
  if (!bad.empty()) return error(fmt::format("Bad breakpoint number \"{}\"", bad));
  set_enabled(breakpoints_, nums, false, *this);
  sync_breakpoints();
}

void Debugger::cmd_enable(const Args& a) {
  std::string bad;
  const auto nums = parse_numbers(a.rest, bad);
  if (!bad.empty()) return error(fmt::format("Bad breakpoint number \"{}\"", bad));
  set_enabled(breakpoints_, nums, true, *this);
  sync_breakpoints();
}

void Debugger::cmd_watch(const Args& a) {
  if (a.rest.empty()) return error("watch needs an expression: g0.stack.lo, m0.tls[0], allp[0].runnext, *ADDR@LEN");
  ExprEvaluator ev(s_, selected_tid_);
  auto v = ev.eval(a.rest);
  DebugBreakpoint b;
  b.number = next_breakpoint_++;
  b.type = DebugBreakpoint::Type::watchpoint;
  b.what = a.rest;
  b.depends_on = ev.last_reads();
  if (v) {
    b.last_value = ev.format(*v);
  } else if (v.error().find("unexpected") != std::string::npos || v.error().find("No symbol") != std::string::npos ||
             v.error().find("no member") != std::string::npos || v.error().find("missing") != std::string::npos) {
    --next_breakpoint_;
    return error(v.error());
  }
  if (b.depends_on.empty() && v && !v->address)
    return --next_breakpoint_, error(fmt::format("Cannot watch constant value \"{}\".", a.rest));
  breakpoints_.push_back(b);
  say(fmt::format("Watchpoint {}: {}{}\n", b.number, a.rest,
                  v ? "" : fmt::format(" (not readable yet: {}; watched from when it is)", v.error())));
  result_["watchpoint"] = {{"number", b.number}, {"expr", a.rest}, {"value", v ? nlohmann::ordered_json(b.last_value) : nlohmann::ordered_json(nullptr)}};
}

void Debugger::arm_watchpoints() {
  std::vector<std::pair<GuestAddr, std::uint64_t>> ranges;
  for (auto& b : breakpoints_) {
    if (b.type != DebugBreakpoint::Type::watchpoint || !b.enabled) continue;
    ExprEvaluator ev(s_, selected_tid_);
    auto v = ev.eval(b.what);
    b.last_value = v ? ev.format(*v) : "";
    b.depends_on = ev.last_reads();
    // Not evaluable yet: watch what it was computed from so far (e.g. runtime.allp's header).
    ranges.insert(ranges.end(), b.depends_on.begin(), b.depends_on.end());
  }
  s_.process().set_watch_ranges(std::move(ranges));
}

bool Debugger::check_watchpoints(GuestAddr writer) {
  bool changed = false;
  for (auto& b : breakpoints_) {
    if (b.type != DebugBreakpoint::Type::watchpoint || !b.enabled) continue;
    ExprEvaluator ev(s_, selected_tid_);
    auto v = ev.eval(b.what);
    const std::string now = v ? ev.format(*v) : "";
    b.depends_on = ev.last_reads();
    if (now == b.last_value) continue;
    ++b.hits;
    say(fmt::format("\nWatchpoint {}: {}\n\nOld value = {}\nNew value = {}\n", b.number, b.what,
                    b.last_value.empty() ? "<unreadable>" : b.last_value, now.empty() ? "<unreadable>" : now));
    result_["watchpoint"] = {{"number", b.number}, {"expr", b.what},
                             {"old", b.last_value.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(b.last_value)},
                             {"new", now.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(now)}};
    b.last_value = now;
    changed = true;
  }
  if (changed) {
    std::uint8_t code[16] = {};
    s_.process().memory().peek(writer, code, sizeof code);
    std::string src;
    if (auto l = s_.symbols().source(writer)) src = "  (" + l->short_form() + ")";
    say(fmt::format("Written by {:#x} {}: {}{}\n", writer, s_.symbols().describe_code(writer),
                    disassemble_one(code, sizeof code, writer), src));
    result_["written_by"] = fmt::format("{:#x}", writer);
  }
  return changed;
}

void Debugger::cmd_catch(const Args& a) {
  std::istringstream in(a.rest);
  std::string kind;
  in >> kind;
  if (kind != "syscall") return error("Only \"catch syscall [NAME|NR]...\" is supported.");
  DebugBreakpoint b;
  b.type = DebugBreakpoint::Type::catchpoint;
  std::string w, names;
  while (in >> w) {
    std::uint64_t nr = 0;
    if (parse_uint(w, nr)) {
      if (nr > 1023) return error(fmt::format("Unknown syscall number '{}'.", w));
    } else if (const SyscallInfo* info = find_syscall(w)) {
      nr = static_cast<std::uint64_t>(info->nr);
    } else {
      bool found = false;
      for (std::uint64_t n = 0; n < 512 && !found; ++n)
        if (syscall_name(n) == w) nr = n, found = true;
      if (!found) return error(fmt::format("Unknown syscall name '{}'.", w));
    }
    b.syscalls.insert(nr);
    names += (names.empty() ? "" : " ") + fmt::format("'{}' [{}]", syscall_name(nr), nr);
  }
  b.number = next_breakpoint_++;
  b.what = "syscall " + (names.empty() ? std::string("(any)") : names);
  breakpoints_.push_back(b);
  sync_breakpoints();
  say(fmt::format("Catchpoint {} (syscall{})\n", b.number, names.empty() ? "" : " " + names));
}

void Debugger::cmd_info_breakpoints(const Args&) {
  if (breakpoints_.empty()) return say("No breakpoints, watchpoints or catchpoints.\n");
  std::string s = "Num     Type           Disp Enb Address            What\n";
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const auto& b : breakpoints_) {
    const char* type = b.type == DebugBreakpoint::Type::breakpoint ? "breakpoint"
                       : b.type == DebugBreakpoint::Type::watchpoint ? "watchpoint" : "catchpoint";
    std::string what = b.what;
    std::string addr;
    if (b.type == DebugBreakpoint::Type::breakpoint) {
      addr = fmt::format("{:#018x}", b.addr);
      what = s_.symbols().describe_code(b.addr);
      if (auto src = s_.symbols().source(b.addr)) what += " at " + src->short_form();
    }
    s += fmt::format("{:<7} {:<14} {:<4} {:<3} {:<18} {}\n", b.number, type, b.temporary ? "del" : "keep",
                     b.enabled ? "y" : "n", addr, what);
    if (!b.condition.empty()) s += fmt::format("\tstop only if {}\n", b.condition);
    if (b.hits) s += fmt::format("\tbreakpoint already hit {} time{}\n", b.hits, b.hits == 1 ? "" : "s");
    list.push_back({{"number", b.number}, {"type", type}, {"enabled", b.enabled}, {"what", what}, {"hits", b.hits}});
  }
  say(s);
  result_["breakpoints"] = list;
}

}  // namespace gostep
