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
  b.registers = true;
  b.tid = tid;
  expand_inlined(s, b);
  return b;
}

Backtrace parked_backtrace(Session& s, GuestAddr g, std::size_t max_frames) {
  Backtrace b;
  const model::Pclntab* table = s.pclntab();
  const model::DwarfInfo* dw = s.dwarf();
  if (!table || !dw) {
    b.unavailable = "no goroutine stacks without Go's pclntab and DWARF";
    return b;
  }
  const auto sp_f = dw->field("runtime.g", "sched.sp"), pc_f = dw->field("runtime.g", "sched.pc");
  Process& p = s.process();
  auto read = [&](std::uint64_t a) -> std::optional<std::uint64_t> {
    std::uint64_t w = 0;
    if (!p.memory().peek(a, &w, 8)) return std::nullopt;
    return w;
  };
  const auto sp = sp_f ? read(g + sp_f->offset) : std::nullopt, pc = pc_f ? read(g + pc_f->offset) : std::nullopt;
  if (!sp || !pc || !*sp || !*pc) {
    b.unavailable = fmt::format("the goroutine at {:#x} has no saved context (g.sched is empty)", g);
    return b;
  }
  // gopark's mcall saved the pc of its return into the goroutine (runtime/asm_amd64.s
  // mcall: sched.pc is the caller's pc): frame 0 is an ordinary frame there.
  model::GContext gc;
  gc.g = g;
  auto u = model::unwind_stack(*table, *pc, *sp, gc, read, max_frames);
  b.frames = std::move(u.frames);
  b.stopped = std::move(u.stopped);
  b.truncated = u.truncated;
  expand_inlined(s, b);
  return b;
}

void expand_inlined(Session& s, Backtrace& b) {
  const model::Pclntab* table = s.pclntab();
  const model::DwarfInfo* dw = s.dwarf();
  auto line = [&](std::uint64_t pc, const model::PclnFunction* f) -> std::optional<model::SourceLine> {
    if (dw)
      if (auto l = dw->line_at(pc)) return l;
    if (table && f)
      if (auto pos = table->position(*f, pc)) return model::SourceLine{pos->file, pos->file, pos->line};
    return std::nullopt;
  };
  std::vector<model::Frame> out;
  out.reserve(b.frames.size());
  for (auto& f : b.frames) {
    std::vector<model::PclnInlined> inl;
    if (table && f.func) inl = table->inlined_at(*f.func, f.lookup_pc);
    const model::PclnFunction* fn = f.func ? &*f.func : nullptr;
    for (std::size_t k = 0; k < inl.size(); ++k) {
      model::Frame in = f;
      in.function = inl[k].function;
      in.source = line(k == 0 ? f.lookup_pc : inl[k - 1].parent_pc, fn);
      in.inlined = true;
      in.inline_index = static_cast<int>(k);
      in.note.clear();
      out.push_back(std::move(in));
    }
    if (auto sym = s.symbols().function_at(f.lookup_pc)) f.function = sym->name;
    else if (f.func) f.function = f.func->name;
    else f.function = "??";
    f.source = line(inl.empty() ? f.lookup_pc : inl.back().parent_pc, fn);
    f.inline_index = static_cast<int>(inl.size());
    out.push_back(std::move(f));
  }
  b.frames = std::move(out);
}

}  // namespace gostep::engine
