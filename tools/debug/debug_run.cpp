// Everything that runs the guest: stepi, nexti, step, next, finish, continue,
// until/advance, run, kill. Each builds an engine RunCommand and renders the
// StopEvent that comes back (debug_report.cpp).
#include <fmt/format.h>

#include "debugger.h"
#include "tools/text_util.h"

namespace gostep {
namespace {

bool parse_count(const std::string& rest, std::uint64_t& n) {
  n = 1;
  if (rest.empty()) return true;
  return parse_uint(rest, n) && n > 0 && n <= 1'000'000'000'000ULL;
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

void Debugger::cmd_goto(const Args& a) {
  if (a.rest.empty()) return error("goto needs insn:N: the instruction index a stop line shows ([thread T, insn N])");
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

}  // namespace gostep
