// The `gostep debug` command interpreter: gdb's command names and
// abbreviations over the debugger engine (engine/target.h). It only parses
// commands, asks the engine, and renders what comes back as text or JSON; how
// the guest runs and why it stopped is decided in the engine.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

#include "engine/target.h"
#include "source_text.h"
#include "tools/color.h"
#include "tools/graph/picture.h"
#include "tools/state_text.h"

namespace gostep {

struct DebugOptions {
  bool json = false;   // one JSON object per command result
  bool color = false;  // --color (want_color): only on a terminal unless always
};

class Debugger {
 public:
  Debugger(engine::Target& target, DebugOptions options);

  // Runs one command line. Returns false after `quit`.
  bool execute(const std::string& line);
  // Whether the last execute() failed (an unknown command, a bad argument...).
  bool last_failed() const { return failed_; }
  // `tour` asks the loop around the prompt to run the guided tour (tools/tour/):
  // true once after it was typed.
  bool take_tour_request() {
    const bool r = tour_requested_;
    tour_requested_ = false;
    return r;
  }
  bool json_mode() const { return opts_.json; }
  // Completions for the word being typed at the end of `line` (commands, then
  // symbols, milestones and runtime paths).
  std::vector<std::string> complete(const std::string& line) const;
  // Whether an empty line after `line` repeats it (stepi, next, continue, x, list...).
  static bool repeatable(const std::string& line);
  // What `gostep debug` prints before the first prompt.
  std::string banner();

  // Everything a command prints goes through these (text or JSON).
  void say(const std::string& text);
  void error(const std::string& text);
  nlohmann::ordered_json& result() { return result_; }

  engine::Target& target() { return t_; }
  // Columns text is fitted to: `set width N` (0: no limit, as gdb), else the
  // terminal's, else COLUMNS, else 100.
  std::size_t width() const;
  const Palette& paint() const { return paint_; }

  struct Args {
    std::string command;       // canonical name
    std::string rest;          // everything after the command word, trimmed
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
  const std::vector<Command>& commands() const { return commands_; }

 private:
  const Command* find_command(const std::string& word, std::string& why) const;
  void register_commands();

  // debug_run.cpp: everything that runs the guest
  void cmd_stepi(const Args&);
  void cmd_step(const Args&);
  void cmd_continue(const Args&);
  void cmd_until(const Args&);
  void cmd_goto(const Args&);
  void cmd_finish(const Args&);
  void cmd_run(const Args&);
  void cmd_kill(const Args&);
  void run_and_report(const engine::RunCommand& cmd);

  // debug_report.cpp: what a stop looks like
  void report(const engine::StopEvent& ev);
  void report_effects(const engine::Effects& fx, bool net);
  std::string location_line(int tid, bool with_source = true);
  std::string writer_line(const engine::WatchHit& w);

  // debug_break.cpp
  void cmd_break(const Args&);
  void cmd_tbreak(const Args&);
  void cmd_delete(const Args&);
  void cmd_disable(const Args&);
  void cmd_enable(const Args&);
  void cmd_condition(const Args&);
  void cmd_ignore(const Args&);
  void cmd_watch(const Args&);
  void cmd_catch(const Args&);
  void cmd_info_breakpoints(const Args&);
  void add_breakpoint(const std::string& spec, bool temporary);

  // debug_print.cpp: print, display
  void cmd_print(const Args&);
  void cmd_display(const Args&);
  void cmd_undisplay(const Args&);
  void show_displays();  // after every stop, like gdb
  std::string render_display(int n, const std::string& spec, nlohmann::ordered_json& j);
  std::string explain(const std::string& expr, const engine::EvalError& e);

  // debug_examine.cpp: x, disassemble
  void cmd_x(const Args&);
  void cmd_disassemble(const Args&);

  // debug_list.cpp
  void cmd_list(const Args&);

  // debug_stack.cpp: backtrace, frames
  void cmd_backtrace(const Args&);
  void cmd_frame(const Args&);
  void cmd_up(const Args&);
  void cmd_down(const Args&);
  void cmd_info_frame(const Args&);

  // debug_info.cpp
  void cmd_info(const Args&);
  void cmd_info_registers(const Args&);
  void cmd_info_threads(const Args&);
  void cmd_info_syscalls(const Args&);
  void cmd_info_mappings(const Args&);
  void cmd_info_views(const std::string& what, const std::string& arg);
  // debug_locals.cpp: variables and goroutines
  void cmd_info_locals(const Args&);
  void cmd_info_goroutines(const Args&);
  void cmd_goroutine(const Args&);
  // debug_types.cpp
  void cmd_ptype(const Args&);
  void cmd_thread(const Args&);
  void cmd_milestones(const Args&);
  void cmd_tour(const Args&);
  void cmd_graph(const Args&);
  void cmd_set(const Args&);
  void cmd_help(const Args&);
  void cmd_quit(const Args&);
  void cmd_directory(const Args&);
  void cmd_echo(const Args&);

  engine::Target& t_;
  DebugOptions opts_;
  Palette paint_;
  std::optional<std::size_t> width_;  // `set width N`
  // With colour on: the runtime fields the last command that ran the guest changed
  // (painted in the info views).
  Highlight changed_;
  std::vector<Command> commands_;
  SourceText sources_;
  bool show_effects_ = true;
  bool att_syntax_ = true;
  bool trace_commands_ = false;
  bool quit_ = false;
  bool tour_requested_ = false;
  // `graph`: the last picture shown, so that the next one marks what changed.
  std::optional<graph::Picture> last_picture_;
  // debug_print.cpp / debug_examine.cpp / debug_list.cpp state
  std::vector<std::pair<int, std::string>> displays_;
  int next_display_ = 1;
  char x_format_ = 'x', x_size_ = 'w';  // x's last format and unit, as gdb keeps them
  std::optional<GuestAddr> x_next_;     // where a bare `x` goes on
  std::string list_path_;               // what `list` showed last, and when
  int list_first_ = 0, list_last_ = 0;
  std::uint64_t list_insn_ = 0;
  // Per command.
  nlohmann::ordered_json result_;
  std::string text_;
  bool failed_ = false;
};

}  // namespace gostep
