// Looking: info registers/g0/m0/tls/g/m/p/sched/goroutines/threads/syscalls/
// proc mappings, thread, milestones.
#include <fmt/format.h>

#include <sstream>

#include "debugger.h"
#include "emulator/linux/syscall_table.h"
#include "tools/state_json.h"
#include "tools/state_text.h"
#include "tools/text_util.h"

namespace gostep {
namespace {
std::string hex(std::uint64_t v) { return fmt::format("{:#x}", v); }
}  // namespace

void Debugger::cmd_info(const Args& a) {
  std::istringstream in(a.rest);
  std::string what, arg;
  in >> what;
  std::getline(in, arg);
  if (const auto b = arg.find_first_not_of(' '); b != std::string::npos) arg = arg.substr(b);
  else arg.clear();
  Args sub{a.command, arg, ""};
  auto is = [&](const char* full, std::size_t min) {
    return what.size() >= min && std::string(full).rfind(what, 0) == 0;
  };
  if (what.empty()) return error("\"info\" must be followed by what to show: registers, breakpoints, g0, m0, tls, g, m, p, "
                                 "sched, goroutines, threads, syscalls, proc mappings");
  if (is("registers", 1) || what == "all-registers") return cmd_info_registers(sub);
  if (is("breakpoints", 1) || is("watchpoints", 3)) return cmd_info_breakpoints(sub);
  if (is("threads", 2)) return cmd_info_threads(sub);
  if (is("syscalls", 2)) return cmd_info_syscalls(sub);
  if (what == "proc") return cmd_info_mappings(sub);
  if (what == "milestones") return cmd_milestones(sub);
  if (is("frame", 1)) return cmd_info_frame(sub);
  if (what == "display") return cmd_display(Args{"display", "", ""});
  // The runtime views need the model.
  static const char* const views[] = {"g0", "m0", "tls", "g", "m", "p", "sched", "goroutines"};
  bool is_view = false;
  for (const char* v : views) is_view |= what == v;
  if (!is_view)
    return error(fmt::format("Undefined info command: \"{}\". Try \"help info\".", what));
  if (!s_.model()) return error(s_.model_error());
  Thread* t = s_.process().thread_by_tid(selected_tid_);
  const model::RuntimeState st = s_.capture_thread(t ? *t : s_.process().current());
  const StopInfo stop = stop_info(s_);
  nlohmann::ordered_json dump = dump_json(stop, st);
  const model::RuntimeModel& m = *s_.model();
  if (what == "g0") {
    say(g_text("g0", st.g0));
    result_["g0"] = dump["g0"];
  } else if (what == "m0") {
    say(m_text("m0", st.m0));
    result_["m0"] = dump["m0"];
  } else if (what == "tls") {
    say(tls_text(st.tls));
    std::string mine = fmt::format("thread {}", selected_tid_);
    if (st.tls.g && *st.tls.g == st.g0.addr) mine += ": this thread runs on g0 (the scheduler's stack)";
    say(fmt::format("         ({}; %fs:-8 is m.tls[0] of the thread's M)\n", mine));
    result_["tls"] = dump["tls"];
  } else if (what == "sched") {
    say(sched_text(st.sched));
    result_["sched"] = dump["sched"];
  } else if (what == "p") {
    if (st.allp.empty()) say("allp is empty: schedinit has not created the Ps yet.\n");
    for (std::size_t i = 0; i < st.allp.size(); ++i) say(p_text(fmt::format("p{}", i), st.allp[i]));
    result_["allp"] = dump["allp"];
  } else if (what == "m") {
    if (st.allm.empty()) say("allm is empty: mcommoninit (in schedinit) has not linked m0 yet.\n");
    for (const auto& mv : st.allm) say(m_text(fmt::format("m{}", mv.id), mv));
    result_["allm"] = dump["allm"];
  } else if (what == "goroutines") {
    if (st.allgs.empty()) say("No goroutines yet: newproc has not created the main goroutine.\n");
    const std::uint64_t cur = st.curg ? st.curg->addr : 0;
    for (const auto& g : st.allgs)
      say(fmt::format("{} {:<4} {:<14} {}  startpc {}\n", g.addr == cur ? "*" : " ", g.goid, g.status_name, hex(g.addr),
                      g.startpc_symbol.empty() ? hex(g.startpc) : g.startpc_symbol));
    result_["allgs"] = dump["allgs"];
  } else if (what == "g") {
    std::uint64_t addr = 0;
    if (arg.empty()) {
      if (!st.tls.g || !*st.tls.g) return error("This thread has no g in its TLS slot yet; give a goid or an address.");
      addr = *st.tls.g;
    } else if (arg.rfind("0x", 0) == 0) {
      if (!parse_uint(arg.substr(2), addr, 16)) return error(fmt::format("bad address \"{}\"", arg));
    } else {
      std::uint64_t n = 0;
      if (!parse_uint(arg, n) || n > (1ULL << 62)) return error("info g takes a goid or a 0xADDR");
      const auto goid = static_cast<std::int64_t>(n);
      for (const auto& g : st.allgs)
        if (g.goid == goid) addr = g.addr;
      if (!addr) return error(fmt::format("No goroutine with goid {}; \"info goroutines\" lists them.", goid));
    }
    const model::GView g = m.read_g(s_.reader(), addr);
    const std::string label = addr == st.g0.addr ? "g0" : fmt::format("g{}", g.goid);
    say(g_text(label, g));
  }
}

void Debugger::cmd_info_registers(const Args& a) {
  Thread* t = s_.process().thread_by_tid(selected_tid_);
  if (!t) return error("No thread selected.");
  const RegFile rf = s_.process().regs_of(*t);
  std::string s;
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  for (int r = 0; r < kRegCount; ++r) {
    const Reg reg = static_cast<Reg>(r);
    if (!a.rest.empty() && a.rest.find(reg_name(reg)) == std::string::npos) continue;
    std::string extra;
    if (reg == Reg::rip) extra = s_.symbols().describe_code(rf[reg]);
    s += fmt::format("{:<10}{:<20}{}\n", reg_name(reg), hex(rf[reg]), extra.empty() ? std::to_string(rf[reg]) : extra);
    j[reg_name(reg)] = hex(rf[reg]);
  }
  if (s.empty()) return error(fmt::format("Invalid register `{}'", a.rest));
  say(s);
  result_["registers"] = j;
}

void Debugger::cmd_info_threads(const Args&) {
  Process& p = s_.process();
  std::string s = "  Id     Target               Frame\n";
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const auto& t : p.threads()) {
    if (t->state == ThreadState::exited) continue;
    const GuestAddr pc = p.regs_of(*t)[Reg::rip];
    const char* state = t->state == ThreadState::runnable ? "runnable"
                        : t->wait == WaitKind::futex ? "futex wait"
                        : t->wait == WaitKind::epoll ? "epoll wait" : "sleeping";
    s += fmt::format("{} {:<6} {:<20} {:#x} in {}\n", t->tid == selected_tid_ ? "*" : " ", t->tid,
                     fmt::format("thread {} ({})", t->tid, state), pc, s_.symbols().describe_code(pc));
    list.push_back({{"tid", t->tid}, {"state", state}, {"pc", hex(pc)}, {"selected", t->tid == selected_tid_}});
  }
  say(s);
  result_["threads"] = list;
}

void Debugger::cmd_thread(const Args& a) {
  if (a.rest.empty()) return say(fmt::format("[Current thread is {}]\n", selected_tid_));
  if (a.rest.find_first_not_of("0123456789") != std::string::npos) return error("thread takes a thread id (see \"info threads\")");
  std::uint64_t n = 0;
  if (!parse_uint(a.rest, n) || n > 1'000'000'000) return error(fmt::format("Invalid thread ID: {}", a.rest));
  const int tid = static_cast<int>(n);
  Thread* t = s_.process().thread_by_tid(tid);
  if (!t || t->state == ThreadState::exited) return error(fmt::format("Invalid thread ID: {}", tid));
  selected_tid_ = tid;
  say(fmt::format("[Switching to thread {}]\n", tid));
  say(location_line(tid));
}

void Debugger::cmd_info_syscalls(const Args& a) {
  std::string s = fmt::format("{:>4}  {:<18} {}\n", "nr", "name", "what gostep does");
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const auto& c : syscall_table()) {
    if (!a.rest.empty() && a.rest != c.name) continue;
    std::string args;
    for (const char* x : c.args) {
      if (!x) break;
      args += (args.empty() ? "" : ", ") + std::string(x);
    }
    s += fmt::format("{:>4}  {:<18} {}\n      ({})\n", c.nr, c.name, c.summary, args);
    list.push_back({{"nr", c.nr}, {"name", c.name}, {"args", args}, {"summary", c.summary}});
  }
  say(s);
  result_["syscalls"] = list;
}

void Debugger::cmd_info_mappings(const Args&) {
  Process& p = s_.process();
  std::string s = fmt::format("{:<18} {:<18} {:>10}  {:<4} {}\n", "Start Addr", "End Addr", "Size", "Perm", "What");
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  std::optional<model::RuntimeState> st;
  if (s_.model()) st = s_.capture();
  for (const auto& m : p.memory().mappings()) {
    std::string perm = fmt::format("{}{}{}p", m.prot & kProtRead ? 'r' : '-', m.prot & kProtWrite ? 'w' : '-',
                                   m.prot & kProtExec ? 'x' : '-');
    std::string what = m.name;
    if (m.start == 0xc000000000ULL) what = "Go heap arena (hint 0xc000000000)";
    s += fmt::format("{:#018x} {:#018x} {:>10}  {:<4} {}\n", m.start, m.end, hex(m.end - m.start), perm, what);
    list.push_back({{"start", hex(m.start)}, {"end", hex(m.end)}, {"perm", perm}, {"name", what}});
    // The chapter's map: g0's stack inside the OS stack, g0 and m0 in .bss.
    if (st) {
      if (st->g0.stack_lo >= m.start && st->g0.stack_hi <= m.end && st->g0.stack_lo)
        s += fmt::format("{:>20}g0.stack [{:#x}, {:#x}): {} bytes carved out of the OS stack by rt0_go\n", "",
                         st->g0.stack_lo, st->g0.stack_hi, st->g0.stack_hi - st->g0.stack_lo);
      if (st->g0.addr >= m.start && st->g0.addr < m.end)
        s += fmt::format("{:>20}runtime.g0 at {:#x}, runtime.m0 at {:#x}\n", "", st->g0.addr, st->m0.addr);
    }
  }
  say(s);
  result_["mappings"] = list;
}

void Debugger::cmd_milestones(const Args&) {
  std::string s;
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  const GuestAddr pc = s_.process().regs_of(s_.process().current())[Reg::rip];
  for (const auto& m : s_.milestones()) {
    if (!m.pc) {
      s += fmt::format("  {:<17} (not found: {})\n", m.name, m.why_missing);
      continue;
    }
    std::string where = s_.symbols().describe_code(*m.pc);
    if (auto src = s_.symbols().source(*m.pc)) where += "  " + src->short_form();
    s += fmt::format("{} {:<17} {:#x} {}\n    {}\n", *m.pc == pc ? "=>" : "  ", m.name, *m.pc, where, m.description);
    list.push_back({{"name", m.name}, {"pc", hex(*m.pc)}, {"where", where}, {"description", m.description}});
  }
  s += "Go to one with \"until milestone:NAME\" or \"break milestone:NAME\".\n";
  say(s);
  result_["milestones"] = list;
}

}  // namespace gostep
