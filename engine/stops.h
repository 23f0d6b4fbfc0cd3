// The table of everything that can stop the guest for the user (gdb's
// "breakpoints" in the wide sense: breakpoints, watchpoints, catchpoints), with
// their conditions, hit and ignore counts, plus the engine's own internal
// breakpoints (until, finish, next), reference-counted so that two users of one
// address never remove each other's. The table is the only writer of the
// process's breakpoint, watch and catch sets (sync()).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "emulator/process.h"
#include "engine/value.h"
#include "runtime_model/unwind.h"

namespace gostep::engine {

struct Stop {
  enum class Type { breakpoint, watchpoint, catchpoint };
  int number = 0;
  Type type = Type::breakpoint;
  bool enabled = true;
  bool temporary = false;  // deleted when hit
  int hits = 0;
  std::uint64_t ignore = 0;  // crossings still to ignore (gdb's ignore count)
  std::string what;          // as the user typed it: "runtime.settls", "m0.tls[0]", "syscall arch_prctl"
  // breakpoint
  std::vector<GuestAddr> addrs;  // every address its LOC stands for
  std::string condition;         // "" or EXPR
  // watchpoint: the value last seen (nullopt: not readable yet) and the guest
  // ranges it was computed from (a write to any of them re-evaluates it)
  std::optional<Value> last;
  std::vector<Range> ranges;
  // A watchpoint on a frame's local: that frame (its CFA, where it returns). It is
  // evaluated in that frame, and deleted when the frame returns (gdb).
  std::optional<model::Frame> scope;
  // catchpoint: system call numbers (empty: every call)
  std::set<std::uint64_t> syscalls;
};

class StopTable {
 public:
  Stop& add_breakpoint(std::vector<GuestAddr> addrs, std::string what, std::string condition, bool temporary);
  Stop& add_watchpoint(std::string expr, std::optional<Value> value, std::vector<Range> ranges);
  Stop& add_catchpoint(std::set<std::uint64_t> syscalls, std::string what);
  bool remove(int number);
  void clear();
  Stop* find(int number);
  const std::vector<Stop>& all() const { return stops_; }
  std::vector<Stop>& all() { return stops_; }
  // The enabled breakpoints at `pc`, in number order.
  std::vector<Stop*> breakpoints_at(GuestAddr pc);

  // Internal breakpoints: each add needs its remove.
  void add_internal(GuestAddr pc) { ++internal_[pc]; }
  void remove_internal(GuestAddr pc);
  bool is_internal(GuestAddr pc) const { return internal_.count(pc) != 0; }

  // Makes the process's breakpoint set, catch set and watch ranges what this table says.
  void sync(Process& p);
  // A new process (run): it has none of our breakpoints yet.
  void forget_installed() { installed_.clear(); }

 private:
  std::vector<Stop> stops_;
  int next_ = 1;
  std::map<GuestAddr, int> internal_;
  std::set<GuestAddr> installed_;
};

}  // namespace gostep::engine
