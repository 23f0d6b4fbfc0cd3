#include "debugger.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <sstream>

#include "runtime_model/milestones.h"
#include "tools/text_util.h"

namespace gostep {

Debugger::Debugger(engine::Target& target, DebugOptions options)
    : t_(target), opts_(options), paint_(options.color && !options.json) {
  changed_.paint = paint_;
  register_commands();
  sources_.set_resolver([this](const std::string& p) { return t_.sources().find(p); });
}

std::size_t Debugger::width() const { return width_ ? *width_ : output_width(1); }

void Debugger::register_commands() {
  // gdb's names and abbreviations; a unique prefix of a name also works.
  commands_ = {
      {"stepi", {"si"}, "stepi [N]", "Execute N machine instructions (default 1) of the selected thread and show what each changed", &Debugger::cmd_stepi},
      {"nexti", {"ni"}, "nexti [N]", "Like stepi, but a CALL runs to its return (and shows the call's net effect)", &Debugger::cmd_stepi},
      {"continue", {"c", "cont"}, "continue [N]", "Run until a breakpoint, watchpoint or catchpoint (N: ignore this breakpoint N-1 more times)", &Debugger::cmd_continue},
      {"until", {"u"}, "until LOC", "Run until LOC is reached (or something else stops the program): SYMBOL, FILE:LINE, insn:N, milestone:NAME", &Debugger::cmd_until},
      {"advance", {}, "advance LOC", "Same as until LOC", &Debugger::cmd_until},
      {"goto", {}, "goto insn:N", "Go to the moment before instruction N, forwards or backwards, stopping at nothing on the way", &Debugger::cmd_goto},
      {"run", {"r"}, "run", "Start the program again from its entry point and run it (breakpoints are kept)", &Debugger::cmd_run},
      {"kill", {"k"}, "kill", "Stop the program; `run` starts it again", &Debugger::cmd_kill},
      {"break", {"b", "br"}, "break LOC [if EXPR]", "Stop before LOC executes: SYMBOL, SYMBOL+OFF, 0xADDR, FILE:LINE, milestone:NAME", &Debugger::cmd_break},
      {"tbreak", {"tb"}, "tbreak LOC [if EXPR]", "A breakpoint that is deleted when it is hit", &Debugger::cmd_tbreak},
      {"delete", {"d"}, "delete [N...]", "Delete breakpoints, watchpoints and catchpoints (all without N)", &Debugger::cmd_delete},
      {"disable", {"dis"}, "disable [N...]", "Disable breakpoints (all without N)", &Debugger::cmd_disable},
      {"enable", {"en"}, "enable [N...]", "Enable breakpoints (all without N)", &Debugger::cmd_enable},
      {"condition", {}, "condition N [EXPR]", "Stop at breakpoint N only if EXPR is true (no EXPR: always)", &Debugger::cmd_condition},
      {"ignore", {}, "ignore N COUNT", "Pass breakpoint N the next COUNT times it is reached", &Debugger::cmd_ignore},
      {"watch", {}, "watch EXPR", "Stop when EXPR's value changes: g0.stack.lo, m0.tls[0], allp[0].runnext, *ADDR@LEN", &Debugger::cmd_watch},
      {"catch", {}, "catch syscall [NAME|NR]...", "Stop after the named system calls return (any call without a name)", &Debugger::cmd_catch},
      {"step", {"s"}, "step [N]", "Run to the next source line, entering calls", &Debugger::cmd_step},
      {"next", {"n"}, "next [N]", "Run to the next source line of this function, stepping over calls", &Debugger::cmd_step},
      {"finish", {"fin"}, "finish", "Run until the selected frame returns", &Debugger::cmd_finish},
      {"backtrace", {"bt", "where"}, "backtrace [N]", "The call stack of the selected thread, through Go and assembly frames", &Debugger::cmd_backtrace},
      {"frame", {"f"}, "frame [N]", "Select frame N, or show the selected frame", &Debugger::cmd_frame},
      {"up", {}, "up [N]", "Select the frame N calls out", &Debugger::cmd_up},
      {"down", {}, "down [N]", "Select the frame N calls in", &Debugger::cmd_down},
      {"print", {"p", "inspect"}, "print[/x|/d] EXPR", "Evaluate EXPR: $rax, g0.stack.lo, m0.tls[0], allp[0].runnext, g(1).sched.sp, *ADDR@LEN", &Debugger::cmd_print},
      {"ptype", {}, "ptype EXPR|TYPE", "The Go type of EXPR, or a type, with its fields' offsets and sizes: ptype runtime.g, ptype list", &Debugger::cmd_ptype},
      {"whatis", {}, "whatis EXPR|TYPE", "The name of EXPR's Go type", &Debugger::cmd_ptype},
      {"x", {}, "x/FMT ADDR", "Examine memory: x/4gx $sp, x/s ADDR, x/8bx &m0 (FMT: count, b|h|w|g, x|d|u|s|i)", &Debugger::cmd_x},
      {"display", {"disp"}, "display EXPR", "Print EXPR after every stop", &Debugger::cmd_display},
      {"undisplay", {}, "undisplay [N...]", "Stop displaying expressions", &Debugger::cmd_undisplay},
      {"disassemble", {"disas"}, "disassemble [LOC]", "Disassemble the function around LOC (default: the current instruction)", &Debugger::cmd_disassemble},
      {"directory", {"dir"}, "directory [DIR]", "Add DIR to the folders searched for source files (none: show them)", &Debugger::cmd_directory},
      {"list", {"l"}, "list [LOC]", "Show source lines around LOC (runtime sources from golang-1.19-src)", &Debugger::cmd_list},
      {"info", {"i", "inf"}, "info WHAT", "registers, breakpoints, locals, args, goroutines, g0, m0, tls, g [GOID|ADDR], m, p, sched, threads, syscalls, frame, proc mappings", &Debugger::cmd_info},
      {"thread", {}, "thread [N]", "Select thread N (stepping follows it), or show the selected one", &Debugger::cmd_thread},
      {"goroutine", {"gr"}, "goroutine [N [CMD]]", "Select goroutine N (its stack and variables), or run CMD on it (bt, info locals, print X) keeping the selection", &Debugger::cmd_goroutine},
      {"goroutines", {"grs"}, "goroutines", "List the goroutines as Delve does (same as info goroutines)", &Debugger::cmd_info_goroutines},
      {"milestones", {}, "milestones", "The bootstrap milestones of the chapter and where they are in this program", &Debugger::cmd_milestones},
      {"tour", {}, "tour", "The guided tour, from the first milestone at or after this instruction (q comes back here)", &Debugger::cmd_tour},
      {"graph", {}, "graph [text|mermaid|dot|svg] [FILE]", "A picture of TLS, g0, m0, the Ps and run queues now (changes since the last one marked)", &Debugger::cmd_graph},
      {"set", {}, "set show-effects|trace-commands on|off, set disassembly-flavor att|intel, set substitute-path FROM TO, set width N", "Change a setting (width N: fit lines to N columns, 0 for no limit)", &Debugger::cmd_set},
      {"echo", {}, "echo TEXT", "Print TEXT (for scripts)", &Debugger::cmd_echo},
      {"help", {"h"}, "help [COMMAND]", "List the commands, or explain one", &Debugger::cmd_help},
      {"quit", {"q", "exit"}, "quit", "Leave gostep", &Debugger::cmd_quit},
  };
}

const Debugger::Command* Debugger::find_command(const std::string& word, std::string& why) const {
  for (const auto& c : commands_) {
    if (c.name == word) return &c;
    for (const auto& a : c.aliases)
      if (a == word) return &c;
  }
  std::vector<const Command*> prefixed;
  for (const auto& c : commands_)
    if (c.name.rfind(word, 0) == 0) prefixed.push_back(&c);
  if (prefixed.size() == 1) return prefixed[0];
  if (prefixed.size() > 1) {
    std::string names;
    for (const auto* c : prefixed) names += (names.empty() ? "" : ", ") + c->name;
    why = fmt::format("Ambiguous command \"{}\": {}.", word, names);
    return nullptr;
  }
  const Command* best = nullptr;
  std::size_t best_d = 3;
  for (const auto& c : commands_) {
    const std::size_t d = edit_distance(word, c.name);
    if (d < best_d) best_d = d, best = &c;
  }
  why = best ? fmt::format("Undefined command: \"{}\". Did you mean \"{}\"? Try \"help\".", word, best->name)
             : fmt::format("Undefined command: \"{}\". Try \"help\".", word);
  return nullptr;
}

void Debugger::say(const std::string& text) { text_ += text; }

void Debugger::error(const std::string& text) {
  failed_ = true;
  text_ += text;
  if (!text.empty() && text.back() != '\n') text_ += '\n';
  result_["error"] = trim(text);
}

bool Debugger::execute(const std::string& raw) {
  const std::string line = trim(raw);
  text_.clear();
  result_ = nlohmann::ordered_json::object();
  failed_ = false;
  if (line.empty()) return !quit_;
  if (trace_commands_ && line[0] != '#') {  // gdb's `set trace-commands on`: "+stepi 2", for transcripts
    if (opts_.json) fmt::print("{}\n", nlohmann::ordered_json{{"trace", line}}.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace));
    else fmt::print("{}", fit_width("+" + line + "\n", width()));
    std::fflush(stdout);
  }
  if (line[0] == '#') {  // comments in scripts are echoed: they are the lecture's narration
    // Invalid UTF-8 (typed, or from a source file) is replaced, never thrown.
    if (opts_.json)
      fmt::print("{}\n", nlohmann::ordered_json{{"comment", line}}.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace));
    else fmt::print("{}", fit_width(line + "\n", width()));
    std::fflush(stdout);
    return true;
  }
  // The command word ends at a space or at '/' (x/8gx, p/x).
  std::size_t end = line.find_first_of(" \t/");
  std::string word = line.substr(0, end);
  std::string suffix, rest;
  if (end != std::string::npos && line[end] == '/') {
    const std::size_t sp = line.find_first_of(" \t", end);
    suffix = line.substr(end + 1, sp == std::string::npos ? std::string::npos : sp - end - 1);
    end = sp;
  }
  if (end != std::string::npos) rest = trim(line.substr(end));
  std::string why;
  const Command* c = find_command(word, why);
  result_["command"] = line;
  if (!c) {
    error(why);
  } else {
    try {
      (this->*(c->fn))(Args{c->name, rest, suffix});
    } catch (const std::exception& e) {
      // Nothing the user types may end the session.
      error(fmt::format("internal error in \"{}\": {}", c->name, e.what()));
    }
  }
  if (opts_.json) {
    result_["ok"] = !failed_;
    if (!text_.empty()) result_["text"] = text_;
    fmt::print("{}\n", result_.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace));
  } else {
    std::fputs(fit_width(text_, width()).c_str(), failed_ ? stderr : stdout);
  }
  std::fflush(stdout);
  std::fflush(stderr);
  return !quit_;
}

std::vector<std::string> Debugger::complete(const std::string& line) const {
  std::vector<std::string> out;
  const std::size_t sp = line.find_last_of(" \t:");
  const std::string word = sp == std::string::npos ? line : line.substr(sp + 1);
  const bool first_word = line.find_first_of(" \t") == std::string::npos;
  auto add = [&](const std::string& cand) {
    if (cand.rfind(word, 0) == 0) out.push_back(cand);
  };
  if (first_word) {
    for (const auto& c : commands_) add(c.name);
  } else if (line.rfind("info ", 0) == 0 || line.rfind("i ", 0) == 0) {
    for (const char* w : {"registers", "breakpoints", "locals", "args", "g0", "m0", "tls", "g", "m", "p", "sched", "goroutines",
                          "threads", "syscalls", "frame", "proc"})
      add(w);
  } else if (sp != std::string::npos && line[sp] == ':' && line.rfind("milestone", sp) != std::string::npos) {
    for (const auto& m : model::milestone_names()) add(m);
  } else {
    for (const char* w : {"g0.", "m0.", "allp[0].", "sched.", "curg.", "milestone:", "$pc", "$sp", "$rax", "$fs_base",
                          "g0.stack.lo", "g0.stack.hi", "g0.stackguard0", "g0.m", "m0.g0", "m0.tls[0]",
                          "m0.curg", "allp[0].runnext", "sched.runqsize", "sched.goidgen"})
      add(w);
    if (word.size() >= 3)
      for (const auto& sym : t_.session().image().symbols)
        if (sym.is_function && sym.name.rfind(word, 0) == 0 && out.size() < 200) out.push_back(sym.name);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

bool Debugger::repeatable(const std::string& line) {
  const std::string t = trim(line);
  const std::string word = t.substr(0, t.find_first_of(" \t/"));
  for (const char* w : {"stepi", "si", "nexti", "ni", "step", "s", "next", "n", "continue", "c", "x", "list", "l",
                        "finish", "up", "down"})
    if (word == w) return true;
  return false;
}

std::string Debugger::banner() {
  Session& s = t_.session();
  std::string b = fmt::format("gostep: {} stopped at its ELF entry point, before its first instruction.\n",
                              s.image().path);
  if (!s.model()) b += fmt::format("gostep: note: {}\n", s.model_error());
  if (!s.version_warning().empty()) b += paint_(Paint::warning, fmt::format("gostep: warning: {}", s.version_warning())) + "\n";
  b += "Type \"help\" for the commands, \"milestones\" for the bootstrap's landmarks.\n";
  return b;
}

void Debugger::cmd_help(const Args& a) {
  if (a.rest.empty()) {
    std::string s = "Commands (gdb's names; a unique prefix works too):\n";
    for (const auto& c : commands_) {
      std::string names = c.name;
      for (const auto& al : c.aliases) names += ", " + al;
      s += fmt::format("  {:<22} {}\n", names, c.help.size() > 74 ? c.help.substr(0, 71) + "..." : c.help);
    }
    s += "\"help COMMAND\" explains one. LOC: SYMBOL, SYMBOL+OFF, 0xADDR, FILE:LINE, insn:N, milestone:NAME.\n";
    say(s);
    return;
  }
  std::string why;
  const Command* c = find_command(a.rest, why);
  if (!c) return error(why);
  std::string names = c->name;
  for (const auto& al : c->aliases) names += ", " + al;
  say(fmt::format("{}\n  {}\n  (also: {})\n", c->usage, c->help, names));
}

void Debugger::cmd_quit(const Args&) { quit_ = true; }

void Debugger::cmd_directory(const Args& a) {
  if (!a.rest.empty()) {
    t_.sources().add_directory(a.rest);
    sources_.forget();
  }
  std::string s = "Source directories searched:";
  for (const auto& d : t_.sources().directories()) s += " " + d + ":";
  s += " the program's module, GOROOT\n";
  say(s);
  result_["directories"] = t_.sources().directories();
}

void Debugger::cmd_echo(const Args& a) {
  // gdb's echo: "\n" is a newline.
  std::string t;
  for (std::size_t i = 0; i < a.rest.size(); ++i) {
    if (a.rest[i] == '\\' && i + 1 < a.rest.size() && a.rest[i + 1] == 'n') {
      t += '\n';
      ++i;
    } else {
      t += a.rest[i];
    }
  }
  say(t);
}

void Debugger::cmd_set(const Args& a) {
  const std::string& r = a.rest;
  auto value = [&](const std::string& key) { return trim(r.substr(key.size())); };
  if (r.rfind("show-effects", 0) == 0) {
    const std::string v = value("show-effects");
    if (v != "on" && v != "off") return error("set show-effects takes on or off");
    show_effects_ = v == "on";
    return;
  }
  if (r.rfind("trace-commands", 0) == 0) {
    const std::string v = value("trace-commands");
    if (v != "on" && v != "off") return error("set trace-commands takes on or off");
    trace_commands_ = v == "on";
    return;
  }
  if (r.rfind("disassembly-flavor", 0) == 0) {
    const std::string v = value("disassembly-flavor");
    if (v != "att" && v != "intel") return error("set disassembly-flavor takes att or intel");
    att_syntax_ = v == "att";
    return;
  }
  if (r.rfind("substitute-path", 0) == 0) {  // gdb: set substitute-path FROM TO
    std::istringstream in(value("substitute-path"));
    std::string from, to;
    if (!(in >> from >> to) || from.empty()) return error("set substitute-path takes FROM TO: set substitute-path /build/src /home/me/src");
    t_.sources().add_substitution(from, to);
    sources_.forget();
    result_["substitute_path"] = {from, to};
    return;
  }
  if (r.rfind("width", 0) == 0) {
    // gdb's `set width N`: lines are fitted to N columns; 0 means no limit.
    std::uint64_t n = 0;
    const std::string v = value("width");
    if (v == "unlimited") n = 0;
    else if (!parse_uint(v, n) || n > 100000)
      return error(fmt::format("set width takes a number of columns (0: no limit), not \"{}\"", v));
    if (n != 0 && n < 20) return error("set width: at least 20 columns (0: no limit)");
    width_ = static_cast<std::size_t>(n);
    return;
  }
  if (r.rfind("confirm", 0) == 0 || r.rfind("pagination", 0) == 0 || r.rfind("height", 0) == 0)
    return;  // gdb habits in scripts: accepted, nothing to change here
  error(fmt::format("Undefined set command: \"{}\". Settings: show-effects on|off, trace-commands on|off, "
                    "disassembly-flavor att|intel, substitute-path FROM TO, width N.", r));
}

}  // namespace gostep
