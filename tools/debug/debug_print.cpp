// print (with the value history $N) and display/undisplay: expressions
// evaluated by the engine, formatted Go-style (value_format.h).
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <sstream>

#include "debugger.h"
#include "engine/json.h"
#include "examine.h"
#include "runtime_model/name_match.h"
#include "tools/text_util.h"
#include "value_format.h"

namespace gostep {
namespace {

using json = nlohmann::ordered_json;

std::string hex(std::uint64_t v) { return fmt::format("{:#x}", v); }

bool all_digits(const std::string& s) {
  return !s.empty() && s.find_first_not_of("0123456789") == std::string::npos;
}

bool pointer_like(const engine::Value& v) { return v.kind == engine::ValueKind::pointer || v.address_like; }

// A display: "EXPR", "/x EXPR" (print's format) or "/3i EXPR" (x's).
struct DisplaySpec {
  std::string format;  // without the slash
  std::string expr;
  bool examine = false;
};

DisplaySpec parse_display(const std::string& spec) {
  DisplaySpec d;
  if (spec.empty() || spec[0] != '/') {
    d.expr = spec;
    return d;
  }
  const auto sp = spec.find_first_of(" \t");
  d.format = spec.substr(1, sp == std::string::npos ? std::string::npos : sp - 1);
  d.expr = sp == std::string::npos ? "" : trim(spec.substr(sp));
  // gdb: with i, s or a unit size, a display examines memory.
  d.examine = d.format.find_first_of("isbhwg") != std::string::npos || all_digits(d.format.substr(0, 1));
  return d;
}

// print's /FMT: one format letter.
model::Result<char> parse_print_format(const std::string& s) {
  if (s.empty()) return '\0';
  if (std::isdigit(static_cast<unsigned char>(s[0])))
    return model::Error{"Item count other than 1 is meaningless in \"print\" command."};
  char f = 0;
  for (char c : s) {
    if (c == 'b' || c == 'h' || c == 'w' || c == 'g')
      return model::Error{"Size letters are meaningless in \"print\" command."};
    if (!std::strchr("xduotacsz", c) || !c)
      return model::Error{fmt::format("Undefined output format \"{}\". Formats: x d u o t a c s z (print/x $rax)", c)};
    f = c;
  }
  return f;
}

}  // namespace

// An evaluation error as one line, with close names for an unknown symbol.
std::string Debugger::explain(const std::string& expr, const engine::EvalError& e) {
  if (e.kind != engine::EvalErrorKind::unknown_symbol || e.symbol.empty()) return e.message;
  (void)expr;
  const std::string sugg = close_matches(data_names(t_), e.symbol);
  if (sugg.empty()) return e.message;
  return fmt::format("No symbol \"{}\" in the runtime model. Did you mean {}?", model::clip_typed(e.symbol), sugg);
}

// One display after a stop: "N: EXPR = VALUE", "N: x/FMT EXPR" and x's lines, or
// "N: EXPR = <not available: why>"; `j` gets the same for --json.
std::string Debugger::render_display(int n, const std::string& spec, json& j) {
  const DisplaySpec d = parse_display(spec);
  j = {{"number", n}, {"expr", d.expr}, {"format", d.format}};
  const std::string head = d.examine         ? fmt::format("{}: x/{} {}", n, d.format, d.expr)
                           : d.format.empty() ? fmt::format("{}: {}", n, d.expr)
                                              : fmt::format("{}: /{} {}", n, d.format, d.expr);
  const auto v = t_.evaluate(d.expr);
  std::string why;
  if (!v) {
    why = explain(d.expr, v.error());
  } else if (d.examine) {
    const auto f = parse_xformat(d.format, 'x', 'w');
    if (!f) {
      why = f.error();
    } else {
      const bool aggregate = !v->scalar();
      const GuestAddr addr = aggregate && v->address ? *v->address : v->bits;
      const Examined r = examine(t_, att_syntax_, *f, addr, t_.pc(t_.selected_thread()));
      j["items"] = r.items;
      if (r.error.empty()) return head + "\n" + r.text;
      j["error"] = r.error;
      return head + "\n" + r.text + wrap(fmt::format("<not available: {}>", r.error));
    }
  } else {
    const auto f = parse_print_format(d.format);
    if (!f) {
      why = f.error();
    } else {
      const PeekMemory peek = [this](std::uint64_t a, void* out, std::uint64_t len) { return t_.read_memory(a, out, len); };
      const std::string shown = format_value(*v, *f, peek);
      std::string sym;
      if (((!*f || *f == 'x') && pointer_like(*v)) || *f == 'a') sym = symbolic(t_, v->bits);
      j["value"] = engine::value_json(*v);
      j["shown"] = shown;
      return wrap(fmt::format("{} = {}{}", head, shown, sym.empty() ? "" : " <" + sym + ">"));
    }
  }
  j["value"] = nullptr;
  j["error"] = why;
  return wrap(fmt::format("{} = <not available: {}>", head, why));
}

// ---------------------------------------------------------------- print

void Debugger::cmd_print(const Args& a) {
  const auto f = parse_print_format(a.count_suffix);
  if (!f) return error(f.error());
  std::string text = a.rest;
  auto& history = t_.history();
  if (text.empty()) {
    if (history.empty())
      return error("print needs an expression: $rax, $sp, g0.stack.lo, m0.tls[0], allp[0].runnext, &m0, *ADDR@LEN");
    text = "$";
  }
  const auto v = t_.evaluate(text);
  if (!v) return error(explain(text, v.error()));
  history.push_back(*v);
  history.back().reads.clear();
  const int n = static_cast<int>(history.size());
  const PeekMemory peek = [this](std::uint64_t addr, void* out, std::uint64_t len) { return t_.read_memory(addr, out, len); };
  const std::string shown = format_value(*v, *f, peek);
  std::string sym;
  if (((!*f || *f == 'x') && pointer_like(*v)) || *f == 'a') sym = symbolic(t_, v->bits);
  const std::string prefix =
      !*f && v->kind == engine::ValueKind::pointer && !v->type.empty() && v->children.empty() ? "(" + v->type + ") " : "";
  say(wrap(fmt::format("${} = {}{}{}", n, prefix, shown, sym.empty() ? "" : " <" + sym + ">")));
  result_["history"] = n;
  result_["value"] = engine::value_json(*v);
  result_["shown"] = shown;
  result_["type"] = v->type.empty() ? json(nullptr) : json(v->type);
  result_["address"] = v->address ? json(hex(*v->address)) : json(nullptr);
  result_["symbol"] = sym.empty() ? json(nullptr) : json(sym);
}

// ---------------------------------------------------------------- display

void Debugger::cmd_display(const Args& a) {
  if (a.rest.empty() && a.count_suffix.empty()) {  // also `info display`
    if (displays_.empty()) return say("There are no auto-display expressions now.\n");
    std::string s = "Auto-display expressions now in effect:\nNum Enb Expression\n";
    json list = json::array();
    for (const auto& [n, spec] : displays_) {
      const DisplaySpec d = parse_display(spec);
      const std::string shown = d.format.empty() ? d.expr : fmt::format("/{} {}", d.format, d.expr);
      s += fmt::format("{}:   y  {}\n", n, shown);
      list.push_back({{"number", n}, {"expr", d.expr}, {"format", d.format}});
    }
    say(s);
    result_["displays"] = list;
    return;
  }
  if (a.rest.empty()) return error("display needs an expression: display/i $pc, display g0.sched.sp");
  const std::string spec = a.count_suffix.empty() ? a.rest : "/" + a.count_suffix + " " + a.rest;
  const DisplaySpec d = parse_display(spec);
  if (d.examine) {
    const auto f = parse_xformat(d.format, 'x', 'w');
    if (!f) return error(f.error());
  } else {
    const auto f = parse_print_format(d.format);
    if (!f) return error(f.error());
  }
  const auto v = t_.evaluate(d.expr);
  if (!v && !v.error().transient()) return error(explain(d.expr, v.error()));
  displays_.emplace_back(next_display_++, spec);
  // Shown at once, as gdb does; then after every stop.
  json j;
  say(render_display(displays_.back().first, spec, j));
  result_["display"] = j;
}

void Debugger::cmd_undisplay(const Args& a) {
  std::istringstream in(a.rest);
  std::vector<int> nums;
  std::string w;
  while (in >> w) {
    if (!all_digits(w) || w.size() > 9) return error(fmt::format("Arguments must be display numbers, not \"{}\".", w));
    nums.push_back(std::stoi(w));
  }
  if (nums.empty()) {
    displays_.clear();
    return;
  }
  for (int n : nums) {
    auto it = std::find_if(displays_.begin(), displays_.end(), [n](const auto& d) { return d.first == n; });
    if (it == displays_.end()) {
      error(fmt::format("No display number {}.", n));
      continue;
    }
    displays_.erase(it);
  }
}

void Debugger::show_displays() {
  if (displays_.empty()) return;
  json list = json::array();
  for (const auto& [n, spec] : displays_) {
    json j;
    say(render_display(n, spec, j));
    list.push_back(j);
  }
  result_["displays"] = list;
}

}  // namespace gostep
