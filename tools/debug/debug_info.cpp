// Looking: info registers/g0/m0/tls/g/m/p/sched/goroutines/threads/syscalls/
// proc mappings, thread, milestones.
#include <fmt/format.h>

#include <sstream>

#include "debugger.h"
#include "emulator/linux/syscall_table.h"
#include "engine/json.h"
#include "engine/state_json.h"
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
                                 "sched, goroutines, locals, args, threads, syscalls, proc mappings");
  if (is("registers", 1) || what == "all-registers") return cmd_info_registers(sub);
  if (is("breakpoints", 1) || is("watchpoints", 3)) return cmd_info_breakpoints(sub);
  if (is("threads", 2)) return cmd_info_threads(sub);
  if (is("syscalls", 2)) return cmd_info_syscalls(sub);
  if (what == "proc") return cmd_info_mappings(sub);
  if (is("record", 3)) return cmd_info_record(sub);
  if (what == "milestones") return cmd_milestones(sub);
  if (is("frame", 1)) return cmd_info_frame(sub);
  if (what == "display") return cmd_display(Args{"display", "", ""});
  if (what == "locals" || what == "args") return cmd_info_locals(Args{what, arg, ""});
  if (is("goroutines", 2)) return cmd_info_goroutines(sub);
  // The runtime views need the model.
  static const char* const views[] = {"g0", "m0", "tls", "g", "m", "p", "sched"};
  bool is_view = false;
  for (const char* v : views) is_view |= what == v;
  if (!is_view) return error(fmt::format("Undefined info command: \"{}\". Try \"help info\".", what));
  cmd_info_views(what, arg);
}

void Debugger::cmd_info_views(const std::string& what, const std::string& arg) {
  Session& s = t_.session();
  if (!s.model()) return error(s.model_error());
  const int tid = t_.selected_thread();
  const model::RuntimeState st = t_.runtime_state(tid);
  nlohmann::ordered_json dump = dump_json(stop_info(s), st);
  const model::RuntimeModel& m = *s.model();
  if (what == "g0") {
    say(g_text("g0", st.g0, &changed_, "g0"));
    result_["g0"] = dump["g0"];
  } else if (what == "m0") {
    say(m_text("m0", st.m0, &changed_, "m0"));
    result_["m0"] = dump["m0"];
  } else if (what == "tls") {
    say(tls_text(st.tls, abi0_code(t_.symbols(), t_.pc(tid)), &changed_));
    std::string mine = fmt::format("thread {}", tid);
    if (st.tls.g && *st.tls.g == st.g0.addr) mine += ": this thread runs on g0 (the scheduler's stack)";
    say(fmt::format("         ({}; %fs:-8 is m.tls[0] of the thread's M)\n", mine));
    result_["tls"] = dump["tls"];
  } else if (what == "sched") {
    say(sched_text(st.sched, &changed_));
    result_["sched"] = dump["sched"];
  } else if (what == "p") {
    if (st.allp.empty()) say("allp is empty: schedinit has not created the Ps yet.\n");
    for (std::size_t i = 0; i < st.allp.size(); ++i)
      say(p_text(fmt::format("p{}", i), st.allp[i], &changed_, fmt::format("allp[{}]", i)));
    result_["allp"] = dump["allp"];
  } else if (what == "m") {
    if (st.allm.empty()) say("allm is empty: mcommoninit (in schedinit) has not linked m0 yet.\n");
    for (const auto& mv : st.allm) say(m_text(fmt::format("m{}", mv.id), mv, &changed_, m_path(st, mv)));
    result_["allm"] = dump["allm"];
  } else if (what == "g") {
    std::uint64_t addr = 0;
    if (arg.empty()) {
      if (!st.tls.g || !*st.tls.g) return error("This thread has no g in its TLS slot yet; give a goid or an address.");
      addr = *st.tls.g;
    } else if (arg.rfind("0x", 0) == 0) {
      if (!parse_uint(arg.substr(2), addr, 16)) return error(fmt::format("bad address \"{}\"", arg));
      std::uint8_t probe = 0;
      if (!t_.read_memory(addr, &probe, 1)) return error(fmt::format("Cannot access memory at address {:#x}", addr));
      // Only a g the runtime knows: g0, or one in allgs (anything else would be garbage under a made-up label).
      bool known = addr == st.g0.addr;
      for (const auto& g : st.allgs) known |= g.addr == addr;
      if (!known)
        return error(fmt::format("{:#x} is not a g the runtime knows (not g0, not in allgs): see \"info goroutines\"",
                                 addr));
    } else {
      std::uint64_t n = 0;
      if (!parse_uint(arg, n) || n > (1ULL << 62)) return error("info g takes a goid or a 0xADDR");
      const auto goid = static_cast<std::int64_t>(n);
      for (const auto& g : st.allgs)
        if (g.goid == goid) addr = g.addr;
      if (!addr) return error(fmt::format("No goroutine with goid {}; \"info goroutines\" lists them.", goid));
    }
    const model::GView g = m.read_g(s.reader(), addr);
    const std::string label = addr == st.g0.addr ? "g0" : fmt::format("g{}", g.goid);
    say(g_text(label, g, &changed_, g_path(st, g)));
    nlohmann::ordered_json gj = dump["g0"];
    if (addr != st.g0.addr)
      for (const auto& x : dump["allgs"])
        if (x["addr"] == hex(addr)) gj = x;
    result_["g"] = gj;
  }
}

void Debugger::cmd_info_registers(const Args& a) {
  if (!t_.thread(t_.selected_thread())) return error("No thread selected.");
  const RegFile rf = t_.registers(t_.selected_thread());
  std::string s;
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  for (int r = 0; r < kRegCount; ++r) {
    const Reg reg = static_cast<Reg>(r);
    if (!a.rest.empty() && a.rest.find(reg_name(reg)) == std::string::npos) continue;
    std::string extra;
    if (reg == Reg::rip) extra = t_.symbols().describe_code(rf[reg]);
    s += fmt::format("{:<10}{:<20}{}\n", reg_name(reg), hex(rf[reg]), extra.empty() ? std::to_string(rf[reg]) : extra);
    j[reg_name(reg)] = hex(rf[reg]);
  }
  if (s.empty()) return error(fmt::format("Invalid register `{}'", a.rest));
  say(s);
  result_["registers"] = j;
}

void Debugger::cmd_info_threads(const Args&) {
  std::string s = "  Id     Target               Frame\n";
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  const int sel = t_.selected_thread();
  for (const auto& t : t_.threads()) {
    const std::string state = t.waiting.empty() ? "runnable" : t.waiting;
    s += fmt::format("{} {:<6} {:<20} {:#x} in {}\n", t.tid == sel ? paint_(Paint::current, "*") : " ", t.tid,
                     fmt::format("thread {} ({})", t.tid, state), t.pc, t_.symbols().describe_code(t.pc));
    list.push_back(engine::thread_json(t, t.tid == sel, t_));
  }
  say(s);
  result_["threads"] = list;
}

void Debugger::cmd_thread(const Args& a) {
  if (a.rest.empty()) {
    result_["thread"] = t_.selected_thread();
    return say(fmt::format("[Current thread is {}]\n", t_.selected_thread()));
  }
  if (a.rest.find_first_not_of("0123456789") != std::string::npos) return error("thread takes a thread id (see \"info threads\")");
  std::uint64_t n = 0;
  if (!parse_uint(a.rest, n) || n > 1'000'000'000) return error(fmt::format("Invalid thread ID: {}", a.rest));
  const int tid = static_cast<int>(n);
  if (!t_.select_thread(tid)) return error(fmt::format("Invalid thread ID: {}", tid));
  say(fmt::format("[Switching to thread {}]\n", tid));
  say(location_line(tid));
  result_["thread"] = tid;
  if (auto th = t_.thread(tid)) result_["where"] = engine::thread_json(*th, true, t_);
}

void Debugger::cmd_info_record(const Args&) {
  engine::Recording& rec = t_.recording();
  if (!rec.on()) {
    result_["record"] = {{"on", false}};
    return say("Recording is off (\"set record on\" turns it on; going backwards needs it).\n");
  }
  const std::uint64_t now = t_.next_insn();
  std::string s = fmt::format("Recording: on. Instructions recorded: {}.\n", with_commas(rec.recorded()));
  s += now <= rec.recorded() ? fmt::format("Now at instruction {} (in the past: \"goto insn:{}\" is the latest).\n", now,
                                           rec.recorded() + 1)
                             : fmt::format("Now at instruction {} (the latest).\n", now);
  s += fmt::format("Checkpoints: {}, holding {:.1f} MB of guest memory.\n", rec.checkpoints(),
                   static_cast<double>(rec.checkpoint_bytes()) / (1024.0 * 1024.0));
  s += "Going back restores the nearest earlier checkpoint and re-executes from it.\n";
  s += fmt::format("Rewinds so far: {}.\n", rec.rewinds());
  say(s);
  result_["record"] = {{"on", true},
                       {"recorded", rec.recorded()},
                       {"now", now},
                       {"rewinds", rec.rewinds()},
                       {"checkpoints", rec.checkpoints()},
                       {"checkpoint_bytes", rec.checkpoint_bytes()}};
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
  std::string s = fmt::format("{:<18} {:<18} {:>10}  {:<4} {}\n", "Start Addr", "End Addr", "Size", "Perm", "What");
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  std::optional<model::RuntimeState> st;
  if (t_.session().model()) st = t_.runtime_state(t_.selected_thread());
  for (const auto& m : t_.mappings()) {
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
  const GuestAddr pc = t_.pc(t_.selected_thread());
  for (const auto& m : t_.session().milestones()) {
    if (!m.pc) {
      s += fmt::format("  {:<17} {}\n", m.name, paint_(Paint::warning, "(not found: " + m.why_missing + ")"));
      continue;
    }
    std::string where = t_.symbols().describe_code(*m.pc);
    if (auto src = t_.symbols().source(*m.pc)) where += "  " + src->short_form();
    s += fmt::format("{} {:<17} {:#x} {}\n    {}\n", *m.pc == pc ? paint_(Paint::current, "=>") : "  ", m.name, *m.pc,
                     where, m.description);
    list.push_back({{"name", m.name}, {"pc", hex(*m.pc)}, {"where", where}, {"description", m.description}});
  }
  s += "Go to one with \"until milestone:NAME\" or \"break milestone:NAME\".\n";
  say(s);
  result_["milestones"] = list;
}

}  // namespace gostep
