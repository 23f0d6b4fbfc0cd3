#include "engine/state_json.h"

#include <fmt/format.h>

namespace gostep {
namespace {

using json = nlohmann::ordered_json;

json hex(std::uint64_t v) { return fmt::format("{:#x}", v); }
json ptr(std::uint64_t v) { return v ? hex(v) : json(nullptr); }
json sym(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }
json ptr_list(const std::vector<std::uint64_t>& v) {
  json a = json::array();
  for (auto x : v) a.push_back(hex(x));
  return a;
}

json g_json(const model::GView& g) {
  return json{{"addr", hex(g.addr)},
              {"goid", g.goid},
              {"status", g.status},
              {"status_name", g.status_name},
              {"stack", {{"lo", hex(g.stack_lo)}, {"hi", hex(g.stack_hi)}}},
              {"stackguard0", hex(g.stackguard0)},
              {"stackguard1", hex(g.stackguard1)},
              {"m", ptr(g.m)},
              {"sched", {{"sp", hex(g.sched_sp)}, {"pc", hex(g.sched_pc)}, {"g", ptr(g.sched_g)}}},
              {"startpc", hex(g.startpc)},
              {"startpc_symbol", sym(g.startpc_symbol)},
              {"gopc", hex(g.gopc)},
              {"gopc_symbol", sym(g.gopc_symbol)}};
}

json m_json(const model::MView& m) {
  json tls = json::array();
  for (auto v : m.tls) tls.push_back(hex(v));
  return json{{"addr", hex(m.addr)}, {"id", m.id},       {"procid", m.procid}, {"g0", ptr(m.g0)},
              {"curg", ptr(m.curg)}, {"p", ptr(m.p)},     {"nextp", ptr(m.nextp)}, {"tls", tls},
              {"spinning", m.spinning}};
}

json p_json(const model::PView& p) {
  return json{{"addr", hex(p.addr)},         {"id", p.id},
              {"status", p.status},          {"status_name", p.status_name},
              {"m", ptr(p.m)},               {"runqhead", p.runqhead},
              {"runqtail", p.runqtail},      {"runq", ptr_list(p.runq)},
              {"runnext", ptr(p.runnext)}};
}

}  // namespace

StopInfo stop_info(Session& s) {
  StopInfo i;
  Process& p = s.process();
  i.pc = p.regs_of(p.current())[Reg::rip];
  i.loc = s.symbols().describe_code(i.pc);
  i.insn = s.next_insn();
  i.thread = p.current().tid;
  if (auto src = s.symbols().source(i.pc)) i.source = src->short_form();
  return i;
}

nlohmann::ordered_json dump_json(const StopInfo& stop, const model::RuntimeState& st) {
  json regs = json::object();
  for (int r = 0; r < static_cast<int>(Reg::gs_base); ++r)
    regs[reg_name(static_cast<Reg>(r))] = hex(st.regs[static_cast<Reg>(r)]);
  json tls{{"fs_base", hex(st.tls.fs_base)},
           {"g", st.tls.g ? hex(*st.tls.g) : json(nullptr)},
           {"g_symbol", sym(st.tls.g_symbol)},
           {"r14", hex(st.tls.r14)},
           {"agree", st.tls.agree}};
  json allgs = json::array(), allm = json::array(), allp = json::array();
  for (const auto& g : st.allgs) allgs.push_back(g_json(g));
  for (const auto& m : st.allm) allm.push_back(m_json(m));
  for (const auto& p : st.allp) allp.push_back(p_json(p));
  json sched{{"runqsize", st.sched.runqsize}, {"runq", ptr_list(st.sched.runq)},
             {"midle", ptr(st.sched.midle)},  {"nmidle", st.sched.nmidle},
             {"pidle", ptr(st.sched.pidle)},  {"npidle", st.sched.npidle},
             {"nmspinning", st.sched.nmspinning}, {"goidgen", st.sched.goidgen}};
  return json{{"schema", "gostep.dump/1"},
              {"stop",
               {{"loc", stop.loc},
                {"pc", hex(stop.pc)},
                {"insn", stop.insn},
                {"thread", stop.thread},
                {"source", sym(stop.source)}}},
              {"regs", regs},
              {"tls", tls},
              {"g0", g_json(st.g0)},
              {"m0", m_json(st.m0)},
              {"curg", st.curg ? g_json(*st.curg) : json(nullptr)},
              {"allgs", allgs},
              {"allm", allm},
              {"allp", allp},
              {"sched", sched}};
}

}  // namespace gostep
