#include "engine/stops.h"

#include <algorithm>

namespace gostep::engine {

Stop& StopTable::add_breakpoint(std::vector<GuestAddr> addrs, std::string what, std::string condition, bool temporary) {
  Stop s;
  s.number = next_++;
  s.type = Stop::Type::breakpoint;
  s.addrs = std::move(addrs);
  s.what = std::move(what);
  s.condition = std::move(condition);
  s.temporary = temporary;
  stops_.push_back(std::move(s));
  return stops_.back();
}

Stop& StopTable::add_watchpoint(std::string expr, std::optional<Value> value, std::vector<Range> ranges) {
  Stop s;
  s.number = next_++;
  s.type = Stop::Type::watchpoint;
  s.what = std::move(expr);
  s.last = std::move(value);
  s.ranges = std::move(ranges);
  stops_.push_back(std::move(s));
  return stops_.back();
}

Stop& StopTable::add_catchpoint(std::set<std::uint64_t> syscalls, std::string what) {
  Stop s;
  s.number = next_++;
  s.type = Stop::Type::catchpoint;
  s.syscalls = std::move(syscalls);
  s.what = std::move(what);
  stops_.push_back(std::move(s));
  return stops_.back();
}

bool StopTable::remove(int number) {
  auto it = std::find_if(stops_.begin(), stops_.end(), [number](const Stop& s) { return s.number == number; });
  if (it == stops_.end()) return false;
  stops_.erase(it);
  return true;
}

void StopTable::clear() { stops_.clear(); }

Stop* StopTable::find(int number) {
  for (auto& s : stops_)
    if (s.number == number) return &s;
  return nullptr;
}

std::vector<Stop*> StopTable::breakpoints_at(GuestAddr pc) {
  std::vector<Stop*> out;
  for (auto& s : stops_)
    if (s.type == Stop::Type::breakpoint && s.enabled && std::find(s.addrs.begin(), s.addrs.end(), pc) != s.addrs.end())
      out.push_back(&s);
  return out;
}

void StopTable::remove_internal(GuestAddr pc) {
  auto it = internal_.find(pc);
  if (it != internal_.end() && --it->second <= 0) internal_.erase(it);
}

void StopTable::sync(Process& p) {
  std::set<GuestAddr> want;
  std::unordered_set<std::uint64_t> calls;
  bool all_calls = false;
  std::vector<std::pair<GuestAddr, std::uint64_t>> ranges;
  for (const auto& s : stops_) {
    if (!s.enabled) continue;
    switch (s.type) {
      case Stop::Type::breakpoint:
        want.insert(s.addrs.begin(), s.addrs.end());
        break;
      case Stop::Type::catchpoint:
        if (s.syscalls.empty()) all_calls = true;
        calls.insert(s.syscalls.begin(), s.syscalls.end());
        break;
      case Stop::Type::watchpoint:
        ranges.insert(ranges.end(), s.ranges.begin(), s.ranges.end());
        if (s.scope && s.scope->ret_addr) want.insert(s.scope->ret_addr);  // where its frame returns
        break;
    }
  }
  for (const auto& [pc, n] : internal_) want.insert(pc);
  for (GuestAddr a : installed_)
    if (!want.count(a)) p.remove_breakpoint(a);
  for (GuestAddr a : want)
    if (!installed_.count(a)) p.add_breakpoint(a);
  installed_ = std::move(want);
  p.catch_syscalls(std::move(calls), all_calls);
  p.set_watch_ranges(std::move(ranges));
}

}  // namespace gostep::engine
