// The `gostep debug` command interpreter: gdb's command names and
// abbreviations over a Session. It formats for people (or JSON); the session
// underneath only runs, stops and answers.
#pragma once

#include <nlohmann/json.hpp>

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "expr.h"
#include "session/session.h"
#include "source_text.h"

namespace gostep {

struct DebugOptions {
  bool json = false;   // one JSON object per command result
  bool color = false;  // only on a terminal
};

struct DebugBreakpoint {
  int number = 0;
  enum class Type { breakpoint, watchpoint, catchpoint } type = Type::breakpoint;
  bool enabled = true;
  bool temporary = false;
  int hits = 0;
  std::string what;       // as typed: "runtime.settls", "g0.stack.lo", "syscall arch_prctl"
  GuestAddr addr = 0;     // breakpoint
  std::string condition;  // "if EXPR" (breakpoints)
  // watchpoint: the last value seen (empty: not evaluable yet) and the
  // addresses it was computed from (a write to any of them re-evaluates it).
  std::string last_value;
  std::vector<std::pair<GuestAddr, std::uint64_t>> depends_on;
  // catchpoint: the system call numbers (empty: any).
  std::set<std::uint64_t> syscalls;
};

class Debugger {
 public:
  Debugger(Session& session, DebugOptions options);

  // Runs one command line. Returns false after `quit`.
  bool execute(const std::string& line);
  // Completions for the word being typed at the end of `line` (commands, then
  // symbols, milestones and runtime paths).
  std::vector<std::string> complete(const std::string& line) const;
  // The prompt's status: the guest's exit status once it ended, else 0.
  int exit_status() const { return exit_status_; }
  // Whether an empty line after `line` repeats it (stepi, next, continue, x, list...).
  static bool repeatable(const std::string& line);
  // What `gostep debug` prints before the first prompt.
  std::string banner();

  // Everything a command prints goes through these (text or JSON).
  void say(const std::string& text);
  void error(const std::string& text);
  nlohmann::ordered_json& result() { return result_; }

  Session& session() { return s_; }
  int selected_tid() const { return selected_tid_; }

  // --- command implementations (debug_*.cpp) ---
  struct Args {
    std::string command;  // canonical name
    std::string rest;     // everything after the command word, trimmed
    std::string count_suffix;  // for x/FMT: "8gx"
  };
  using Handler = void (Debugger::*)(const Args&);
  struct Command {
    std::string name;
    std::vector<std::string> aliases;  // exact alternatives ("si", "b", "bt")
    std::string usage;
    std::string help;
    Handler fn;
  };

 private:
  const Command* find_command(const std::string& word, std::string& why) const;
  void register_commands();

  // debug_run.cpp
  void cmd_stepi(const Args&);
  void cmd_nexti(const Args&);
  void cmd_continue(const Args&);
  void cmd_until(const Args&);
  void cmd_run(const Args&);
  void cmd_kill(const Args&);
  void report_stop(const RunResult& r, bool show_location);
  void report_effects(const InstructionEffects& fx);
  std::string location_line(int tid);
  bool guest_alive(const char* what);
  // Runs until a stop the user should see: breakpoints (with conditions and hit
  // counts), watchpoints whose value changed, caught system calls.
  RunResult resume_until_user_stop(std::optional<std::uint64_t> until_insn = std::nullopt,
                                   std::optional<GuestAddr> until_addr = std::nullopt);
  void arm_watchpoints();
  bool check_watchpoints(GuestAddr writer);  // true if one changed (and reported)

  // debug_break.cpp
  void cmd_break(const Args&);
  void cmd_tbreak(const Args&);
  void cmd_delete(const Args&);
  void cmd_disable(const Args&);
  void cmd_enable(const Args&);
  void cmd_watch(const Args&);
  void cmd_catch(const Args&);
  void cmd_info_breakpoints(const Args&);
  void add_breakpoint(const std::string& spec, bool temporary);
  void sync_breakpoints();

  // debug_data.cpp: print, x, display, disassemble, list
  void cmd_print(const Args&);
  void cmd_x(const Args&);
  void cmd_display(const Args&);
  void cmd_undisplay(const Args&);
  void cmd_disassemble(const Args&);
  void cmd_list(const Args&);
  void show_displays();  // after every stop, like gdb

  // debug_stack.cpp: backtrace, frames, finish, source-line stepping
  void cmd_backtrace(const Args&);
  void cmd_frame(const Args&);
  void cmd_up(const Args&);
  void cmd_down(const Args&);
  void cmd_info_frame(const Args&);
  void cmd_finish(const Args&);
  void cmd_step(const Args&);
  void cmd_next(const Args&);

  // debug_info.cpp
  void cmd_info(const Args&);
  void cmd_info_registers(const Args&);
  void cmd_info_threads(const Args&);
  void cmd_info_syscalls(const Args&);
  void cmd_info_mappings(const Args&);
  void cmd_thread(const Args&);
  void cmd_milestones(const Args&);
  void cmd_set(const Args&);
  void cmd_help(const Args&);
  void cmd_quit(const Args&);
  void cmd_echo(const Args&);

  Session& s_;
  DebugOptions opts_;
  std::vector<Command> commands_;
  SourceText sources_;
  std::vector<DebugBreakpoint> breakpoints_;
  int next_breakpoint_ = 1;
  int selected_tid_ = 0;
  bool show_effects_ = true;
  bool att_syntax_ = true;
  bool quit_ = false;
  int exit_status_ = 0;
  bool ended_ = false;
  // debug_data.cpp state
  std::vector<std::pair<int, std::string>> displays_;
  int next_display_ = 1;
  std::vector<ExprValue> history_;                     // print's $1, $2...
  char x_format_ = 'x', x_size_ = 'w';                 // x's last format and unit, as gdb keeps them
  std::optional<GuestAddr> x_next_;                    // where a bare `x` goes on
  std::string list_path_;                              // what `list` showed last, and when
  int list_first_ = 0, list_last_ = 0;
  std::uint64_t list_insn_ = 0;
  // debug_stack.cpp state: the selected frame (0 = innermost).
  int selected_frame_ = 0;
  // Per command.
  nlohmann::ordered_json result_;
  std::string text_;
  bool failed_ = false;

  friend struct DebuggerAccess;
};

}  // namespace gostep
