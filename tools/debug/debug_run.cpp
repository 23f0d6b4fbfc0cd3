// Running and stepping: stepi, nexti, continue, until/advance, run, kill, and
// what is shown at each stop (the effect display of DESIGN.md's issue).
#include <fmt/format.h>

#include <capstone/capstone.h>

#include <algorithm>
#include <cstring>

#include "debugger.h"
#include "emulator/linux/syscall_table.h"
#include "expr.h"
#include "tools/state_json.h"
#include "tools/stop_report.h"
#include "tools/symbols.h"
#include "tools/text_util.h"

namespace gostep {
namespace {

std::string hex(std::uint64_t v) { return fmt::format("{:#x}", v); }

std::string bytes_hex(const std::vector<std::uint8_t>& b) {
  if (b.size() <= 8) {
    std::uint64_t v = 0;
    std::memcpy(&v, b.data(), b.size());
    return hex(v);
  }
  std::string s;
  for (std::size_t i = 0; i < b.size() && i < 32; ++i) s += fmt::format("{:02x}", b[i]);
  return s + (b.size() > 32 ? "..." : "");
}

std::uint64_t parse_count(const std::string& rest, bool& ok) {
  ok = true;
  if (rest.empty()) return 1;
  std::uint64_t n = 0;
  for (char c : rest) {
    if (c < '0' || c > '9') {
      ok = false;
      return 0;
    }
    n = n * 10 + static_cast<std::uint64_t>(c - '0');
  }
  ok = n > 0;
  return n;
}

}  // namespace

bool Debugger::guest_alive(const char* what) {
  if (!ended_) return true;
  error(fmt::format("The program is not being run; \"run\" starts it again before {}.", what));
  return false;
}

std::string Debugger::location_line(int tid) {
  Process& p = s_.process();
  Thread* t = p.thread_by_tid(tid);
  if (!t) return "";
  const GuestAddr pc = p.regs_of(*t)[Reg::rip];
  std::string s = fmt::format("{:#x} in {}", pc, s_.symbols().describe_code(pc));
  auto src = s_.symbols().source(pc);
  if (src) s += fmt::format(" at {}", src->short_form());
  s += fmt::format("   [thread {}]", tid);  // every stop names its thread
  if (src)
    if (auto text = sources_.line(src->full_path, src->line)) s += fmt::format("\n{}\t{}", src->line, *text);
  return s + "\n";
}

// One instruction's effects: what ran (with its source line beside Capstone's
// disassembly), then each register, memory word and runtime field it changed,
// and the system call it made.
void Debugger::report_effects(const InstructionEffects& fx) {
  Process& p = s_.process();
  std::uint8_t code[16] = {};
  p.memory().peek(fx.pc, code, sizeof code);
  std::string disasm = disassemble_one(code, sizeof code, fx.pc);
  if (!att_syntax_) {
    csh h;
    if (cs_open(CS_ARCH_X86, CS_MODE_64, &h) == CS_ERR_OK) {
      cs_insn* insn = nullptr;
      if (cs_disasm(h, code, sizeof code, fx.pc, 1, &insn) == 1) {
        disasm = fmt::format("{} {}", insn[0].mnemonic, insn[0].op_str);
        cs_free(insn, 1);
      }
      cs_close(&h);
    }
  }
  auto src = s_.symbols().source(fx.pc);
  std::string s = fmt::format("   {:#x} {}   {}\n", fx.pc, s_.symbols().describe_code(fx.pc), disasm);
  if (src) {
    auto text = sources_.line(src->full_path, src->line);
    s += fmt::format("   {}{}\n", src->short_form(), text ? "   " + *text : "");
  }
  nlohmann::ordered_json j;
  j["insn"] = fx.insn;
  j["thread"] = fx.tid;
  j["pc"] = hex(fx.pc);
  j["function"] = s_.symbols().describe_code(fx.pc);
  j["disassembly"] = disasm;
  j["source"] = src ? nlohmann::ordered_json(src->short_form()) : nlohmann::ordered_json(nullptr);
  nlohmann::ordered_json regs = nlohmann::ordered_json::object();
  for (int r = 0; r < kRegCount; ++r) {
    const Reg reg = static_cast<Reg>(r);
    if (reg == Reg::rip || fx.before[reg] == fx.after[reg]) continue;
    s += fmt::format("   {:<8}{} -> {}\n", reg_name(reg), hex(fx.before[reg]), hex(fx.after[reg]));
    regs[reg_name(reg)] = {hex(fx.before[reg]), hex(fx.after[reg])};
  }
  j["registers"] = regs;
  nlohmann::ordered_json writes = nlohmann::ordered_json::array();
  for (const auto& w : fx.writes) {
    auto name = s_.symbols().describe_data(w.addr);
    if (!name && s_.model()) name = s_.model()->describe_heap(s_.reader(), w.addr);
    s += fmt::format("   mem     {}{}: {} -> {}{}\n", hex(w.addr), name ? " " + *name : "", bytes_hex(w.before),
                     bytes_hex(w.after), w.by_kernel ? " (by the kernel)" : "");
    writes.push_back({{"addr", hex(w.addr)},
                      {"symbol", name ? nlohmann::ordered_json(*name) : nlohmann::ordered_json(nullptr)},
                      {"before", bytes_hex(w.before)},
                      {"after", bytes_hex(w.after)},
                      {"by_kernel", w.by_kernel}});
  }
  j["writes"] = writes;
  nlohmann::ordered_json fields = nlohmann::ordered_json::array();
  for (const auto& f : fx.fields) {
    s += fmt::format("   field   {}: {} -> {}\n", f.path, f.before, f.after);
    fields.push_back({{"path", f.path}, {"before", f.before}, {"after", f.after}});
  }
  j["fields"] = fields;
  nlohmann::ordered_json calls = nlohmann::ordered_json::array();
  for (const auto& c : fx.syscalls) {
    const SyscallInfo* info = find_syscall(c.nr);
    std::string args;
    if (info)
      for (std::size_t i = 0; i < 6 && info->args[i]; ++i)
        args += fmt::format("{}{}={}", i ? ", " : "", info->args[i], hex(c.args[i]));
    const std::string name = info ? info->name : syscall_name(c.nr);
    const std::string result = c.blocked ? "blocks" : fmt::format("= {}", c.result < 0 && c.result > -4096
                                                                            ? std::to_string(c.result)
                                                                            : hex(static_cast<std::uint64_t>(c.result)));
    s += fmt::format("   syscall {}({}) {}\n", name, args, result);
    calls.push_back({{"nr", c.nr}, {"name", name}, {"args", args}, {"result", c.blocked ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(c.result)}});
  }
  j["syscalls"] = calls;
  result_["effects"].push_back(j);
  if (show_effects_) say(s);
}

void Debugger::report_stop(const RunResult& r, bool show_location) {
  Process& p = s_.process();
  const StopReason& st = r.stop;
  switch (st.kind) {
    case StopKind::exited:
      ended_ = true;
      exit_status_ = st.exit_status;
      say(st.exit_status == 0 ? fmt::format("[Inferior 1 (process {}) exited normally]\n", p.pid())
                              : fmt::format("[Inferior 1 (process {}) exited with code {:02o}]\n", p.pid(), st.exit_status));
      result_["stop"] = {{"reason", "exited"}, {"exit_status", st.exit_status}};
      return;
    case StopKind::killed:
    case StopKind::insn_limit:
    case StopKind::deadlock:
    case StopKind::unsupported_syscall:
    case StopKind::guest_error:
      ended_ = st.kind == StopKind::killed;
      exit_status_ = exit_status_for(st);
      say(stop_report(p, st));
      result_["stop"] = {{"reason", st.kind == StopKind::killed ? "signal" : "stopped_by_gostep"},
                         {"exit_status", exit_status_for(st)}};
      if (st.kind != StopKind::killed) break;
      return;
    default:
      break;
  }
  if (p.ended()) return;
  // Name the thread when it is not the selected one (gdb: "[Switching to thread N]").
  const int tid = p.current().tid;
  if (tid != selected_tid_) {
    say(fmt::format("[Switching to thread {}]\n", tid));
    selected_tid_ = tid;
  }
  if (show_location) say(location_line(tid));
  selected_frame_ = 0;
  show_displays();
  if (s_.model()) {
    StopInfo info = stop_info(s_);
    result_["dump"] = dump_json(info, s_.capture());
  }
}

void Debugger::cmd_stepi(const Args& a) {
  if (!guest_alive("stepping")) return;
  bool ok = false;
  const std::uint64_t n = parse_count(a.rest, ok);
  if (!ok) return error(fmt::format("stepi takes a positive count, not \"{}\"", a.rest));
  RunResult last;
  for (std::uint64_t i = 0; i < n; ++i) {
    last = s_.step_instruction(selected_tid_, true);
    if (last.effects) report_effects(*last.effects);
    if (last.stop.kind != StopKind::insn_reached) break;
    if (i + 1 < n && s_.process().has_breakpoint(s_.process().regs_of(s_.process().current())[Reg::rip])) break;
  }
  report_stop(last, true);
}

void Debugger::cmd_nexti(const Args& a) {
  if (!guest_alive("stepping")) return;
  bool ok = false;
  const std::uint64_t n = parse_count(a.rest, ok);
  if (!ok) return error(fmt::format("nexti takes a positive count, not \"{}\"", a.rest));
  RunResult last;
  for (std::uint64_t i = 0; i < n; ++i) {
    Process& p = s_.process();
    Thread* t = p.thread_by_tid(selected_tid_);
    if (!t) break;
    const RegFile rf = p.regs_of(*t);
    std::uint8_t code[16] = {};
    p.memory().peek(rf[Reg::rip], code, sizeof code);
    const std::string dis = disassemble_one(code, sizeof code, rf[Reg::rip]);
    last = s_.step_instruction(selected_tid_, true);
    if (last.effects) report_effects(*last.effects);
    if (last.stop.kind != StopKind::insn_reached) break;
    if (dis.rfind("call", 0) == 0) {
      // Run the callee to its return: the instruction after the CALL, same stack depth.
      csh h;
      std::uint32_t len = 5;
      if (cs_open(CS_ARCH_X86, CS_MODE_64, &h) == CS_ERR_OK) {
        cs_insn* insn = nullptr;
        if (cs_disasm(h, code, sizeof code, rf[Reg::rip], 1, &insn) == 1) {
          len = insn[0].size;
          cs_free(insn, 1);
        }
        cs_close(&h);
      }
      const GuestAddr ret = rf[Reg::rip] + len;
      for (;;) {
        Location l;
        l.addr = ret;
        std::vector<std::size_t> hit;
        last.stop = s_.run_to({l}, hit);
        last.effects.reset();
        if (hit.empty()) break;
        Thread* th = p.thread_by_tid(selected_tid_);
        if (p.current().tid == selected_tid_ && th && p.regs_of(*th)[Reg::rsp] >= rf[Reg::rsp]) break;
      }
      if (last.stop.kind != StopKind::breakpoint && last.stop.kind != StopKind::insn_reached) break;
    }
  }
  report_stop(last, true);
}

RunResult Debugger::resume_until_user_stop(std::optional<std::uint64_t> until_insn,
                                           std::optional<GuestAddr> until_addr) {
  sync_breakpoints();
  for (;;) {
    arm_watchpoints();
    RunResult r = s_.resume(until_insn);
    if (r.stop.kind == StopKind::watch) {
      if (check_watchpoints(r.stop.pc)) return r;
      continue;  // a dependency was written but the value did not change
    }
    if (r.stop.kind == StopKind::breakpoint) {
      const GuestAddr pc = r.stop.pc;
      bool stop = until_addr && *until_addr == pc;
      for (auto it = breakpoints_.begin(); it != breakpoints_.end();) {
        if (it->type != DebugBreakpoint::Type::breakpoint || !it->enabled || it->addr != pc) { ++it; continue; }
        if (!it->condition.empty()) {
          ExprEvaluator ev(s_, s_.process().current().tid);
          auto v = ev.eval(it->condition);
          if (!v) {
            say(fmt::format("Error in condition of breakpoint {}: {}\n", it->number, v.error()));
          } else if (!v->value) {
            ++it;
            continue;
          }
        }
        ++it->hits;
        say(fmt::format("\n{} {}, ", it->temporary ? "Temporary breakpoint" : "Breakpoint", it->number));
        result_["breakpoint"] = it->number;
        stop = true;
        if (it->temporary) it = breakpoints_.erase(it);
        else ++it;
        break;
      }
      if (!stop) continue;
      if (until_addr && *until_addr == pc) s_.process().remove_breakpoint(pc);
      sync_breakpoints();
      return r;
    }
    if (r.stop.kind == StopKind::syscall_caught) {
      for (auto& b : breakpoints_)
        if (b.type == DebugBreakpoint::Type::catchpoint && b.enabled &&
            (b.syscalls.empty() || b.syscalls.count(r.stop.syscall_nr))) {
          ++b.hits;
          say(fmt::format("\nCatchpoint {} (returned from syscall {}), ", b.number, syscall_name(r.stop.syscall_nr)));
          result_["catchpoint"] = b.number;
          break;
        }
      return r;
    }
    return r;
  }
}

void Debugger::cmd_continue(const Args& a) {
  if (!guest_alive("continuing")) return;
  std::uint64_t ignore = 1;
  const bool ok = a.rest.empty() || (parse_uint(a.rest, ignore) && ignore > 0);
  if (!ok) return error(fmt::format("continue takes a positive count, not \"{}\"", a.rest));
  RunResult r;
  for (std::uint64_t i = 0; i < ignore; ++i) {
    r = resume_until_user_stop();
    if (r.stop.kind != StopKind::breakpoint) break;
  }
  report_stop(r, true);
}

void Debugger::cmd_until(const Args& a) {
  if (!guest_alive("running")) return;
  if (a.rest.empty()) return error(fmt::format("{} needs a LOC: SYMBOL, 0xADDR, FILE:LINE, insn:N, milestone:NAME", a.command));
  auto loc = s_.resolve(a.rest);
  if (!loc) return error(loc.error());
  RunResult r;
  if (loc->kind == Location::Kind::insn) {
    if (loc->insn <= s_.process().insn_count()) return error(fmt::format("instruction {} has already run", loc->insn));
    r = resume_until_user_stop(loc->insn);
  } else {
    s_.process().add_breakpoint(loc->addr);
    r = resume_until_user_stop(std::nullopt, loc->addr);
    // Drop the temporary breakpoint (wherever we stopped) unless a user's is there.
    bool user_bp = false;
    for (const auto& b : breakpoints_)
      user_bp |= b.type == DebugBreakpoint::Type::breakpoint && b.enabled && b.addr == loc->addr;
    if (!user_bp) s_.process().remove_breakpoint(loc->addr);
  }
  report_stop(r, true);
}

void Debugger::cmd_run(const Args&) {
  s_.restart();
  ended_ = false;
  exit_status_ = 0;
  selected_tid_ = s_.process().current().tid;
  for (auto& b : breakpoints_) b.last_value.clear();
  say(fmt::format("Starting program: {}\n", s_.image().path));
  sync_breakpoints();
  report_stop(resume_until_user_stop(), true);
}

void Debugger::cmd_kill(const Args&) {
  if (ended_) return error("The program is not being run.");
  s_.restart();
  ended_ = true;
  say(fmt::format("[Inferior 1 (process {}) killed]\n", s_.process().pid()));
}

}  // namespace gostep
