#include "engine/stack.h"

#include <fmt/format.h>

namespace gostep::engine {

model::GContext goroutine_context(Session& s, const RegFile& rf) {
  model::GContext gc;
  Process& p = s.process();
  auto rd = [&](std::uint64_t a) -> std::uint64_t {
    std::uint64_t v = 0;
    if (a == 0 || !p.memory().peek(a, &v, 8)) return 0;
    return v;
  };
  const model::DwarfInfo* dw = s.dwarf();
  if (!dw || rf[Reg::fs_base] < 8) return gc;
  auto off = [&](const char* type, const char* path) -> std::optional<std::uint64_t> {
    auto f = dw->field(type, path);
    if (!f) return std::nullopt;
    return f->offset;
  };
  const auto g_m = off("runtime.g", "m"), m_g0 = off("runtime.m", "g0"), m_curg = off("runtime.m", "curg"),
             sched_sp = off("runtime.g", "sched.sp"), sched_pc = off("runtime.g", "sched.pc"),
             goid = off("runtime.g", "goid");
  if (!g_m || !m_g0 || !m_curg || !sched_sp || !sched_pc) return gc;
  gc.g = rd(rf[Reg::fs_base] - 8);
  if (!gc.g) return gc;
  const std::uint64_t m = rd(gc.g + *g_m);
  if (!m) return gc;
  gc.g0 = rd(m + *m_g0);
  gc.curg = rd(m + *m_curg);
  if (gc.curg) {
    gc.curg_sched_sp = rd(gc.curg + *sched_sp);
    gc.curg_sched_pc = rd(gc.curg + *sched_pc);
    if (goid) gc.curg_goid = static_cast<std::int64_t>(rd(gc.curg + *goid));
  }
  return gc;
}

Backtrace backtrace(Session& s, int tid, std::size_t max_frames) {
  Backtrace b;
  Process& p = s.process();
  Thread* t = p.thread_by_tid(tid);
  if (!t) {
    b.unavailable = fmt::format("thread {} does not exist", tid);
    return b;
  }
  const model::Pclntab* table = s.pclntab();
  if (!table) {
    b.unavailable = "no stack unwinding without Go's pclntab: " + s.pclntab_error();
    return b;
  }
  const RegFile rf = p.regs_of(*t);
  auto read = [&](std::uint64_t a) -> std::optional<std::uint64_t> {
    std::uint64_t w = 0;
    if (!p.memory().peek(a, &w, 8)) return std::nullopt;
    return w;
  };
  auto u = model::unwind_stack(*table, rf[Reg::rip], rf[Reg::rsp], goroutine_context(s, rf), read, max_frames);
  b.frames = std::move(u.frames);
  b.stopped = std::move(u.stopped);
  b.truncated = u.truncated;
  return b;
}

}  // namespace gostep::engine
