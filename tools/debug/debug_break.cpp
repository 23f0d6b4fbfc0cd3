// break, tbreak, delete, disable, enable, condition, ignore, watch, catch,
// info breakpoints: the engine's stop table as gdb shows it.
#include <fmt/format.h>

#include <algorithm>
#include <sstream>

#include "debugger.h"
#include "engine/json.h"
#include "tools/text_util.h"
#include "value_format.h"

namespace gostep {
namespace {

// Breakpoint numbers: "2 3 5"; `bad` gets the first word that is not one.
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

void Debugger::add_breakpoint(const std::string& spec, bool temporary) {
  std::string loc = spec, cond;
  if (const auto pos = spec.find(" if "); pos != std::string::npos) {
    loc = trim(spec.substr(0, pos));
    cond = trim(spec.substr(pos + 4));
  } else if (spec.rfind("if ", 0) == 0) {
    loc.clear();
    cond = trim(spec.substr(3));
  }
  if (loc.empty()) loc = fmt::format("{:#x}", t_.pc(t_.selected_thread()));
  auto st = t_.add_breakpoint(loc, cond, temporary);
  if (!st) return error(st.error());
  const engine::Stop& b = **st;
  const GuestAddr addr = b.addrs.front();
  auto where_at = [&](GuestAddr pc) {
    std::string where = t_.symbols().describe_code(pc);
    if (auto src = t_.symbols().source(pc)) where += ", " + src->short_form();
    return where;
  };
  const char* kind = temporary ? "Temporary breakpoint" : "Breakpoint";
  if (b.addrs.size() == 1) {
    say(fmt::format("{} {} at {:#x}: {}{}\n", kind, b.number, addr, where_at(addr), cond.empty() ? "" : " if " + cond));
  } else {  // an inlined function: one location per site (gdb: "Breakpoint 2 at 0x...: main.go:29. (3 locations)")
    say(fmt::format("{} {} at {} locations{}:\n", kind, b.number, b.addrs.size(), cond.empty() ? "" : " if " + cond));
    for (std::size_t i = 0; i < b.addrs.size(); ++i)
      say(fmt::format("  {}.{}  {:#x} in {}\n", b.number, i + 1, b.addrs[i], where_at(b.addrs[i])));
  }
  result_["breakpoint"] = engine::stop_entry_json(b, t_);
}

void Debugger::cmd_break(const Args& a) { add_breakpoint(a.rest, false); }
void Debugger::cmd_tbreak(const Args& a) { add_breakpoint(a.rest, true); }

void Debugger::cmd_delete(const Args& a) {
  std::string bad;
  const auto nums = parse_numbers(a.rest, bad);
  if (!bad.empty())
    return error(fmt::format("Convenience variables and ranges are not supported: \"{}\"; give breakpoint numbers", bad));
  auto& stops = t_.stops();
  if (nums.empty()) stops.clear();
  for (int n : nums)
    if (!stops.remove(n)) error(fmt::format("No breakpoint number {}.", n));
  stops.sync(t_.session().process());
}

static void set_enabled(engine::Target& t, const std::vector<int>& nums, bool on, Debugger& d) {
  if (nums.empty())
    for (auto& b : t.stops().all()) b.enabled = on;
  for (int n : nums) {
    if (engine::Stop* b = t.stops().find(n)) b->enabled = on;
    else d.error(fmt::format("No breakpoint number {}.", n));
  }
  t.stops().sync(t.session().process());
}

void Debugger::cmd_disable(const Args& a) {
  std::string bad;
  const auto nums = parse_numbers(a.rest, bad);
  if (!bad.empty()) return error(fmt::format("Bad breakpoint number \"{}\"", bad));
  set_enabled(t_, nums, false, *this);
}

void Debugger::cmd_enable(const Args& a) {
  std::string bad;
  const auto nums = parse_numbers(a.rest, bad);
  if (!bad.empty()) return error(fmt::format("Bad breakpoint number \"{}\"", bad));
  set_enabled(t_, nums, true, *this);
}

void Debugger::cmd_condition(const Args& a) {
  std::istringstream in(a.rest);
  std::string num;
  in >> num;
  std::uint64_t n = 0;
  if (num.empty() || !parse_uint(num, n) || n > 1'000'000'000)
    return error("condition needs a breakpoint number: condition N EXPR (or condition N to remove it)");
  engine::Stop* b = t_.stops().find(static_cast<int>(n));
  if (!b || b->type != engine::Stop::Type::breakpoint) return error(fmt::format("No breakpoint number {}.", n));
  std::string expr;
  std::getline(in, expr);
  expr = trim(expr);
  if (!expr.empty()) {
    auto v = t_.evaluate(expr);
    if (!v && !v.error().transient()) return error(v.error().message);
  }
  b->condition = expr;
  say(expr.empty() ? fmt::format("Breakpoint {} now unconditional.\n", n) : "");
}

void Debugger::cmd_ignore(const Args& a) {
  std::istringstream in(a.rest);
  std::string num, count;
  in >> num >> count;
  std::uint64_t n = 0, c = 0;
  if (!parse_uint(num, n) || !parse_uint(count, c) || n > 1'000'000'000)
    return error("ignore needs a breakpoint number and a count: ignore N COUNT");
  engine::Stop* b = t_.stops().find(static_cast<int>(n));
  if (!b) return error(fmt::format("No breakpoint number {}.", n));
  b->ignore = c;
  say(c == 0 ? fmt::format("Will stop next time breakpoint {} is reached.\n", n)
             : fmt::format("Will ignore next {} crossings of breakpoint {}.\n", c, n));
}

void Debugger::cmd_watch(const Args& a) {
  if (a.rest.empty()) return error("watch needs an expression: g0.stack.lo, m0.tls[0], allp[0].runnext, *ADDR@LEN");
  auto st = t_.add_watchpoint(a.rest);
  if (!st) return error(st.error());
  const engine::Stop& b = **st;
  std::string why;
  if (!b.last) {
    auto v = t_.evaluate(a.rest);
    if (!v) why = v.error().message;
  }
  say(fmt::format("Watchpoint {}: {}{}\n", b.number, a.rest,
                  b.last ? "" : fmt::format(" (not readable yet: {}; watched from when it is)", why)));
  result_["watchpoint"] = engine::stop_entry_json(b, t_);
}

void Debugger::cmd_catch(const Args& a) {
  std::istringstream in(a.rest);
  std::string kind;
  in >> kind;
  if (kind != "syscall") return error("Only \"catch syscall [NAME|NR]...\" is supported.");
  std::vector<std::string> names;
  std::string w;
  while (in >> w) names.push_back(w);
  auto st = t_.add_catchpoint(names);
  if (!st) return error(st.error());
  const engine::Stop& b = **st;
  const std::string shown = b.what.substr(std::string("syscall ").size());
  say(fmt::format("Catchpoint {} (syscall{})\n", b.number, names.empty() ? "" : " " + shown));
  result_["catchpoint"] = engine::stop_entry_json(b, t_);
}

void Debugger::cmd_info_breakpoints(const Args&) {
  const auto& all = t_.stops().all();
  if (all.empty()) return say("No breakpoints, watchpoints or catchpoints.\n");
  std::string s = "Num     Type           Disp Enb Address            What\n";
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  const PeekMemory peek = [this](std::uint64_t addr, void* out, std::uint64_t n) { return t_.read_memory(addr, out, n); };
  for (const auto& b : all) {
    const char* type = b.type == engine::Stop::Type::breakpoint ? "breakpoint"
                       : b.type == engine::Stop::Type::watchpoint ? "watchpoint" : "catchpoint";
    std::string what = b.what;
    std::string addr;
    if (b.type == engine::Stop::Type::breakpoint && !b.addrs.empty()) {
      addr = fmt::format("{:#018x}", b.addrs.front());
      what = t_.symbols().describe_code(b.addrs.front());
      if (auto src = t_.symbols().source(b.addrs.front())) what += " at " + src->short_form();
    }
    s += fmt::format("{:<7} {:<14} {:<4} {:<3} {:<18} {}\n", b.number, type, b.temporary ? "del" : "keep",
                     b.enabled ? "y" : "n", addr, what);
    if (!b.condition.empty()) s += fmt::format("\tstop only if {}\n", b.condition);
    if (b.hits) s += fmt::format("\tbreakpoint already hit {} time{}\n", b.hits, b.hits == 1 ? "" : "s");
    if (b.ignore) s += fmt::format("\tWill ignore next {} crossings of breakpoint.\n", b.ignore);
    if (b.type == engine::Stop::Type::watchpoint && b.last) s += wrap("\tvalue = " + format_value(*b.last, 0, peek));
    list.push_back(engine::stop_entry_json(b, t_));
  }
  say(s);
  result_["breakpoints"] = list;
}

}  // namespace gostep
