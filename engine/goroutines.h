// Goroutines as Delve lists them: id, status, why it waits (g.waitreason named
// by runtime.waitReasonStrings), where it is (its innermost frame and its
// innermost frame in the program's own code), where it was created (g.gopc, the
// `go` statement), its start function, and the thread running it. Each one's
// stack: a running goroutine's is its thread's; a parked one's starts at g.sched.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/stack.h"
#include "session/session.h"

namespace gostep::engine {

struct GoroutineInfo {
  std::int64_t goid = 0;
  GuestAddr addr = 0;
  std::uint32_t status = 0;
  std::string status_name;   // "_Gwaiting"
  std::string wait_reason;   // "chan receive", "sleep", "semacquire"; "" unless waiting
  int thread = 0;            // the thread running it (0: none)
  bool system = false;       // a runtime goroutine (Delve's -with-system): started in runtime.*
  std::optional<model::Frame> current;    // innermost frame
  std::optional<model::Frame> user;       // innermost frame outside the runtime (the program's own)
  std::string go_function;                // the function that ran the `go` statement (g.gopc)
  std::optional<model::SourceLine> go_source;
  std::string start_function;             // g.startpc
};

// Every goroutine in allgs but the dead ones, by goid.
std::vector<GoroutineInfo> goroutines(Session& s);
// The one with this goid (dead ones too), or nullopt.
std::optional<GoroutineInfo> goroutine(Session& s, std::int64_t goid);
// Its stack: the thread's when it runs on one, else unwound from g.sched.
Backtrace goroutine_backtrace(Session& s, const GoroutineInfo& g);
// Whether a function belongs to the runtime (Delve's rule: runtime.*, and runtime/internal).
bool runtime_function(const std::string& name);
// Whether a function is the program's own: package main or a module's package (its
// path starts with a domain), not the standard library's (sync.(*Mutex).Lock is not).
bool user_function(const std::string& name);

}  // namespace gostep::engine
