// How each RunCommand runs the guest (engine-internal; Target::resume is the API).
// Every command goes through go(), so every one honours the user's breakpoints
// (conditions, ignore counts, temporary), watchpoints and catchpoints, and
// reports them the same way.
#pragma once

#include "engine/target.h"

namespace gostep::engine {

class Runner {
 public:
  Runner(Target& target, const RunCommand& cmd);
  model::Result<StopEvent> run();

 private:
  enum class Go { user, end, reached };
  Go go();
  Go step_one(int tid);
  Go run_to_return(int tid, GuestAddr ret, std::uint64_t sp_inside);
  bool check_breakpoints(GuestAddr pc);
  bool check_watch_scopes(GuestAddr pc);
  bool check_watchpoints(const StopReason& r);
  void arm_watchpoints();
  void finish();

  model::Result<bool> do_stepi(bool over);
  model::Result<bool> do_line(bool over);
  model::Result<bool> do_finish();
  model::Result<bool> do_until();
  model::Result<bool> do_goto();
  // runner_reverse.cpp
  model::Result<bool> reverse_ready();
  void rewind_showing(std::uint64_t index, bool undo);
  model::Result<bool> do_reverse_stepi(bool over);
  model::Result<bool> do_reverse_line(bool over);
  model::Result<bool> do_reverse_finish();
  model::Result<bool> do_reverse_continue();
  // A moment a forward run would have stopped at for the user.
  struct Candidate {
    std::uint64_t index = 0;
    std::vector<int> breakpoints;
    std::optional<WatchHit> watch;
    std::optional<CatchHit> catchpoint;
  };
  std::optional<Candidate> last_stop_between(std::uint64_t from, std::uint64_t to);
  void do_continue();

  Target& t_;
  Session& s_;
  RunCommand cmd_;
  StopEvent ev_;
  int tid_ = 0;           // the thread selected when the command began
  int stepping_tid_ = 0;  // the thread a step waits for (its own exit is not "before exit")
};

}  // namespace gostep::engine
