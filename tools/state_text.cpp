#include "state_text.h"

#include "text_util.h"

#include <fmt/format.h>

namespace gostep {
namespace {

std::string hex(std::uint64_t v) { return fmt::format("{:#x}", v); }
std::string ptr(std::uint64_t v) { return v ? hex(v) : "nil"; }
std::string list(const std::vector<std::uint64_t>& v) {
  std::string s = "[";
  for (std::size_t i = 0; i < v.size(); ++i) s += (i ? " " : "") + hex(v[i]);
  return s + "]";
}
constexpr const char* kIndent = "         ";  // continuation lines line up after the label

}  // namespace

std::string stop_line(const StopInfo& stop, const std::string& label) {
  std::string s = label.empty() ? "" : fmt::format("== {} ", label);
  s += fmt::format("at {:#x} {}", stop.pc, stop.loc);
  if (!stop.source.empty()) s += fmt::format("  ({})", stop.source);
  s += fmt::format("\n   instruction {}, thread {}\n", with_commas(stop.insn), stop.thread);
  return s;
}

std::string registers_text(const RegFile& regs) {
  std::string s;
  int col = 0;
  for (int r = 0; r < static_cast<int>(Reg::gs_base); ++r) {
    s += fmt::format("{}{:<8}{:#018x}", col ? "  " : kIndent, reg_name(static_cast<Reg>(r)), regs[static_cast<Reg>(r)]);
    if (++col == 3) {
      s += "\n";
      col = 0;
    }
  }
  if (col) s += "\n";
  return s;
}

std::string tls_text(const model::TlsView& t) {
  if (!t.g) return fmt::format("{:<9}fs_base 0x0: no TLS yet (runtime.settls has not run)   r14 {}\n", "tls", hex(t.r14));
  return fmt::format("{:<9}fs_base {}   %fs:-8 = {}{}   r14 = {}   {}\n", "tls", hex(t.fs_base), ptr(*t.g),
                     t.g_symbol.empty() ? "" : " (" + t.g_symbol + ")", hex(t.r14),
                     t.agree ? "(agree)" : "(DISAGREE: R14 is not the TLS g)");
}

std::string g_text(const std::string& label, const model::GView& g) {
  std::string s = fmt::format("{:<9}{}  goid {}  {}\n", label, hex(g.addr), g.goid, g.status_name);
  s += fmt::format("{}stack [{}, {})  stackguard0 {}  stackguard1 {}\n", kIndent, hex(g.stack_lo), hex(g.stack_hi),
                   hex(g.stackguard0), hex(g.stackguard1));
  s += fmt::format("{}m {}  sched.sp {}  sched.pc {}  sched.g {}\n", kIndent, ptr(g.m), hex(g.sched_sp),
                   hex(g.sched_pc), ptr(g.sched_g));
  if (g.startpc || g.gopc)
    s += fmt::format("{}startpc {}  gopc {}\n", kIndent, g.startpc_symbol.empty() ? hex(g.startpc) : g.startpc_symbol,
                     g.gopc_symbol.empty() ? hex(g.gopc) : g.gopc_symbol);
  return s;
}

std::string m_text(const std::string& label, const model::MView& m) {
  std::string s = fmt::format("{:<9}{}  id {}  procid {}  g0 {}  curg {}\n", label, hex(m.addr), m.id, m.procid,
                              ptr(m.g0), ptr(m.curg));
  s += fmt::format("{}p {}  nextp {}  spinning {}\n", kIndent, ptr(m.p), ptr(m.nextp), m.spinning ? "true" : "false");
  s += fmt::format("{}tls {}\n", kIndent, list(m.tls));
  return s;
}

std::string p_text(const std::string& label, const model::PView& p) {
  return fmt::format("{:<9}{}  id {}  {}  m {}\n{}runq {} (head {}, tail {})  runnext {}\n", label, hex(p.addr), p.id,
                     p.status_name, ptr(p.m), kIndent, list(p.runq), p.runqhead, p.runqtail, ptr(p.runnext));
}

std::string sched_text(const model::SchedView& s) {
  return fmt::format("{:<9}runqsize {}  runq {}  goidgen {}\n{}midle {} (nmidle {})  pidle {} (npidle {})  "
                     "nmspinning {}\n",
                     "sched", s.runqsize, list(s.runq), s.goidgen, kIndent, list(s.midle_list), s.nmidle,
                     list(s.pidle_list), s.npidle, s.nmspinning);
}

std::string state_text(const StopInfo& stop, const std::string& label, const model::RuntimeState& st) {
  std::string s = stop_line(stop, label);
  s += "\n" + tls_text(st.tls);
  s += g_text("g0", st.g0);
  s += m_text("m0", st.m0);
  s += st.curg ? g_text("curg", *st.curg) : fmt::format("{:<9}nil (no goroutine is running on this M)\n", "curg");
  s += fmt::format("allgs    {} goroutine{}\n", st.allgs.size(), st.allgs.size() == 1 ? "" : "s");
  for (const auto& g : st.allgs) s += g_text(fmt::format("  g{}", g.goid), g);
  s += fmt::format("allm     {} M{}\n", st.allm.size(), st.allm.size() == 1 ? "" : "s");
  for (const auto& m : st.allm) s += m_text(fmt::format("  m{}", m.id), m);
  if (st.allp.empty()) s += "allp     empty (schedinit has not created the Ps yet)\n";
  else s += fmt::format("allp     {} P{}\n", st.allp.size(), st.allp.size() == 1 ? "" : "s");
  for (std::size_t i = 0; i < st.allp.size(); ++i) s += p_text(fmt::format("  p{}", i), st.allp[i]);
  s += sched_text(st.sched);
  s += "registers\n" + registers_text(st.regs);
  return s;
}

}  // namespace gostep
