// backtrace, frame, up, down, info frame: the engine's unwind (Go's own
// metadata: pcsp, TOPFRAME/SPWRITE, the g0 -> goroutine switch) as gdb shows it.
#include <fmt/format.h>

#include <algorithm>

#include "debugger.h"
#include "engine/json.h"

namespace gostep {
namespace {

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

std::string function_name(engine::Target& t, const model::Frame& f) {
  if (!f.function.empty()) return f.function;
  if (auto sym = t.symbols().function_at(f.lookup_pc)) return sym->name;
  if (f.func) return f.func->name;
  return "??";
}

std::optional<model::SourceLine> frame_source(engine::Target& t, const model::Frame& f) {
  return f.function.empty() ? t.symbols().source(f.lookup_pc) : f.source;
}

// "#1  0x43c6e5 in runtime.newproc.func1 at proc.go:4098"; an inlined call has no
// address of its own (gdb): "#0  main.add at main.go:29 [inlined]"
std::string frame_text(engine::Target& t, const model::Frame& f, std::size_t level) {
  std::string s = f.inlined ? fmt::format("#{:<3}{}", level, function_name(t, f))
                            : fmt::format("#{:<3}{:#x} in {}", level, f.pc, function_name(t, f));
  if (auto src = frame_source(t, f)) s += " at " + src->short_form();
  if (f.inlined) s += " [inlined]";
  return s;
}

}  // namespace

void Debugger::cmd_backtrace(const Args& a) {
  if (t_.ended()) return error("No stack.");
  long long limit = 0;
  std::string arg = a.rest;
  if (arg == "full" || arg.rfind("full ", 0) == 0 || arg.rfind("-full", 0) == 0)  // no locals here; the frames anyway
    arg = arg.substr(arg.find_first_of(' ') == std::string::npos ? arg.size() : arg.find_first_of(' ') + 1);
  if (!arg.empty() && (!parse_number(arg, limit) || limit == 0))
    return error(fmt::format("backtrace takes a count of frames (N innermost, -N outermost), not \"{}\"", a.rest));
  const engine::Backtrace bt = t_.selected_backtrace();
  if (!bt.unavailable.empty()) return error(bt.unavailable);
  const auto& frames = bt.frames;
  if (static_cast<std::size_t>(t_.selected_frame()) >= frames.size()) t_.select_frame(0);
  std::size_t first = 0, last = frames.size();
  if (limit > 0 && static_cast<std::size_t>(limit) < frames.size()) last = static_cast<std::size_t>(limit);
  if (limit < 0 && static_cast<std::size_t>(-limit) < frames.size()) first = frames.size() - static_cast<std::size_t>(-limit);
  std::string out;
  nlohmann::ordered_json js = nlohmann::ordered_json::array();
  for (std::size_t i = first; i < last; ++i) {
    const bool sel = static_cast<int>(i) == t_.selected_frame();
    out += frame_text(t_, frames[i], i);
    if (sel && frames.size() > 1) out += "   <= selected";
    out += '\n';
    if (!frames[i].note.empty()) out += fmt::format("    [{}]\n", frames[i].note);
    js.push_back(engine::frame_json(frames[i], i, sel, t_));
  }
  if (last < frames.size() || bt.truncated) out += "(More stack frames follow...)\n";
  if (!bt.stopped.empty() && last == frames.size()) out += fmt::format("Backtrace stopped: {}\n", bt.stopped);
  result_["frames"] = js;
  result_["complete"] = bt.stopped.empty() && !bt.truncated;
  if (!bt.stopped.empty()) result_["stopped"] = bt.stopped;
  say(out);
}

// The selected frame, gdb style: "#N ..." and the source line's text.
static std::string frame_with_source(engine::Target& t, SourceText& sources, const model::Frame& f, std::size_t level) {
  std::string s = frame_text(t, f, level) + "\n";
  if (auto src = frame_source(t, f))
    if (auto text = sources.line(src->full_path, src->line)) s += fmt::format("{}\t{}\n", src->line, *text);
  return s;
}

void Debugger::cmd_frame(const Args& a) {
  if (t_.ended()) return error("No stack.");
  const engine::Backtrace bt = t_.selected_backtrace();
  if (!bt.unavailable.empty()) return error(bt.unavailable);
  const auto& frames = bt.frames;
  if (static_cast<std::size_t>(t_.selected_frame()) >= frames.size()) t_.select_frame(0);
  if (!a.rest.empty()) {
    std::string arg = a.rest;
    if (arg.rfind("level ", 0) == 0) arg = arg.substr(6);
    long long n = 0;
    if (!parse_number(arg, n) || n < 0) return error(fmt::format("frame takes a frame number (see \"backtrace\"), not \"{}\"", a.rest));
    if (static_cast<std::size_t>(n) >= frames.size()) return error(fmt::format("No frame at level {}.", a.rest));
    t_.select_frame(static_cast<int>(n));
  }
  const auto level = static_cast<std::size_t>(t_.selected_frame());
  say(frame_with_source(t_, sources_, frames[level], level));
  result_["frame"] = engine::frame_json(frames[level], level, true, t_);
}

void Debugger::cmd_up(const Args& a) {
  if (t_.ended()) return error("No stack.");
  long long n = 1;
  if (!a.rest.empty() && (!parse_number(a.rest, n) || n < 0))
    return error(fmt::format("{} takes a number of frames, not \"{}\"", a.command, a.rest));
  if (a.command == "down") n = -n;
  const engine::Backtrace bt = t_.selected_backtrace();
  if (!bt.unavailable.empty()) return error(bt.unavailable);
  const auto& frames = bt.frames;
  if (static_cast<std::size_t>(t_.selected_frame()) >= frames.size()) t_.select_frame(0);
  const long long top = static_cast<long long>(frames.size()) - 1;
  const long long sel = t_.selected_frame();
  if (n > 0 && sel == top)
    return error(bt.stopped.empty() ? "Initial frame selected; you cannot go up."
                                    : "Initial frame selected; you cannot go up (backtrace stopped: " + bt.stopped + ").");
  if (n < 0 && sel == 0) return error("Bottom (innermost) frame selected; you cannot go down.");
  t_.select_frame(static_cast<int>(std::clamp(sel + n, 0LL, top)));
  const auto level = static_cast<std::size_t>(t_.selected_frame());
  say(frame_with_source(t_, sources_, frames[level], level));
  result_["frame"] = engine::frame_json(frames[level], level, true, t_);
}

void Debugger::cmd_down(const Args& a) { cmd_up(a); }

void Debugger::cmd_info_frame(const Args& a) {
  if (t_.ended()) return error("No stack.");
  const engine::Backtrace bt = t_.selected_backtrace();
  if (!bt.unavailable.empty()) return error(bt.unavailable);
  const auto& frames = bt.frames;
  if (static_cast<std::size_t>(t_.selected_frame()) >= frames.size()) t_.select_frame(0);
  std::size_t level = static_cast<std::size_t>(t_.selected_frame());
  if (!a.rest.empty()) {
    long long n = 0;
    if (!parse_number(a.rest, n) || n < 0) return error(fmt::format("info frame takes a frame number, not \"{}\"", a.rest));
    if (static_cast<std::size_t>(n) >= frames.size()) return error(fmt::format("No frame at level {}.", a.rest));
    level = static_cast<std::size_t>(n);
  }
  const model::Frame& f = frames[level];
  std::string s = f.cfa ? fmt::format("Stack level {}, frame at {:#x}:\n", level, f.cfa)
                        : fmt::format("Stack level {}, outermost frame:\n", level);
  const auto src = frame_source(t_, f);
  s += fmt::format(" rip = {:#x} in {}{}", f.pc, function_name(t_, f), src ? " (" + src->short_form() + ")" : std::string());
  if (f.ret_addr) s += fmt::format("; saved rip = {:#x}", f.ret_addr);
  s += '\n';
  if (f.outermost) s += " Outermost frame: nothing called it (TOPFRAME in Go's metadata)\n";
  if (level + 1 < frames.size() && frames[level + 1].cfa) s += fmt::format(" called by frame at {:#x}\n", frames[level + 1].cfa);
  else if (level + 1 < frames.size()) s += fmt::format(" called by frame {}\n", level + 1);
  if (level > 0) s += fmt::format(" caller of frame at {:#x}\n", frames[level - 1].cfa);
  if (f.func) {
    s += fmt::format(" function {} at {:#x}, {}{}\n", f.func->name, f.func->entry,
                     f.func->args >= 0 ? fmt::format("{} bytes of arguments", f.func->args) : std::string("arguments unknown"),
                     f.func->flag & model::kFuncFlagAsm ? " (assembly)" : "");
    s += fmt::format(" sp = {:#x}; frame size here (pcsp spdelta) = {:#x} bytes\n", f.sp, f.frame_size);
  }
  if (f.ret_slot) {
    s += fmt::format(" return address {:#x} stored at {:#x}", f.ret_addr, f.ret_slot);
    if (level + 1 < frames.size()) s += fmt::format(" -> {}", t_.symbols().describe_code(f.ret_addr));
    s += fmt::format("\n caller's sp = {:#x}\n", f.cfa);
  }
  if (!f.note.empty()) s += fmt::format(" note: {}\n", f.note);
  if (level + 1 == frames.size() && !bt.stopped.empty()) s += fmt::format(" unwinding stops here: {}\n", bt.stopped);
  say(s);
  auto j = engine::frame_json(f, level, static_cast<int>(level) == t_.selected_frame(), t_);
  if (f.ret_slot) j["return_address_at"] = fmt::format("{:#x}", f.ret_slot);
  if (level + 1 < frames.size()) j["caller"] = function_name(t_, frames[level + 1]);
  result_["frame"] = j;
}

}  // namespace gostep
