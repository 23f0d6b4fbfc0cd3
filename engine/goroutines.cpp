#include "engine/goroutines.h"

#include <fmt/format.h>

#include <algorithm>

namespace gostep::engine {
namespace {

std::uint64_t word(Session& s, GuestAddr a, std::uint64_t size = 8) {
  std::uint64_t w = 0;
  if (!a || !s.process().memory().peek(a, &w, size)) return 0;
  return w;
}

// runtime2.go: waitReasonStrings[g.waitreason], read from the binary.
std::string wait_reason(Session& s, GuestAddr g) {
  const model::DwarfInfo* dw = s.dwarf();
  const auto wr = dw->field("runtime.g", "waitreason");
  const auto table = dw->variable("runtime.waitReasonStrings");
  if (!wr || !table) return "";
  const std::uint64_t n = word(s, g + wr->offset, 1);
  if (n * 16 + 16 > table->size) return fmt::format("wait reason {}", n);
  const std::uint64_t str = word(s, table->addr + n * 16), len = word(s, table->addr + n * 16 + 8);
  if (!str || len == 0 || len > 64) return "";
  std::string out(len, '\0');
  if (!s.process().memory().peek(str, out.data(), len)) return "";
  return out;
}

// The goroutine each thread runs (m.curg of the thread's M), by g address.
std::vector<std::pair<GuestAddr, int>> running(Session& s) {
  std::vector<std::pair<GuestAddr, int>> out;
  Process& p = s.process();
  for (const auto& t : p.threads()) {
    if (t->state == ThreadState::exited) continue;
    const auto gc = goroutine_context(s, p.regs_of(*t));
    if (gc.curg) out.emplace_back(gc.curg, t->tid);
  }
  return out;
}

GoroutineInfo describe(Session& s, const model::GView& v, const std::vector<std::pair<GuestAddr, int>>& threads) {
  GoroutineInfo g;
  g.goid = v.goid;
  g.addr = v.addr;
  g.status = v.status;
  g.status_name = v.status_name;
  for (const auto& [addr, tid] : threads)
    if (addr == v.addr) g.thread = tid;
  if ((v.status & ~0x1000u) == 4) g.wait_reason = wait_reason(s, v.addr);  // _Gwaiting
  const auto& sym = s.symbols();
  if (auto f = sym.function_at(v.startpc)) g.start_function = f->name;
  if (v.gopc) {
    if (auto f = sym.function_at(v.gopc - 1)) g.go_function = f->name;
    g.go_source = sym.source(v.gopc - 1);
  }
  g.system = runtime_function(g.start_function) && g.start_function != "runtime.main";  // Delve's rule
  const Backtrace b = goroutine_backtrace(s, g);
  if (!b.frames.empty()) g.current = b.frames.front();
  for (const auto& f : b.frames)
    if (user_function(f.function)) {
      g.user = f;
      break;
    }
  return g;
}

}  // namespace

bool runtime_function(const std::string& name) {
  return name.rfind("runtime.", 0) == 0 || name.rfind("runtime/internal/", 0) == 0;
}

bool user_function(const std::string& name) {
  // The package path is what comes before the first '.' after the last '/'. The
  // standard library's first path element has no dot ("sync", "internal/poll");
  // a module's has ("gostep.example/fixtures/..."); and main is the program's.
  const std::size_t slash = name.rfind('/');
  const std::size_t dot = name.find('.', slash == std::string::npos ? 0 : slash);
  const std::string pkg = name.substr(0, dot);
  if (pkg == "main") return true;
  const std::string first = pkg.substr(0, pkg.find('/'));
  return slash != std::string::npos && first.find('.') != std::string::npos;
}

std::vector<GoroutineInfo> goroutines(Session& s) {
  std::vector<GoroutineInfo> out;
  if (!s.model() || !s.dwarf()) return out;
  const auto threads = running(s);
  for (GuestAddr a : s.model()->allg_addrs(s.reader())) {
    const model::GView v = s.model()->read_g(s.reader(), a);
    if ((v.status & ~0x1000u) == 6) continue;  // _Gdead: a g kept for reuse
    out.push_back(describe(s, v, threads));
  }
  std::sort(out.begin(), out.end(), [](const GoroutineInfo& a, const GoroutineInfo& b) { return a.goid < b.goid; });
  return out;
}

std::optional<GoroutineInfo> goroutine(Session& s, std::int64_t goid) {
  if (!s.model() || !s.dwarf()) return std::nullopt;
  for (GuestAddr a : s.model()->allg_addrs(s.reader())) {
    const model::GView v = s.model()->read_g(s.reader(), a);
    if (v.goid == goid) return describe(s, v, running(s));
  }
  return std::nullopt;
}

Backtrace goroutine_backtrace(Session& s, const GoroutineInfo& g) {
  // A running goroutine's registers are its thread's (backtrace() follows a
  // systemstack switch back to it); a parked one has only g.sched.
  if (g.thread) return backtrace(s, g.thread);
  return parked_backtrace(s, g.addr);
}

}  // namespace gostep::engine
