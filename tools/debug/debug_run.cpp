// Everything that runs the guest: stepi, nexti, step, next, finish, continue,
// until/advance, run, kill. Each builds an engine RunCommand and renders the
// StopEvent that comes back (debug_report.cpp).
#include <fmt/format.h>

#include <cctype>

#include "debugger.h"
#include "tools/stop_report.h"
#include "tools/text_util.h"

namespace gostep {
namespace {

bool parse_count(const std::string& rest, std::uint64_t& n) {
  n = 1;
  if (rest.empty()) return true;
  return parse_uint(rest, n) && n > 0 && n <= 1'000'000'000'000ULL;
}

// "SIGINT", "INT", "int" or "2" -> 2; 0 when it is none of those.
int parse_signal(const std::string& text) {
  std::uint64_t n = 0;
  if (parse_uint(text, n)) return n >= 1 && n <= 64 ? static_cast<int>(n) : 0;
  std::string up;
  for (char c : text) up += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (up.rfind("SIG", 0) != 0) up = "SIG" + up;
  for (int sig = 1; sig < 32; ++sig)
    if (signal_name(sig) == up) return sig;
  return 0;
}

}  // namespace

void Debugger::run_and_report(const engine::RunCommand& cmd) {
  // With colour on, the info views paint what this command changed.
  std::optional<model::RuntimeState> before;
  if (paint_.on() && t_.session().model() && !t_.ended()) before = t_.runtime_state(t_.selected_thread());
  auto ev = t_.resume(cmd);
  if (!ev) return error(ev.error());
  changed_.changed.clear();
  if (before && !t_.ended())
    for (const auto& c : model::RuntimeModel::diff(*before, t_.runtime_state(t_.selected_thread())))
      changed_.changed.insert(c.path);
  report(*ev);
}

void Debugger::cmd_stepi(const Args& a) {
  engine::RunCommand cmd;
  cmd.kind = a.command == "nexti" ? engine::RunKind::nexti : engine::RunKind::stepi;
  if (!parse_count(a.rest, cmd.count)) return error(fmt::format("{} takes a positive count, not \"{}\"", a.command, a.rest));
  // With the effect display off, stepi N runs in one go (continue's speed); the
  // JSON still carries each instruction's effects.
  cmd.effects = show_effects_ || opts_.json || cmd.kind == engine::RunKind::nexti;
  run_and_report(cmd);
}

void Debugger::cmd_step(const Args& a) {
  engine::RunCommand cmd;
  cmd.kind = a.command == "next" ? engine::RunKind::next : engine::RunKind::step;
  if (!parse_count(a.rest, cmd.count)) return error(fmt::format("{} takes a positive count, not \"{}\"", a.command, a.rest));
  cmd.effects = show_effects_ || opts_.json;
  run_and_report(cmd);
}

void Debugger::cmd_finish(const Args& a) {
  if (!a.rest.empty()) return error("finish takes no arguments (it finishes the selected frame; see \"up\").");
  if (!t_.ended()) {
    const auto bt = t_.selected_backtrace();
    const auto level = static_cast<std::size_t>(t_.selected_frame());
    if (bt.unavailable.empty() && level < bt.frames.size() && !bt.frames[level].outermost && !bt.frames[level].inlined) {
      const auto& f = bt.frames[level];
      const auto fn = t_.symbols().function_at(f.lookup_pc);
      std::string where = fmt::format("#{:<3}{:#x} in {}", level, f.pc, fn ? fn->name : std::string("??"));
      if (auto src = t_.symbols().source(f.lookup_pc)) where += " at " + src->short_form();
      say(fmt::format("Run till exit from {}\n", where));
    }
  }
  engine::RunCommand cmd;
  cmd.kind = engine::RunKind::finish;
  cmd.effects = show_effects_ || opts_.json;
  run_and_report(cmd);
}

void Debugger::cmd_continue(const Args& a) {
  engine::RunCommand cmd;
  cmd.kind = engine::RunKind::cont;
  if (!parse_count(a.rest, cmd.count)) return error(fmt::format("continue takes a positive count, not \"{}\"", a.rest));
  run_and_report(cmd);
}

void Debugger::cmd_until(const Args& a) {
  if (a.rest.empty())
    return error(fmt::format("{} needs a LOC: SYMBOL, 0xADDR, FILE:LINE, insn:N, milestone:NAME", a.command));
  engine::RunCommand cmd;
  cmd.kind = engine::RunKind::until;
  cmd.loc = a.rest;
  run_and_report(cmd);
}

void Debugger::cmd_reverse(const Args& a) {
  engine::RunCommand cmd;
  const std::string& c = a.command;
  cmd.kind = c == "reverse-stepi"   ? engine::RunKind::reverse_stepi
             : c == "reverse-nexti" ? engine::RunKind::reverse_nexti
             : c == "reverse-step"  ? engine::RunKind::reverse_step
             : c == "reverse-next"  ? engine::RunKind::reverse_next
             : c == "reverse-finish" ? engine::RunKind::reverse_finish
                                    : engine::RunKind::reverse_continue;
  const bool counted = cmd.kind != engine::RunKind::reverse_continue && cmd.kind != engine::RunKind::reverse_finish;
  if (!counted && !a.rest.empty()) return error(fmt::format("{} takes no arguments", c));
  if (counted && !parse_count(a.rest, cmd.count)) return error(fmt::format("{} takes a positive count, not \"{}\"", c, a.rest));
  cmd.effects = show_effects_ || opts_.json;
  run_and_report(cmd);
}

void Debugger::cmd_goto(const Args& a) {
  if (a.rest.empty())
    return error("goto needs insn:N (the instruction index a stop line shows: [thread T, insn N]) or a LOC");
  engine::RunCommand cmd;
  cmd.kind = engine::RunKind::go_to;
  cmd.loc = a.rest;
  run_and_report(cmd);
}

void Debugger::cmd_run(const Args&) {
  say(fmt::format("Starting program: {}\n", t_.session().image().path));
  engine::RunCommand cmd;
  cmd.kind = engine::RunKind::start;
  run_and_report(cmd);
}

void Debugger::cmd_kill(const Args&) {
  if (t_.ended()) return error("The program is not being run.");
  t_.kill();
  say(fmt::format("[Inferior 1 (process {}) killed]\n", t_.pid()));
}

// gdb's queue-signal: the signal a user would send (Ctrl-C is the debugger's
// own here), delivered to the program when it runs again, at this instruction.
void Debugger::cmd_queue_signal(const Args& a) {
  const int sig = parse_signal(trim(a.rest));
  if (!sig) return error(fmt::format("queue-signal needs a signal: a name (SIGINT, INT) or a number, not \"{}\"", a.rest));
  if (t_.ended()) return error("The program is not being run.");
  if (sig == 9 || sig == 19) return error(fmt::format("{} cannot be queued: the program could not handle it", signal_name(sig)));
  t_.queue_signal(sig);
  result_["signal"] = signal_name(sig);
  result_["before_insn"] = t_.next_insn();
  say(fmt::format("{} queued for the program: it arrives before instruction {} when the program runs again.\n",
                  signal_name(sig), with_commas(t_.next_insn())));
}

}  // namespace gostep
