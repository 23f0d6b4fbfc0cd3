#include "runtime_state.h"

#include <fmt/format.h>

#include <map>

namespace gostep::model {

// A field's place in its struct, from DWARF.
struct FieldRef {
  std::uint64_t offset = 0;
  std::uint64_t size = 0;
};

struct RuntimeModel::Offsets {
  // runtime.g
  FieldRef g_stack_lo, g_stack_hi, g_stackguard0, g_stackguard1, g_m, g_sched_sp, g_sched_pc,
      g_sched_g, g_atomicstatus, g_goid, g_startpc, g_gopc, g_schedlink;
  // runtime.m
  FieldRef m_g0, m_id, m_procid, m_curg, m_p, m_nextp, m_tls, m_spinning, m_alllink, m_schedlink;
  std::uint64_t tls_slots = 0;
  // runtime.p
  FieldRef p_id, p_status, p_m, p_runqhead, p_runqtail, p_runq, p_runnext, p_link;
  std::uint64_t runq_len = 0;
  // runtime.schedt
  FieldRef s_runq_head, s_runqsize, s_midle, s_nmidle, s_pidle, s_npidle, s_nmspinning, s_goidgen;
};

namespace {

std::uint64_t read_uint(const MemoryReader& mem, std::uint64_t addr, std::uint64_t size) {
  std::uint64_t v = 0;
  if (size > 8 || !mem(addr, &v, size)) return 0;
  return v;
}

std::string hex(std::uint64_t v) { return fmt::format("{:#x}", v); }
std::string ptr(std::uint64_t v) { return v ? hex(v) : "null"; }

}  // namespace

RuntimeModel::RuntimeModel(const DwarfInfo& dwarf, const Symbolizer& symbols)
    : dwarf_(dwarf), symbols_(symbols), status_(dwarf), off_(std::make_unique<Offsets>()) {}

RuntimeModel::~RuntimeModel() = default;

Result<std::unique_ptr<RuntimeModel>> RuntimeModel::create(const DwarfInfo& dwarf, const Symbolizer& symbols) {
  std::unique_ptr<RuntimeModel> m(new RuntimeModel(dwarf, symbols));
  Offsets& o = *m->off_;
  std::string missing;
  auto f = [&](const char* type, const char* path, FieldRef& out) {
    auto r = dwarf.field(type, path);
    if (!r) {
      if (missing.empty()) missing = fmt::format("{}.{}: {}", type, path, r.error());
      return;
    }
    out = {r->offset, r->size};
  };
  f("runtime.g", "stack.lo", o.g_stack_lo);
  f("runtime.g", "stack.hi", o.g_stack_hi);
  f("runtime.g", "stackguard0", o.g_stackguard0);
  f("runtime.g", "stackguard1", o.g_stackguard1);
  f("runtime.g", "m", o.g_m);
  f("runtime.g", "sched.sp", o.g_sched_sp);
  f("runtime.g", "sched.pc", o.g_sched_pc);
  f("runtime.g", "sched.g", o.g_sched_g);
  f("runtime.g", "atomicstatus", o.g_atomicstatus);
  f("runtime.g", "goid", o.g_goid);
  f("runtime.g", "startpc", o.g_startpc);
  f("runtime.g", "gopc", o.g_gopc);
  f("runtime.g", "schedlink", o.g_schedlink);
  f("runtime.m", "g0", o.m_g0);
  f("runtime.m", "id", o.m_id);
  f("runtime.m", "procid", o.m_procid);
  f("runtime.m", "curg", o.m_curg);
  f("runtime.m", "p", o.m_p);
  f("runtime.m", "nextp", o.m_nextp);
  f("runtime.m", "tls", o.m_tls);
  f("runtime.m", "spinning", o.m_spinning);
  f("runtime.m", "alllink", o.m_alllink);
  f("runtime.m", "schedlink", o.m_schedlink);
  f("runtime.p", "id", o.p_id);
  f("runtime.p", "status", o.p_status);
  f("runtime.p", "m", o.p_m);
  f("runtime.p", "runqhead", o.p_runqhead);
  f("runtime.p", "runqtail", o.p_runqtail);
  f("runtime.p", "runq", o.p_runq);
  f("runtime.p", "runnext", o.p_runnext);
  f("runtime.p", "link", o.p_link);
  f("runtime.schedt", "runq.head", o.s_runq_head);
  f("runtime.schedt", "runqsize", o.s_runqsize);
  f("runtime.schedt", "midle", o.s_midle);
  f("runtime.schedt", "nmidle", o.s_nmidle);
  f("runtime.schedt", "pidle", o.s_pidle);
  f("runtime.schedt", "npidle", o.s_npidle);
  f("runtime.schedt", "nmspinning", o.s_nmspinning);
  f("runtime.schedt", "goidgen", o.s_goidgen);
  if (!missing.empty()) return Error{"the binary's DWARF lacks a runtime field gostep needs: " + missing};
  o.tls_slots = o.m_tls.size / 8;
  o.runq_len = o.p_runq.size / 8;

  auto global = [&](const char* name, std::uint64_t& out) {
    if (auto v = dwarf.variable(name)) out = v->addr;
    else if (missing.empty()) missing = name;
  };
  global("runtime.g0", m->g0_);
  global("runtime.m0", m->m0_);
  global("runtime.allgs", m->allgs_);
  global("runtime.allm", m->allm_);
  global("runtime.allp", m->allp_);
  global("runtime.sched", m->sched_);
  if (!missing.empty()) return Error{"the binary's DWARF has no global " + missing};
  if (auto t = dwarf.type("runtime.g")) m->g_size_ = t->size;
  if (auto t = dwarf.type("runtime.m")) m->m_size_ = t->size;
  if (auto t = dwarf.type("runtime.p")) m->p_size_ = t->size;
  return m;
}

GView RuntimeModel::read_g(const MemoryReader& mem, std::uint64_t a) const {
  const Offsets& o = *off_;
  auto rd = [&](const FieldRef& f) { return read_uint(mem, a + f.offset, f.size); };
  GView g;
  g.addr = a;
  g.goid = static_cast<std::int64_t>(rd(o.g_goid));
  g.status = static_cast<std::uint32_t>(rd(o.g_atomicstatus));
  g.status_name = status_.g(g.status);
  g.stack_lo = rd(o.g_stack_lo);
  g.stack_hi = rd(o.g_stack_hi);
  g.stackguard0 = rd(o.g_stackguard0);
  g.stackguard1 = rd(o.g_stackguard1);
  g.m = rd(o.g_m);
  g.sched_sp = rd(o.g_sched_sp);
  g.sched_pc = rd(o.g_sched_pc);
  g.sched_g = rd(o.g_sched_g);
  g.startpc = rd(o.g_startpc);
  g.gopc = rd(o.g_gopc);
  if (g.startpc) g.startpc_symbol = symbols_.describe_code(g.startpc);
  if (g.gopc) g.gopc_symbol = symbols_.describe_code(g.gopc);
  return g;
}

MView RuntimeModel::read_m(const MemoryReader& mem, std::uint64_t a) const {
  const Offsets& o = *off_;
  auto rd = [&](const FieldRef& f) { return read_uint(mem, a + f.offset, f.size); };
  MView m;
  m.addr = a;
  m.id = static_cast<std::int64_t>(rd(o.m_id));
  m.procid = rd(o.m_procid);
  m.g0 = rd(o.m_g0);
  m.curg = rd(o.m_curg);
  m.p = rd(o.m_p);
  m.nextp = rd(o.m_nextp);
  for (std::uint64_t i = 0; i < o.tls_slots; ++i) m.tls.push_back(read_uint(mem, a + o.m_tls.offset + 8 * i, 8));
  m.spinning = rd(o.m_spinning) != 0;
  return m;
}

PView RuntimeModel::read_p(const MemoryReader& mem, std::uint64_t a) const {
  const Offsets& o = *off_;
  auto rd = [&](const FieldRef& f) { return read_uint(mem, a + f.offset, f.size); };
  PView p;
  p.addr = a;
  p.id = static_cast<std::int32_t>(rd(o.p_id));
  p.status = static_cast<std::uint32_t>(rd(o.p_status));
  p.status_name = status_.p(p.status);
  p.m = rd(o.p_m);
  p.runqhead = static_cast<std::uint32_t>(rd(o.p_runqhead));
  p.runqtail = static_cast<std::uint32_t>(rd(o.p_runqtail));
  // The ring holds the goroutines from runqhead up to runqtail (proc.go runqput/runqget).
  if (o.runq_len)
    for (std::uint32_t i = p.runqhead; i != p.runqtail && p.runq.size() < o.runq_len; ++i)
      p.runq.push_back(read_uint(mem, a + o.p_runq.offset + 8 * (i % o.runq_len), 8));
  p.runnext = rd(o.p_runnext);
  return p;
}

SchedView RuntimeModel::read_sched(const MemoryReader& mem) const {
  const Offsets& o = *off_;
  auto rd = [&](const FieldRef& f) { return read_uint(mem, sched_ + f.offset, f.size); };
  SchedView s;
  s.runqsize = static_cast<std::int32_t>(rd(o.s_runqsize));
  for (std::uint64_t g = rd(o.s_runq_head); g && s.runq.size() < 100000;
       g = read_uint(mem, g + o.g_schedlink.offset, 8))
    s.runq.push_back(g);
  s.midle = rd(o.s_midle);
  s.nmidle = static_cast<std::int32_t>(rd(o.s_nmidle));
  s.pidle = rd(o.s_pidle);
  s.npidle = static_cast<std::uint32_t>(rd(o.s_npidle));
  s.nmspinning = static_cast<std::uint32_t>(rd(o.s_nmspinning));
  s.goidgen = rd(o.s_goidgen);
  for (std::uint64_t m = s.midle; m && s.midle_list.size() < 10000; m = read_uint(mem, m + o.m_schedlink.offset, 8))
    s.midle_list.push_back(m);
  for (std::uint64_t p = s.pidle; p && s.pidle_list.size() < 10000; p = read_uint(mem, p + o.p_link.offset, 8))
    s.pidle_list.push_back(p);
  return s;
}

std::string RuntimeModel::g_name(const MemoryReader& mem, std::uint64_t g) const {
  if (!g) return "";
  if (g == g0_) return "runtime.g0";
  const auto goid = static_cast<std::int64_t>(read_uint(mem, g + off_->g_goid.offset, 8));
  return goid ? fmt::format("g(goid={})", goid) : fmt::format("g({:#x})", g);
}

TlsView RuntimeModel::read_tls(const MemoryReader& mem, const RegFile& regs) const {
  TlsView t;
  t.fs_base = regs[Reg::fs_base];
  t.r14 = regs[Reg::r14];
  if (t.fs_base) {
    // go_tls.h: g(r) is -8(r)(TLS), i.e. the word just below the FS base.
    std::uint64_t g = 0;
    if (mem(t.fs_base - 8, &g, 8)) t.g = g;
    else t.g = 0;
    t.g_symbol = g_name(mem, *t.g);
  }
  t.agree = t.g && *t.g == t.r14;
  return t;
}

std::optional<std::string> RuntimeModel::describe_heap(const MemoryReader& mem, std::uint64_t addr) const {
  auto inside = [&](std::uint64_t base, std::uint64_t size, const char* type,
                    const std::string& name) -> std::optional<std::string> {
    if (!base || addr < base || addr >= base + size) return std::nullopt;
    std::uint64_t rest = 0;
    const std::string path = dwarf_.field_path_at(type, addr - base, &rest);
    std::string s = path.empty() ? name : name + "." + path;
    if (rest) s += fmt::format("+{:#x}", rest);
    return s;
  };
  for (std::uint64_t g : allg_addrs(mem))
    if (auto s = inside(g, g_size_, "runtime.g", g_name(mem, g))) return s;
  const std::uint64_t p_ptr = read_uint(mem, allp_, 8), p_len = read_uint(mem, allp_ + 8, 8);
  for (std::uint64_t i = 0; i < p_len && i < 10000; ++i)
    if (auto s = inside(read_uint(mem, p_ptr + 8 * i, 8), p_size_, "runtime.p", fmt::format("allp[{}]", i))) return s;
  for (std::uint64_t m = read_uint(mem, allm_, 8), n = 0; m && n < 10000; m = read_uint(mem, m + off_->m_alllink.offset, 8), ++n)
    if (m != m0_)
      if (auto s = inside(m, m_size_, "runtime.m",
                          fmt::format("m(id={})", static_cast<std::int64_t>(read_uint(mem, m + off_->m_id.offset, 8)))))
        return s;
  return std::nullopt;
}

std::vector<std::uint64_t> RuntimeModel::allg_addrs(const MemoryReader& mem) const {
  std::vector<std::uint64_t> out;
  const std::uint64_t ptr_ = read_uint(mem, allgs_, 8), len = read_uint(mem, allgs_ + 8, 8);
  for (std::uint64_t i = 0; i < len && i < 100000; ++i) out.push_back(read_uint(mem, ptr_ + 8 * i, 8));
  return out;
}

RuntimeState RuntimeModel::capture(const MemoryReader& mem, const RegFile& regs) const {
  RuntimeState s;
  s.regs = regs;
  s.tls = read_tls(mem, regs);
  s.g0 = read_g(mem, g0_);
  s.m0 = read_m(mem, m0_);
  for (std::uint64_t g : allg_addrs(mem)) s.allgs.push_back(read_g(mem, g));
  for (std::uint64_t m = read_uint(mem, allm_, 8); m && s.allm.size() < 10000;
       m = read_uint(mem, m + off_->m_alllink.offset, 8))
    s.allm.push_back(read_m(mem, m));
  const std::uint64_t p_ptr = read_uint(mem, allp_, 8), p_len = read_uint(mem, allp_ + 8, 8);
  for (std::uint64_t i = 0; i < p_len && i < 10000; ++i) s.allp.push_back(read_p(mem, read_uint(mem, p_ptr + 8 * i, 8)));
  s.sched = read_sched(mem);
  // curg: the goroutine the current thread's M runs (TLS g -> g.m -> m.curg).
  if (s.tls.g && *s.tls.g) {
    const std::uint64_t m = read_uint(mem, *s.tls.g + off_->g_m.offset, 8);
    const std::uint64_t curg = m ? read_uint(mem, m + off_->m_curg.offset, 8) : 0;
    if (curg) s.curg = read_g(mem, curg);
  }
  return s;
}

namespace {

void flatten_g(std::vector<std::pair<std::string, std::string>>& out, const std::string& n, const GView& g) {
  out.emplace_back(n + ".goid", std::to_string(g.goid));
  out.emplace_back(n + ".status", g.status_name);
  out.emplace_back(n + ".stack.lo", hex(g.stack_lo));
  out.emplace_back(n + ".stack.hi", hex(g.stack_hi));
  out.emplace_back(n + ".stackguard0", hex(g.stackguard0));
  out.emplace_back(n + ".stackguard1", hex(g.stackguard1));
  out.emplace_back(n + ".m", ptr(g.m));
  out.emplace_back(n + ".sched.sp", hex(g.sched_sp));
  out.emplace_back(n + ".sched.pc", hex(g.sched_pc));
  out.emplace_back(n + ".sched.g", ptr(g.sched_g));
  out.emplace_back(n + ".startpc", g.startpc_symbol.empty() ? hex(g.startpc) : g.startpc_symbol);
  out.emplace_back(n + ".gopc", g.gopc_symbol.empty() ? hex(g.gopc) : g.gopc_symbol);
}

void flatten_m(std::vector<std::pair<std::string, std::string>>& out, const std::string& n, const MView& m) {
  out.emplace_back(n + ".id", std::to_string(m.id));
  out.emplace_back(n + ".procid", std::to_string(m.procid));
  out.emplace_back(n + ".g0", ptr(m.g0));
  out.emplace_back(n + ".curg", ptr(m.curg));
  out.emplace_back(n + ".p", ptr(m.p));
  out.emplace_back(n + ".nextp", ptr(m.nextp));
  for (std::size_t i = 0; i < m.tls.size(); ++i) out.emplace_back(fmt::format("{}.tls[{}]", n, i), hex(m.tls[i]));
  out.emplace_back(n + ".spinning", m.spinning ? "true" : "false");
}

std::string list(const std::vector<std::uint64_t>& v) {
  std::string s = "[";
  for (std::size_t i = 0; i < v.size(); ++i) s += (i ? " " : "") + hex(v[i]);
  return s + "]";
}

}  // namespace

std::vector<std::pair<std::string, std::string>> RuntimeModel::flatten(const RuntimeState& s) {
  std::vector<std::pair<std::string, std::string>> out;
  out.emplace_back("tls.fs_base", hex(s.tls.fs_base));
  out.emplace_back("tls.g", s.tls.g ? ptr(*s.tls.g) : "no TLS yet");
  flatten_g(out, "g0", s.g0);
  flatten_m(out, "m0", s.m0);
  for (const auto& g : s.allgs) {
    if (g.addr == s.g0.addr) continue;
    flatten_g(out, g.goid ? fmt::format("g(goid={})", g.goid) : fmt::format("g({:#x})", g.addr), g);
  }
  for (const auto& m : s.allm)
    if (m.addr != s.m0.addr) flatten_m(out, fmt::format("m(id={})", m.id), m);
  out.emplace_back("allp.len", std::to_string(s.allp.size()));
  for (std::size_t i = 0; i < s.allp.size(); ++i) {
    const PView& p = s.allp[i];
    const std::string n = fmt::format("allp[{}]", i);
    out.emplace_back(n + ".status", p.status_name);
    out.emplace_back(n + ".m", ptr(p.m));
    out.emplace_back(n + ".runqhead", std::to_string(p.runqhead));
    out.emplace_back(n + ".runqtail", std::to_string(p.runqtail));
    out.emplace_back(n + ".runq", list(p.runq));
    out.emplace_back(n + ".runnext", ptr(p.runnext));
  }
  out.emplace_back("sched.runqsize", std::to_string(s.sched.runqsize));
  out.emplace_back("sched.runq", list(s.sched.runq));
  out.emplace_back("sched.midle", ptr(s.sched.midle));
  out.emplace_back("sched.nmidle", std::to_string(s.sched.nmidle));
  out.emplace_back("sched.pidle", ptr(s.sched.pidle));
  out.emplace_back("sched.npidle", std::to_string(s.sched.npidle));
  out.emplace_back("sched.nmspinning", std::to_string(s.sched.nmspinning));
  out.emplace_back("sched.goidgen", std::to_string(s.sched.goidgen));
  return out;
}

std::vector<FieldChange> RuntimeModel::diff(const RuntimeState& before, const RuntimeState& after) {
  const auto a = flatten(before), b = flatten(after);
  std::map<std::string, std::string> old(a.begin(), a.end());
  std::vector<FieldChange> out;
  for (const auto& [path, value] : b) {
    auto it = old.find(path);
    const std::string was = it == old.end() ? "(none)" : it->second;
    if (was != value) out.push_back({path, was, value});
  }
  return out;
}

}  // namespace gostep::model
