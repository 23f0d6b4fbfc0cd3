// info locals, info args, and goroutines as Delve shows them: info goroutines,
// goroutine N, and Delve's `goroutine N CMD` (act on goroutine N without
// changing the selection).
#include <fmt/format.h>

#include "debugger.h"
#include "engine/json.h"
#include "tools/text_util.h"
#include "value_format.h"

namespace gostep {
namespace {

using json = nlohmann::ordered_json;

std::string where(const model::Frame& f) {
  std::string s = f.source ? f.source->short_form() + " " : std::string();
  s += f.function;
  if (!f.inlined) s += fmt::format(" ({:#x})", f.pc);
  return s;
}

}  // namespace

void Debugger::cmd_info_locals(const Args& a) {
  const bool args = a.command == "args";
  if (t_.ended()) return error("No frame selected.");
  const auto vars = t_.variables();
  if (!vars) return error(vars.error());
  const PeekMemory peek = [this](std::uint64_t addr, void* out, std::uint64_t len) { return t_.read_memory(addr, out, len); };
  std::string s;
  json list = json::array();
  for (const auto& v : *vars) {
    if (v.is_arg != args) continue;
    json j{{"name", v.name}, {"type", v.type}, {"argument", v.is_arg}, {"result", v.is_result},
           {"in_registers", v.in_registers}};
    std::string shown;
    if (v.value) {
      shown = format_value(*v.value, 0, peek);
      j["value"] = engine::value_json(*v.value);
    } else {
      shown = v.value.error().message;
      j["value"] = nullptr;
      j["error"] = shown;
      if (v.value.error().kind == engine::EvalErrorKind::optimized_out) j["optimized_out"] = true;
    }
    j["shown"] = shown;
    s += wrap(fmt::format("{} = {}", v.name, shown));
    list.push_back(j);
  }
  if (list.empty()) s = args ? "No arguments.\n" : "No locals.\n";
  say(s);
  result_[args ? "args" : "locals"] = list;
}

void Debugger::cmd_info_goroutines(const Args&) {
  if (!t_.session().model()) return error(t_.session().model_error());
  const auto gs = t_.goroutines();
  if (gs.empty()) return say("No goroutines yet: newproc has not created the main goroutine.\n");
  const std::int64_t selected = t_.current_goroutine(gs).value_or(-1);
  std::string s;
  json list = json::array();
  for (const auto& g : gs) {
    std::string state = g.status_name;
    if (state.rfind("_G", 0) == 0) state = state.substr(2);
    if (!g.wait_reason.empty()) state += ": " + g.wait_reason;
    std::string loc = g.user ? "User: " + where(*g.user) : g.current ? "Runtime: " + where(*g.current) : "?";
    // Colour: the selected goroutine, and a status the last command changed.
    if (changed_.has(fmt::format("g(goid={}).status", g.goid))) state = paint_(Paint::changed, state);
    s += fmt::format("{} Goroutine {} - {} [{}]{}{}\n", g.goid == selected ? paint_(Paint::current, "*") : " ",
                     g.goid, loc, state,
                     g.thread ? fmt::format(" (thread {})", g.thread) : "", g.system ? " (system)" : "");
    std::string created = g.go_function.empty() ? "" : g.go_function;
    if (g.go_source) created += " at " + g.go_source->short_form();
    if (!created.empty()) s += fmt::format("      created by {}\n", created);
    json j{{"goid", g.goid},
           {"addr", fmt::format("{:#x}", g.addr)},
           {"status", g.status},
           {"status_name", g.status_name},
           {"wait_reason", g.wait_reason.empty() ? json(nullptr) : json(g.wait_reason)},
           {"thread", g.thread ? json(g.thread) : json(nullptr)},
           {"system", g.system},
           {"selected", g.goid == selected}};
    j["current"] = g.current ? engine::frame_json(*g.current, 0, false, t_) : json(nullptr);
    j["user"] = g.user ? engine::frame_json(*g.user, 0, false, t_) : json(nullptr);
    j["go"] = {{"function", g.go_function.empty() ? json(nullptr) : json(g.go_function)},
               {"source", g.go_source ? json(g.go_source->short_form()) : json(nullptr)}};
    j["start_function"] = g.start_function.empty() ? json(nullptr) : json(g.start_function);
    list.push_back(j);
  }
  say(s);
  result_["goroutines"] = list;
}

void Debugger::cmd_goroutine(const Args& a) {
  if (!t_.session().model()) return error(t_.session().model_error());
  if (a.rest.empty()) {
    const auto gs = t_.goroutines();
    const auto cur = t_.current_goroutine(gs);
    if (!cur) return say(fmt::format("[Thread {} runs no goroutine now]\n", t_.selected_thread()));
    if (t_.selected_goroutine()) return say(fmt::format("[Current goroutine is {}]\n", *cur));
    return say(fmt::format("[Current goroutine is {} (thread {})]\n", *cur, t_.selected_thread()));
  }
  const auto sp = a.rest.find_first_of(" \t");
  const std::string id = a.rest.substr(0, sp);
  std::uint64_t n = 0;
  if (!parse_uint(id, n) || n > (1ULL << 62)) return error(fmt::format("goroutine takes a goroutine id (see \"info goroutines\"), not \"{}\"", id));
  const auto goid = static_cast<std::int64_t>(n);
  if (sp == std::string::npos) {
    if (!t_.select_goroutine(goid)) return error(fmt::format("No goroutine with id {}; \"info goroutines\" lists them.", goid));
    const auto bt = t_.selected_backtrace();
    say(fmt::format("[Switching to goroutine {}]\n", goid));
    result_["goroutine"] = goid;
    if (!bt.frames.empty()) cmd_frame(Args{"frame", "", ""});
    return;
  }
  // Delve's `goroutine N CMD`: CMD sees goroutine N; the selection is left as it was.
  const std::string cmd = trim(a.rest.substr(sp));
  const auto saved_goid = t_.selected_goroutine();
  const int saved_frame = t_.selected_frame();
  if (!t_.select_goroutine(goid)) return error(fmt::format("No goroutine with id {}; \"info goroutines\" lists them.", goid));
  const std::string word = cmd.substr(0, cmd.find_first_of(" \t/"));
  std::string why;
  const Command* c = find_command(word, why);
  static const char* const allowed[] = {"backtrace", "info", "print", "frame", "up", "down", "list", "ptype", "whatis", "x"};
  bool ok = false;
  for (const char* w : allowed) ok |= c && c->name == w;
  if (!ok) {
    if (saved_goid) t_.select_goroutine(*saved_goid);
    else t_.clear_goroutine();
    t_.select_frame(saved_frame);
    return error(c ? fmt::format("\"goroutine N {}\" is not supported: use bt, info locals, info args, print, frame, list, ptype, x", c->name)
                   : why);
  }
  std::size_t end = cmd.find_first_of(" \t/");
  std::string suffix, rest;
  if (end != std::string::npos && cmd[end] == '/') {
    const std::size_t e2 = cmd.find_first_of(" \t", end);
    suffix = cmd.substr(end + 1, e2 == std::string::npos ? std::string::npos : e2 - end - 1);
    end = e2;
  }
  if (end != std::string::npos) rest = trim(cmd.substr(end));
  result_["goroutine"] = goid;
  (this->*(c->fn))(Args{c->name, rest, suffix});
  if (saved_goid) t_.select_goroutine(*saved_goid);
  else t_.clear_goroutine();
  t_.select_frame(saved_frame);
}

}  // namespace gostep
