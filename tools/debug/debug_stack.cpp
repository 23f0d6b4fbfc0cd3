// backtrace, frame, up, down, info frame, finish, step, next.
//
// Frames come from Go's own unwind metadata (unwind.h: pclntab's pcsp table,
// TOPFRAME/SPWRITE flags and the systemstack/morestack switch to curg's stack),
// names from the Symbolizer, lines from DWARF. Source-line stepping runs single
// instructions (Session::step_instruction) and, when it steps over a CALL, runs
// to the return address the way nexti does.
#include <fmt/format.h>

#include <capstone/capstone.h>

#include <map>
#include <memory>

#include "debugger.h"
#include "expr.h"
#include "tools/symbols.h"
#include "unwind.h"

namespace gostep {
namespace {

constexpr std::uint64_t kStepLimit = 10'000'000;  // instructions one step/next may run (all threads)
constexpr std::uint64_t kSingleStepLimit = 1'000'000;  // of them single-stepped (about 40 s)
constexpr std::size_t kMaxFrames = 10'000;

// The pclntab of each loaded image, parsed once (the image outlives the session's restarts).
const unwind::GoFuncTable* go_table(const ElfImage& image, std::string* why) {
  struct Entry {
    std::optional<unwind::GoFuncTable> table;
    std::string why;
  };
  static std::map<std::pair<const std::uint8_t*, std::size_t>, std::unique_ptr<Entry>> cache;
  const auto key = std::make_pair(image.bytes.data(), image.bytes.size());
  auto it = cache.find(key);
  if (it == cache.end()) {
    auto e = std::make_unique<Entry>();
    e->table = unwind::GoFuncTable::parse(image.bytes, &e->why);
    it = cache.emplace(key, std::move(e)).first;
  }
  if (why) *why = it->second->why;
  return it->second->table ? &*it->second->table : nullptr;
}

bool parse_number(const std::string& s, long long& out) {
  if (s.empty() || s.size() > 12) return false;
  std::size_t i = s[0] == '-' ? 1 : 0;
  if (i == s.size()) return false;
  long long v = 0;
  for (; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  out = s[0] == '-' ? -v : v;
  return true;
}

std::uint32_t insn_length(const std::uint8_t* code, std::size_t n, GuestAddr pc) {
  std::uint32_t len = 0;
  csh h;
  if (cs_open(CS_ARCH_X86, CS_MODE_64, &h) == CS_ERR_OK) {
    cs_insn* insn = nullptr;
    if (cs_disasm(h, code, n, pc, 1, &insn) == 1) {
      len = insn[0].size;
      cs_free(insn, 1);
    }
    cs_close(&h);
  }
  return len;
}

struct StackView {
  unwind::Result r;
  std::string unavailable;  // why there is no unwind at all
};

}  // namespace

// --- unwinding the selected thread ---------------------------------------------------

namespace {

unwind::GContext goroutine_context(Session& s, const RegFile& rf) {
  unwind::GContext gc;
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

StackView unwind_thread(Session& s, int tid) {
  StackView v;
  Process& p = s.process();
  Thread* t = p.thread_by_tid(tid);
  if (!t) {
    v.unavailable = fmt::format("thread {} does not exist", tid);
    return v;
  }
  std::string why;
  const unwind::GoFuncTable* table = go_table(s.image(), &why);
  if (!table) {
    v.unavailable = "no stack unwinding without Go's pclntab: " + why;
    return v;
  }
  const RegFile rf = p.regs_of(*t);
  auto read = [&](std::uint64_t a) -> std::optional<std::uint64_t> {
    std::uint64_t w = 0;
    if (!p.memory().peek(a, &w, 8)) return std::nullopt;
    return w;
  };
  v.r = unwind::unwind_stack(*table, rf[Reg::rip], rf[Reg::rsp], goroutine_context(s, rf), read, kMaxFrames);
  return v;
}

// The pc to look up names and lines for: a caller's pc is a return address, and
// the CALL before it is the line being executed.
GuestAddr lookup_pc(const unwind::Frame& f, std::size_t level) { return level == 0 ? f.pc : f.pc - 1; }

std::string function_name(Session& s, const unwind::Frame& f, std::size_t level) {
  if (auto sym = s.symbols().function_at(lookup_pc(f, level))) return sym->name;
  if (f.func) return f.func->name;
  return "??";
}

}  // namespace

// "#1  0x43c6e5 in runtime.newproc.func1 at proc.go:4098"
static std::string frame_text(Session& s, const unwind::Frame& f, std::size_t level) {
  std::string t = fmt::format("#{:<3}{:#x} in {}", level, f.pc, function_name(s, f, level));
  if (auto src = s.symbols().source(lookup_pc(f, level))) t += " at " + src->short_form();
  return t;
}

static nlohmann::ordered_json frame_json(Session& s, const unwind::Frame& f, std::size_t level, bool selected) {
  nlohmann::ordered_json j;
  j["level"] = level;
  j["pc"] = fmt::format("{:#x}", f.pc);
  j["function"] = function_name(s, f, level);
  if (auto src = s.symbols().source(lookup_pc(f, level))) {
    j["file"] = src->file;
    j["line"] = src->line;
    j["source"] = src->short_form();
  } else {
    j["file"] = nullptr;
    j["line"] = nullptr;
    j["source"] = nullptr;
  }
  j["sp"] = fmt::format("{:#x}", f.sp);
  j["frame_size"] = f.frame_size;
  j["cfa"] = f.cfa ? nlohmann::ordered_json(fmt::format("{:#x}", f.cfa)) : nlohmann::ordered_json(nullptr);
  j["return_address"] =
      f.ret_addr ? nlohmann::ordered_json(fmt::format("{:#x}", f.ret_addr)) : nlohmann::ordered_json(nullptr);
  j["outermost"] = f.outermost;
  if (!f.note.empty()) j["note"] = f.note;
  j["selected"] = selected;
  return j;
}

void Debugger::cmd_backtrace(const Args& a) {
  if (ended_) return error("No stack.");
  long long limit = 0;
  std::string arg = a.rest;
  if (arg == "full" || arg.rfind("full ", 0) == 0 || arg.rfind("-full", 0) == 0)  // no locals here; the frames anyway
    arg = arg.substr(arg.find_first_of(' ') == std::string::npos ? arg.size() : arg.find_first_of(' ') + 1);
  if (!arg.empty() && (!parse_number(arg, limit) || limit == 0))
    return error(fmt::format("backtrace takes a count of frames (N innermost, -N outermost), not \"{}\"", a.rest));
  StackView v = unwind_thread(s_, selected_tid_);
  if (!v.unavailable.empty()) return error(v.unavailable);
  const auto& frames = v.r.frames;
  if (selected_frame_ < 0 || static_cast<std::size_t>(selected_frame_) >= frames.size()) selected_frame_ = 0;
  std::size_t first = 0, last = frames.size();
  if (limit > 0 && static_cast<std::size_t>(limit) < frames.size()) last = static_cast<std::size_t>(limit);
  if (limit < 0 && static_cast<std::size_t>(-limit) < frames.size()) first = frames.size() - static_cast<std::size_t>(-limit);
  std::string out;
  nlohmann::ordered_json js = nlohmann::ordered_json::array();
  for (std::size_t i = first; i < last; ++i) {
    const bool sel = static_cast<int>(i) == selected_frame_;
    out += frame_text(s_, frames[i], i);
    if (sel && frames.size() > 1) out += "   <= selected";
    out += '\n';
    if (!frames[i].note.empty()) out += fmt::format("    [{}]\n", frames[i].note);
    js.push_back(frame_json(s_, frames[i], i, sel));
  }
  if (last < frames.size() || v.r.truncated) out += "(More stack frames follow...)\n";
  if (!v.r.stopped.empty() && last == frames.size()) out += fmt::format("Backtrace stopped: {}\n", v.r.stopped);
  result()["frames"] = js;
  result()["complete"] = v.r.stopped.empty() && !v.r.truncated;
  if (!v.r.stopped.empty()) result()["stopped"] = v.r.stopped;
  say(out);
}

// Shows the selected frame, gdb style: "#N ..." and the source line's text.
static std::string frame_with_source(Session& s, SourceText& sources, const unwind::Frame& f, std::size_t level) {
  std::string t = frame_text(s, f, level) + "\n";
  if (auto src = s.symbols().source(lookup_pc(f, level)))
    if (auto text = sources.line(src->full_path, src->line)) t += fmt::format("{}\t{}\n", src->line, *text);
  return t;
}

void Debugger::cmd_frame(const Args& a) {
  if (ended_) return error("No stack.");
  StackView v = unwind_thread(s_, selected_tid_);
  if (!v.unavailable.empty()) return error(v.unavailable);
  const auto& frames = v.r.frames;
  if (selected_frame_ < 0 || static_cast<std::size_t>(selected_frame_) >= frames.size()) selected_frame_ = 0;
  if (!a.rest.empty()) {
    std::string arg = a.rest;
    if (arg.rfind("level ", 0) == 0) arg = arg.substr(6);
    long long n = 0;
    if (!parse_number(arg, n) || n < 0)
      return error(fmt::format("frame takes a frame number (see \"backtrace\"), not \"{}\"", a.rest));
    if (static_cast<std::size_t>(n) >= frames.size()) return error(fmt::format("No frame at level {}.", a.rest));
    selected_frame_ = static_cast<int>(n);
  }
  const auto level = static_cast<std::size_t>(selected_frame_);
  say(frame_with_source(s_, sources_, frames[level], level));
  result()["frame"] = frame_json(s_, frames[level], level, true);
}

void Debugger::cmd_up(const Args& a) {
  if (ended_) return error("No stack.");
  long long n = 1;
  if (!a.rest.empty() && (!parse_number(a.rest, n) || n < 0))
    return error(fmt::format("{} takes a number of frames, not \"{}\"", a.command, a.rest));
  if (a.command == "down") n = -n;
  StackView v = unwind_thread(s_, selected_tid_);
  if (!v.unavailable.empty()) return error(v.unavailable);
  const auto& frames = v.r.frames;
  if (selected_frame_ < 0 || static_cast<std::size_t>(selected_frame_) >= frames.size()) selected_frame_ = 0;
  const long long top = static_cast<long long>(frames.size()) - 1;
  long long want = selected_frame_ + n;
  if (n > 0 && selected_frame_ == top)
    return error(v.r.stopped.empty() ? "Initial frame selected; you cannot go up."
                                     : "Initial frame selected; you cannot go up (backtrace stopped: " + v.r.stopped + ").");
  if (n < 0 && selected_frame_ == 0) return error("Bottom (innermost) frame selected; you cannot go down.");
  want = std::clamp(want, 0LL, top);
  selected_frame_ = static_cast<int>(want);
  const auto level = static_cast<std::size_t>(selected_frame_);
  say(frame_with_source(s_, sources_, frames[level], level));
  result()["frame"] = frame_json(s_, frames[level], level, true);
}

void Debugger::cmd_down(const Args& a) { cmd_up(a); }

void Debugger::cmd_info_frame(const Args& a) {
  if (ended_) return error("No stack.");
  StackView v = unwind_thread(s_, selected_tid_);
  if (!v.unavailable.empty()) return error(v.unavailable);
  const auto& frames = v.r.frames;
  if (selected_frame_ < 0 || static_cast<std::size_t>(selected_frame_) >= frames.size()) selected_frame_ = 0;
  std::size_t level = static_cast<std::size_t>(selected_frame_);
  if (!a.rest.empty()) {
    long long n = 0;
    if (!parse_number(a.rest, n) || n < 0) return error(fmt::format("info frame takes a frame number, not \"{}\"", a.rest));
    if (static_cast<std::size_t>(n) >= frames.size()) return error(fmt::format("No frame at level {}.", a.rest));
    level = static_cast<std::size_t>(n);
  }
  const unwind::Frame& f = frames[level];
  std::string t = f.cfa ? fmt::format("Stack level {}, frame at {:#x}:\n", level, f.cfa)
                        : fmt::format("Stack level {}, outermost frame:\n", level);
  const auto src = s_.symbols().source(lookup_pc(f, level));
  t += fmt::format(" rip = {:#x} in {}{}", f.pc, function_name(s_, f, level),
                   src ? " (" + src->short_form() + ")" : std::string());
  if (f.ret_addr) t += fmt::format("; saved rip = {:#x}", f.ret_addr);
  t += '\n';
  if (f.outermost) t += " Outermost frame: nothing called it (TOPFRAME in Go's metadata)\n";
  if (level + 1 < frames.size() && frames[level + 1].cfa) t += fmt::format(" called by frame at {:#x}\n", frames[level + 1].cfa);
  else if (level + 1 < frames.size()) t += fmt::format(" called by frame {}\n", level + 1);
  if (level > 0) t += fmt::format(" caller of frame at {:#x}\n", frames[level - 1].cfa);
  if (f.func) {
    t += fmt::format(" function {} at {:#x}, {}{}\n", f.func->name, f.func->entry,
                     f.func->args >= 0 ? fmt::format("{} bytes of arguments", f.func->args) : std::string("arguments unknown"),
                     f.func->flag & unwind::kFlagAsm ? " (assembly)" : "");
    t += fmt::format(" sp = {:#x}; frame size here (pcsp spdelta) = {:#x} bytes\n", f.sp, f.frame_size);
  }
  if (f.ret_slot) {
    t += fmt::format(" return address {:#x} stored at {:#x}", f.ret_addr, f.ret_slot);
    if (level + 1 < frames.size()) t += fmt::format(" -> {}", s_.symbols().describe_code(f.ret_addr));
    t += fmt::format("\n caller's sp = {:#x}\n", f.cfa);
  }
  if (!f.note.empty()) t += fmt::format(" note: {}\n", f.note);
  if (level + 1 == frames.size() && !v.r.stopped.empty()) t += fmt::format(" unwinding stops here: {}\n", v.r.stopped);
  say(t);
  auto j = frame_json(s_, f, level, static_cast<int>(level) == selected_frame_);
  if (f.ret_slot) j["return_address_at"] = fmt::format("{:#x}", f.ret_slot);
  if (level + 1 < frames.size()) j["caller"] = function_name(s_, frames[level + 1], level + 1);
  result()["frame"] = j;
}

// --- finish --------------------------------------------------------------------------

void Debugger::cmd_finish(const Args& a) {
  if (!guest_alive("finishing")) return;
  if (!a.rest.empty()) return error("finish takes no arguments (it finishes the selected frame; see \"up\").");
  StackView v = unwind_thread(s_, selected_tid_);
  if (!v.unavailable.empty()) return error(v.unavailable);
  const auto& frames = v.r.frames;
  if (selected_frame_ < 0 || static_cast<std::size_t>(selected_frame_) >= frames.size()) selected_frame_ = 0;
  const auto level = static_cast<std::size_t>(selected_frame_);
  const unwind::Frame f = frames[level];
  if (f.outermost) return error("\"finish\" not meaningful in the outermost frame.");
  if (level + 1 >= frames.size() || !f.ret_addr || !f.cfa)
    return error(fmt::format("\"finish\" cannot find where frame {} returns: {}", level,
                             v.r.stopped.empty() ? "the unwind ended" : v.r.stopped));
  say(fmt::format("Run till exit from {}\n", frame_text(s_, f, level)));
  Process& p = s_.process();
  sync_breakpoints();
  Location target;
  target.addr = f.ret_addr;
  RunResult r;
  for (;;) {
    p.skip_breakpoint_once(p.regs_of(p.current())[Reg::rip]);
    std::vector<std::size_t> hit;
    r.stop = s_.run_to({target}, hit);
    sync_breakpoints();  // run_to removed its target, which may be a user's breakpoint too
    if (!hit.empty()) {
      Thread* th = p.thread_by_tid(selected_tid_);
      if (p.current().tid == selected_tid_ && th && p.regs_of(*th)[Reg::rsp] >= f.cfa) break;
      if (!p.has_breakpoint(f.ret_addr)) continue;  // a deeper call returning there: not ours
    }
    if (r.stop.kind != StopKind::breakpoint) break;
    // A user's breakpoint on the way (gdb stops there too), if its condition holds.
    const GuestAddr pc = r.stop.pc ? r.stop.pc : p.regs_of(p.current())[Reg::rip];
    bool user_stop = false;
    for (auto& b : breakpoints_) {
      if (b.type != DebugBreakpoint::Type::breakpoint || !b.enabled || b.addr != pc) continue;
      if (!b.condition.empty()) {
        ExprEvaluator ev(s_, p.current().tid);
        auto val = ev.eval(b.condition);
        if (val && !val->value) continue;
      }
      ++b.hits;
      say(fmt::format("\n{} {}, ", b.temporary ? "Temporary breakpoint" : "Breakpoint", b.number));
      result()["breakpoint"] = b.number;
      user_stop = true;
      break;
    }
    if (user_stop) break;
    if (!hit.empty()) continue;
    if (!p.has_breakpoint(pc)) break;  // something else
  }
  report_stop(r, true);
}

// --- step / next by source line ------------------------------------------------------

namespace {

struct LineKey {
  std::string file;
  int line = 0;
  bool operator==(const LineKey&) const = default;
};

std::optional<LineKey> line_of(Session& s, GuestAddr pc) {
  auto src = s.symbols().source(pc);
  if (!src || src->line <= 0) return std::nullopt;
  return LineKey{src->file, src->line};
}

}  // namespace

// One `step` (over=false) or `next` (over=true) of thread `tid`. Returns the last
// stop; sets `user_stop` when the program stopped for another reason (a breakpoint, the end).
static RunResult line_step(Session& s, int tid, bool over, bool& user_stop, std::string& note) {
  Process& p = s.process();
  RunResult last;
  user_stop = false;
  Thread* t = p.thread_by_tid(tid);
  if (!t) {
    last.stop.kind = StopKind::guest_error;
    last.stop.detail = fmt::format("thread {} has exited", tid);
    user_stop = true;
    return last;
  }
  const RegFile start = p.regs_of(*t);
  const auto start_line = line_of(s, start[Reg::rip]);
  std::string why;
  const unwind::GoFuncTable* table = go_table(s.image(), &why);
  const unwind::GoFunc* start_func = table ? table->at(start[Reg::rip]) : nullptr;
  // The frame's CFA: once SP is at or above it, the function has returned.
  std::uint64_t cfa = 0;
  if (table && start_func)
    if (auto d0 = table->sp_delta(*start_func, start[Reg::rip])) cfa = start[Reg::rsp] + static_cast<std::uint64_t>(*d0) + 8;
  const std::uint64_t insn0 = p.insn_count();
  std::uint64_t singles = 0;

  // Runs a call that has just been entered to its return (SP back above `sp_before`).
  auto run_to_return = [&](GuestAddr ret, std::uint64_t sp_before) -> bool {
    Location l;
    l.addr = ret;
    for (;;) {
      std::vector<std::size_t> hit;
      last.stop = s.run_to({l}, hit);
      last.effects.reset();
      if (hit.empty()) return false;  // a user's breakpoint, or the program stopped
      Thread* th = p.thread_by_tid(tid);
      if (p.current().tid == tid && th && p.regs_of(*th)[Reg::rsp] > sp_before) return true;
      if (p.insn_count() - insn0 > kStepLimit) return false;
    }
  };

  for (;;) {
    t = p.thread_by_tid(tid);
    if (!t) {
      user_stop = true;
      return last;
    }
    const RegFile rf = p.regs_of(*t);
    std::uint8_t code[16] = {};
    p.memory().peek(rf[Reg::rip], code, sizeof code);
    const bool is_call = disassemble_one(code, sizeof code, rf[Reg::rip]).rfind("call", 0) == 0;
    last = s.step_instruction(tid, false);
    ++singles;
    if (last.stop.kind != StopKind::insn_reached) {
      user_stop = true;
      return last;
    }
    t = p.thread_by_tid(tid);
    if (!t) {
      user_stop = true;
      return last;
    }
    RegFile now = p.regs_of(*t);
    if (is_call && now[Reg::rsp] < rf[Reg::rsp]) {
      const std::uint32_t len = insn_length(code, sizeof code, rf[Reg::rip]);
      const GuestAddr ret = rf[Reg::rip] + (len ? len : 5);
      // next steps over every call; step enters it unless it has no line information.
      if (over || !line_of(s, now[Reg::rip])) {
        if (!run_to_return(ret, now[Reg::rsp])) {
          if (p.insn_count() - insn0 > kStepLimit) break;
          user_stop = true;
          return last;
        }
        t = p.thread_by_tid(tid);
        if (!t) {
          user_stop = true;
          return last;
        }
        now = p.regs_of(*t);
      } else {
        return last;  // step: into the callee
      }
    }
    const GuestAddr pc = now[Reg::rip];
    if (cfa && now[Reg::rsp] >= cfa) {
      note = "(returned from " + (start_func ? start_func->name : std::string("the function")) + ")";
      return last;  // the function returned
    }
    const auto here = line_of(s, pc);
    if (here && (!start_line || !(*here == *start_line))) return last;
    if (here && table && start_func && table->at(pc) != start_func) return last;  // a jump into another function
    if (p.insn_count() - insn0 > kStepLimit || singles > kSingleStepLimit) break;
  }
  note = fmt::format("(gave up after {} instructions, {} of them single-stepped, without reaching another line)",
                     p.insn_count() - insn0, singles);
  return last;
}

void Debugger::cmd_step(const Args& a) {
  if (!guest_alive("stepping")) return;
  const bool over = a.command == "next";
  long long n = 1;
  if (!a.rest.empty() && (!parse_number(a.rest, n) || n <= 0))
    return error(fmt::format("{} takes a positive count, not \"{}\"", a.command, a.rest));
  sync_breakpoints();
  RunResult last;
  bool stopped_other = false;
  for (long long i = 0; i < n; ++i) {
    std::string note;
    last = line_step(s_, selected_tid_, over, stopped_other, note);
    sync_breakpoints();
    const bool gave_up = note.rfind("(gave up", 0) == 0;
    if (!note.empty() && (gave_up || stopped_other || i + 1 == n)) say(note + "\n");
    if (stopped_other || gave_up) break;
  }
  if (stopped_other && last.stop.kind == StopKind::breakpoint) {
    Process& p = s_.process();
    const GuestAddr pc = p.regs_of(p.current())[Reg::rip];
    for (auto& b : breakpoints_)
      if (b.type == DebugBreakpoint::Type::breakpoint && b.enabled && b.addr == pc) {
        ++b.hits;
        say(fmt::format("\n{} {}, ", b.temporary ? "Temporary breakpoint" : "Breakpoint", b.number));
        result()["breakpoint"] = b.number;
        break;
      }
  }
  report_stop(last, true);
}

void Debugger::cmd_next(const Args& a) { cmd_step(a); }

}  // namespace gostep
