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

// A value, painted when its path changed.
struct Marker {
  const Highlight* h;
  std::string prefix;
  std::string operator()(const std::string& field, const std::string& value) const {
    return h && h->has(prefix + "." + field) ? h->paint(Paint::changed, value) : value;
  }
};

}  // namespace

bool abi0_code(const model::Symbolizer& symbols, GuestAddr pc) {
  if (const auto src = symbols.source(pc)) {
    const std::string& f = src->file;
    if (f.size() > 2 && f.compare(f.size() - 2, 2, ".s") == 0) return true;
  }
  if (const auto fn = symbols.function_at(pc)) {
    const std::string& n = fn->name;
    if (n.size() > 5 && n.compare(n.size() - 5, 5, ".abi0") == 0) return true;
  }
  return false;
}

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

std::string tls_text(const model::TlsView& t, bool in_abi0_code, const Highlight* h) {
  const Marker mk{h, "tls"};
  if (!t.g) return fmt::format("{:<9}fs_base 0x0: no TLS yet (runtime.settls has not run)   r14 {}\n", "tls", hex(t.r14));
  // R14 holds g only in Go code (the register ABI); assembly such as rt0_go reads g
  // from %fs:-8, and R14 is whatever it was. Nothing is wrong there.
  std::string r14_words = t.agree        ? "(agree)"
                          : in_abi0_code ? "(R14 is not the g register in assembly code; Go code loads it from %fs:-8)"
                                         : "(R14 and %fs:-8 name different gs)";
  return fmt::format("{:<9}fs_base {}   %fs:-8 = {}{}   r14 = {}   {}\n", "tls", mk("fs_base", hex(t.fs_base)),
                     mk("g", ptr(*t.g)), t.g_symbol.empty() ? "" : " (" + t.g_symbol + ")", hex(t.r14), r14_words);
}

std::string g_text(const std::string& label, const model::GView& g, const Highlight* h, const std::string& path) {
  const Marker mk{h, path};
  std::string s = fmt::format("{:<9}{}  goid {}  {}\n", label, hex(g.addr), mk("goid", std::to_string(g.goid)),
                              mk("status", g.status_name));
  s += fmt::format("{}stack [{}, {})  stackguard0 {}  stackguard1 {}\n", kIndent, mk("stack.lo", hex(g.stack_lo)),
                   mk("stack.hi", hex(g.stack_hi)), mk("stackguard0", hex(g.stackguard0)),
                   mk("stackguard1", hex(g.stackguard1)));
  s += fmt::format("{}m {}  sched.sp {}  sched.pc {}  sched.g {}\n", kIndent, mk("m", ptr(g.m)),
                   mk("sched.sp", hex(g.sched_sp)), mk("sched.pc", hex(g.sched_pc)), mk("sched.g", ptr(g.sched_g)));
  if (g.startpc || g.gopc)
    s += fmt::format("{}startpc {}  gopc {}\n", kIndent,
                     mk("startpc", g.startpc_symbol.empty() ? hex(g.startpc) : g.startpc_symbol),
                     mk("gopc", g.gopc_symbol.empty() ? hex(g.gopc) : g.gopc_symbol));
  return s;
}

std::string m_text(const std::string& label, const model::MView& m, const Highlight* h, const std::string& path) {
  const Marker mk{h, path};
  std::string s = fmt::format("{:<9}{}  id {}  procid {}  g0 {}  curg {}\n", label, hex(m.addr), mk("id", std::to_string(m.id)),
                              mk("procid", std::to_string(m.procid)), mk("g0", ptr(m.g0)), mk("curg", ptr(m.curg)));
  s += fmt::format("{}p {}  nextp {}  spinning {}\n", kIndent, mk("p", ptr(m.p)), mk("nextp", ptr(m.nextp)),
                   mk("spinning", m.spinning ? "true" : "false"));
  std::string tls = "[";
  for (std::size_t i = 0; i < m.tls.size(); ++i) tls += (i ? " " : "") + mk(fmt::format("tls[{}]", i), hex(m.tls[i]));
  s += fmt::format("{}tls {}]\n", kIndent, tls);
  return s;
}

std::string p_text(const std::string& label, const model::PView& p, const Highlight* h, const std::string& path) {
  const Marker mk{h, path};
  return fmt::format("{:<9}{}  id {}  {}  m {}\n{}runq {} (head {}, tail {})  runnext {}\n", label, hex(p.addr), p.id,
                     mk("status", p.status_name), mk("m", ptr(p.m)), kIndent, mk("runq", list(p.runq)),
                     mk("runqhead", std::to_string(p.runqhead)), mk("runqtail", std::to_string(p.runqtail)),
                     mk("runnext", ptr(p.runnext)));
}

std::string sched_text(const model::SchedView& s, const Highlight* h) {
  const Marker mk{h, "sched"};
  return fmt::format("{:<9}runqsize {}  runq {}  goidgen {}\n{}midle {} (nmidle {})  pidle {} (npidle {})  "
                     "nmspinning {}\n",
                     "sched", mk("runqsize", std::to_string(s.runqsize)), mk("runq", list(s.runq)),
                     mk("goidgen", std::to_string(s.goidgen)), kIndent, mk("midle", list(s.midle_list)),
                     mk("nmidle", std::to_string(s.nmidle)), mk("pidle", list(s.pidle_list)),
                     mk("npidle", std::to_string(s.npidle)), mk("nmspinning", std::to_string(s.nmspinning)));
}

std::string g_path(const model::RuntimeState& st, const model::GView& g) {
  if (g.addr == st.g0.addr) return "g0";
  return g.goid ? fmt::format("g(goid={})", g.goid) : fmt::format("g({:#x})", g.addr);
}

std::string m_path(const model::RuntimeState& st, const model::MView& m) {
  return m.addr == st.m0.addr ? "m0" : fmt::format("m(id={})", m.id);
}

std::string state_text(const StopInfo& stop, const std::string& label, const model::RuntimeState& st,
                       bool in_abi0_code, const Highlight* h) {
  std::string s = stop_line(stop, label);
  s += "\n" + tls_text(st.tls, in_abi0_code, h);
  s += g_text("g0", st.g0, h, "g0");
  s += m_text("m0", st.m0, h, "m0");
  s += st.curg ? g_text("curg", *st.curg, h, g_path(st, *st.curg))
               : fmt::format("{:<9}nil (no goroutine is running on this M)\n", "curg");
  s += fmt::format("allgs    {} goroutine{}\n", st.allgs.size(), st.allgs.size() == 1 ? "" : "s");
  for (const auto& g : st.allgs) s += g_text(fmt::format("  g{}", g.goid), g, h, g_path(st, g));
  s += fmt::format("allm     {} M{}\n", st.allm.size(), st.allm.size() == 1 ? "" : "s");
  for (const auto& m : st.allm) s += m_text(fmt::format("  m{}", m.id), m, h, m_path(st, m));
  if (st.allp.empty()) s += "allp     empty (schedinit has not created the Ps yet)\n";
  else s += fmt::format("allp     {} P{}\n", st.allp.size(), st.allp.size() == 1 ? "" : "s");
  for (std::size_t i = 0; i < st.allp.size(); ++i)
    s += p_text(fmt::format("  p{}", i), st.allp[i], h, fmt::format("allp[{}]", i));
  s += sched_text(st.sched, h);
  s += "registers\n" + registers_text(st.regs);
  return s;
}

}  // namespace gostep
