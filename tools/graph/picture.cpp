// The picture's model: which objects and arrows a state shows (picture.h).
#include "picture.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

namespace gostep::graph {
namespace {

std::string hex(std::uint64_t v) { return fmt::format("{:#x}", v); }

bool contains(const std::vector<std::uint64_t>& v, std::uint64_t x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

class Builder {
 public:
  Builder(const model::RuntimeState& st, Picture& p) : st_(st), p_(p) {}

  void build() {
    add_g_nodes();
    add_tls();
    add_ms();
    add_ps();
    add_sched();
  }

 private:
  // A g's node id follows its address: the same goroutine keeps it while its goid
  // and status change.
  std::string g_id(std::uint64_t addr) const {
    return addr == st_.g0.addr ? "g0" : fmt::format("g_{:x}", addr);
  }
  std::string m_id(std::uint64_t addr) const {
    return addr == st_.m0.addr ? "m0" : fmt::format("m_{:x}", addr);
  }

  Node& add(Node n) {
    index_[n.id] = p_.nodes.size();
    p_.nodes.push_back(std::move(n));
    return p_.nodes.back();
  }
  bool has(const std::string& id) const { return index_.count(id) != 0; }

  void g_node(const model::GView& g) {
    Node n;
    n.id = g_id(g.addr);
    n.kind = Kind::g;
    n.name = g.addr == st_.g0.addr ? "g0" : g.goid ? fmt::format("g{}", g.goid) : "g";
    n.facts = {hex(g.addr), g.status_name};
    if (g.stack_lo || g.stack_hi) n.facts.push_back(fmt::format("stack [{:#x}, {:#x})", g.stack_lo, g.stack_hi));
    if (g.addr != st_.g0.addr && !g.startpc_symbol.empty()) n.facts.push_back(g.startpc_symbol);
    n.current = st_.tls.g && *st_.tls.g == g.addr;
    add(std::move(n));
  }

  // A g an arrow points at: drawn even when it is past the goroutine limit; one
  // the model does not know (another M's g0) gets its address only.
  std::string g_ref(std::uint64_t addr, const std::string& name_if_unknown) {
    const std::string id = g_id(addr);
    if (has(id)) return id;
    for (const auto& g : st_.allgs)
      if (g.addr == addr) {
        g_node(g);
        return id;
      }
    if (st_.curg && st_.curg->addr == addr) {
      g_node(*st_.curg);
      return id;
    }
    Node n;
    n.id = id;
    n.kind = Kind::g;
    n.name = name_if_unknown;
    n.facts = {hex(addr)};
    n.current = st_.tls.g && *st_.tls.g == addr;
    add(std::move(n));
    return id;
  }

  void edge(const std::string& from, const std::string& to, const std::string& label) {
    p_.edges.push_back({from, to, label, false});
  }

  void add_g_nodes() {
    g_node(st_.g0);
    std::size_t shown = 0, more = 0;
    for (const auto& g : st_.allgs) {
      if (g.addr == st_.g0.addr) continue;
      if (shown < kMaxGoroutines) {
        g_node(g);
        ++shown;
      } else {
        ++more;
      }
    }
    if (more) {
      Node n;
      n.id = "more_goroutines";
      n.kind = Kind::more;
      n.name = fmt::format("and {} more goroutine{}", more, more == 1 ? "" : "s");
      add(std::move(n));
    }
    p_.no_goroutines = st_.allgs.empty();
  }

  void add_tls() {
    Node n;
    n.id = "tls";
    n.kind = Kind::tls;
    n.name = "TLS";
    if (!st_.tls.g) {
      n.facts = {"fs_base 0x0"};
      add(std::move(n));
      return;
    }
    n.facts = {"fs_base " + hex(st_.tls.fs_base)};
    const std::uint64_t g = *st_.tls.g;
    bool known = g == st_.g0.addr || (st_.curg && st_.curg->addr == g);
    for (const auto& x : st_.allgs) known |= x.addr == g;
    if (!known) n.facts.push_back(g ? "%fs:-8 = " + hex(g) : "%fs:-8 = nil");
    add(std::move(n));
    if (known) edge("tls", g_ref(g, "g"), "%fs:-8");
  }

  void add_ms() {
    std::vector<model::MView> ms = st_.allm;
    if (ms.empty()) ms.push_back(st_.m0);  // before mcommoninit links m0 into allm
    if (st_.g0.m) edge("g0", m_id(st_.g0.m), "m");
    for (const auto& m : ms) {
      Node n;
      n.id = m_id(m.addr);
      n.kind = Kind::m;
      n.name = m.addr == st_.m0.addr ? "m0" : fmt::format("m{}", m.id);
      n.facts = {hex(m.addr), fmt::format("id {}", m.id)};
      if (m.spinning) n.facts.push_back("spinning");
      n.idle = contains(st_.sched.midle_list, m.addr);
      add(std::move(n));
      if (m.g0) edge(n_id(m), g_ref(m.g0, fmt::format("m{}.g0", m.id)), "g0");
      if (m.curg) edge(n_id(m), g_ref(m.curg, "g"), "curg");
      if (m.p) p_edges_.emplace_back(n_id(m), m.p, "p");
      if (m.nextp) p_edges_.emplace_back(n_id(m), m.nextp, "nextp");
    }
  }
  std::string n_id(const model::MView& m) const { return m_id(m.addr); }

  void add_ps() {
    std::map<std::uint64_t, std::string> p_ids;
    for (std::size_t i = 0; i < st_.allp.size(); ++i) {
      const auto& pv = st_.allp[i];
      Node n;
      n.id = fmt::format("p{}", i);
      n.kind = Kind::p;
      n.name = fmt::format("p{}", i);
      n.facts = {hex(pv.addr), pv.status_name};
      n.idle = contains(st_.sched.pidle_list, pv.addr);
      p_ids[pv.addr] = n.id;
      add(std::move(n));
    }
    for (const auto& [from, p, label] : p_edges_)
      if (auto it = p_ids.find(p); it != p_ids.end()) edge(from, it->second, label);
    for (std::size_t i = 0; i < st_.allp.size(); ++i) {
      const auto& pv = st_.allp[i];
      const std::string id = fmt::format("p{}", i);
      if (pv.runnext) edge(id, g_ref(pv.runnext, "g"), "runnext");
      queue_edges(id, pv.runq);
    }
    p_.no_ps = st_.allp.empty();
  }

  void queue_edges(const std::string& from, const std::vector<std::uint64_t>& q) {
    for (std::size_t k = 0; k < q.size() && k < kMaxQueue; ++k) edge(from, g_ref(q[k], "g"), fmt::format("runq[{}]", k));
    if (q.size() > kMaxQueue) {
      Node n;
      n.id = "more_" + from;
      n.kind = Kind::more;
      n.name = fmt::format("and {} more in the queue", q.size() - kMaxQueue);
      add(std::move(n));
      edge(from, "more_" + from, "runq");
    }
  }

  void add_sched() {
    Node n;
    n.id = "sched";
    n.kind = Kind::sched;
    n.name = "sched";
    n.facts = {fmt::format("runqsize {}", st_.sched.runqsize), fmt::format("npidle {}", st_.sched.npidle),
               fmt::format("nmidle {}", st_.sched.nmidle)};
    add(std::move(n));
    queue_edges("sched", st_.sched.runq);
    for (std::size_t i = 0; i < st_.allp.size(); ++i)
      if (contains(st_.sched.pidle_list, st_.allp[i].addr)) edge("sched", fmt::format("p{}", i), "pidle");
    for (const auto& m : st_.allm)
      if (contains(st_.sched.midle_list, m.addr)) edge("sched", m_id(m.addr), "midle");
  }

  const model::RuntimeState& st_;
  Picture& p_;
  std::map<std::string, std::size_t> index_;
  std::vector<std::tuple<std::string, std::uint64_t, std::string>> p_edges_;  // m -> P, drawn once the Ps exist
};

}  // namespace

const Node* Picture::node(std::string_view id) const {
  for (const auto& n : nodes)
    if (n.id == id) return &n;
  return nullptr;
}

std::vector<Step> startup_path(const std::vector<engine::MilestoneTime>& timeline, std::uint64_t insn) {
  std::vector<Step> out;
  const auto here = engine::milestone_at_or_before(timeline, insn);
  for (std::size_t i = 0; i < timeline.size(); ++i) {
    const auto& m = timeline[i];
    Step s;
    s.name = m.name;
    s.found = m.pc.has_value();
    s.passed = m.insn && *m.insn < insn;
    s.current = here && *here == i;
    out.push_back(s);
  }
  return out;
}

Picture build_picture(const model::RuntimeState& st, std::vector<Step> path, std::string title) {
  Picture p;
  p.title = std::move(title);
  p.path = std::move(path);
  Builder(st, p).build();
  return p;
}

void mark_changes(Picture& now, const Picture& before) {
  for (auto& n : now.nodes) {
    const Node* b = before.node(n.id);
    n.changed = !b || b->facts != n.facts || b->name != n.name || b->idle != n.idle || b->current != n.current;
  }
  std::set<std::tuple<std::string, std::string, std::string>> old, kept;
  for (const auto& e : before.edges) old.emplace(e.from, e.to, e.label);
  for (auto& e : now.edges) {
    e.changed = old.count({e.from, e.to, e.label}) == 0;
    kept.emplace(e.from, e.to, e.label);
  }
  // An arrow that is gone (runnext emptied by execute) changed the object it left:
  // nothing else in the picture would show it.
  for (const auto& e : before.edges)
    if (kept.count({e.from, e.to, e.label}) == 0)
      for (auto& n : now.nodes)
        if (n.id == e.from) n.changed = true;
}

}  // namespace gostep::graph
