// One page of the tour: heading, explanation, source and disassembly around the
// PC, the runtime fields changed since the previous milestone, and the picture.
#include <fmt/format.h>

#include <algorithm>

#include "engine/target.h"
#include "tools/debug/debugger.h"
#include "tools/debug/examine.h"
#include "tools/debug/source_text.h"
#include "tools/graph/picture.h"
#include "tools/text_util.h"
#include "tour.h"

namespace gostep::tour {
namespace {

constexpr std::size_t kContextLines = 2;  // source lines on each side of the PC's
constexpr std::size_t kInsnsBefore = 3, kInsnsAfter = 3;
constexpr std::size_t kChangesShown = 12;

std::string fill1(std::string_view text, const char* key, const std::string& value) {
  std::string s(text);
  const std::string k = std::string("{") + key + "}";
  if (const auto at = s.find(k); at != std::string::npos) s = s.substr(0, at) + value + s.substr(at + k.size());
  return s;
}

}  // namespace

std::string Tour::heading(std::size_t k) {
  const auto& m = t_.milestone_timeline()[order_[k]];
  return o_.paint(Paint::heading, fmt::format("== milestone:{} ({}/{}) ==", m.name, k + 1, order_.size())) + "\n";
}

std::string Tour::page(std::size_t k) {
  const auto& tl = t_.milestone_timeline();
  const std::size_t i = order_[k];
  const std::size_t width = dbg_.width() ? dbg_.width() : kColumns;
  std::string s = heading(k);
  if (const Explanation* x = mini_ ? mini_explanation(tl[i].name, o_.lang) : explanation(tl[i].name, o_.lang)) {
    s += o_.paint(Paint::heading, std::string(x->title)) + "\n";
    for (const auto& l : wrap_lines(x->body, width, WrapMode::prose, 0)) s += l + "\n";
  } else {
    s += tl[i].description + "\n";
  }
  const GuestAddr pc = t_.pc(t_.current_thread());
  s += "\n" + source_part(pc) + "\n" + disassembly_part(pc) + "\n" + changes_part(i) + "\n" + picture_part(i);
  return s;
}

std::string Tour::source_part(std::uint64_t pc) {
  const auto src = t_.symbols().source(pc);
  std::string s = say(Label::source);
  if (!src) return s + " " + say(Label::no_source) + "\n";
  s += " " + src->short_form() + "\n";
  // GOROOT's path for the runtime; a trimmed one ("gostep.example/mini/rt0/demo_amd64.s")
  // through the engine's source locator, as `list` finds it.
  static SourceText text;
  const auto path = text.readable(src->full_path) ? std::optional(src->full_path) : t_.sources().find(src->file);
  if (!path) return s + "   " + fill1(say(Label::source_missing), "path", src->file) + "\n";
  const int first = std::max(1, src->line - static_cast<int>(kContextLines));
  const std::size_t width = dbg_.width() ? dbg_.width() : kColumns;
  for (const auto& [n, line] : text.lines(*path, first, src->line + static_cast<int>(kContextLines))) {
    std::string row = clip(fmt::format("{} {:>5}  {}", n == src->line ? "=>" : "  ", n, expand_tabs(line)), width);
    row.erase(row.find_last_not_of(' ') + 1);  // an empty source line leaves no trailing blanks
    s += (n == src->line ? o_.paint(Paint::current, row) : row) + "\n";
  }
  return s;
}

std::string Tour::disassembly_part(std::uint64_t pc) {
  std::string s = say(Label::disassembly) + " " + t_.symbols().describe_code(pc) + "\n";
  const auto fn = t_.symbols().function_at(pc);
  // x86 cannot be decoded backwards: decode from the function's start (or from the PC).
  const GuestAddr start = fn && pc - fn->entry < 64 * 1024 ? fn->entry : pc;
  static const Disassembler dis(Disassembler::Syntax::att);
  struct Row {
    GuestAddr addr;
    std::string text;
  };
  auto decode = [&](GuestAddr a, Row& row) -> std::size_t {
    std::uint8_t code[16];
    const std::size_t got = read_code(t_, a, code);
    std::string text;
    const std::size_t len = got ? decode_for_listing(dis, code, got, a, text) : 0;
    row = {a, len ? with_target(t_, text) : "(bad)"};
    return len;
  };
  std::vector<Row> rows;
  Row row;
  GuestAddr a = start;
  for (std::size_t n = 0; a < pc && n < 20000; ++n) {
    const std::size_t len = decode(a, row);
    if (!len) break;
    rows.push_back(row);
    if (rows.size() > kInsnsBefore) rows.erase(rows.begin());
    a += len;
  }
  if (a != pc) rows.clear();  // the PC is not on an instruction boundary from the start
  const std::size_t at_pc = rows.size();
  a = pc;
  for (std::size_t n = 0; n <= kInsnsAfter; ++n) {
    const std::size_t len = decode(a, row);
    rows.push_back(row);
    if (!len) break;
    a += len;
  }
  const std::size_t width = dbg_.width() ? dbg_.width() : kColumns;
  // The instructions line up in one column, whatever the length of their offsets.
  std::vector<std::string> where;
  std::size_t where_w = 0;
  for (const auto& r : rows) {
    const std::string off = fn && r.addr >= fn->entry ? fmt::format(" <+{}>", r.addr - fn->entry) : "";
    where.push_back(fmt::format("{:#x}{}:", r.addr, off));
    where_w = std::max(where_w, where.back().size());
  }
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const std::string line =
        clip(fmt::format("{} {:<{}} {}", r == at_pc ? "=>" : "  ", where[r], where_w, rows[r].text), width);
    s += (r == at_pc ? o_.paint(Paint::current, line) : line) + "\n";
  }
  return s;
}

std::optional<std::size_t> Tour::previous_reached(std::size_t i) const {
  const auto& tl = t_.milestone_timeline();
  std::optional<std::size_t> best;
  for (std::size_t k = 0; k < tl.size(); ++k)
    if (k != i && tl[k].insn && tl[k].state && *tl[k].insn < *tl[i].insn && (!best || *tl[k].insn >= *tl[*best].insn))
      best = k;
  return best;
}

std::string Tour::changes_part(std::size_t i) {
  const auto& tl = t_.milestone_timeline();
  if (!tl[i].state) return fill1(say(Label::no_state), "why", t_.session().model_error()) + "\n";
  const auto prev = previous_reached(i);
  if (!prev) return say(Label::first) + "\n";
  std::string s = fill1(say(Label::changed_since), "prev", tl[*prev].name) + "\n";
  const auto changes = model::RuntimeModel::diff(*tl[*prev].state, *tl[i].state);
  if (changes.empty()) return s + "   " + say(Label::nothing_changed) + "\n";
  for (std::size_t c = 0; c < changes.size() && c < kChangesShown; ++c)
    s += fmt::format("   {}: {} -> {}\n", changes[c].path, changes[c].before, o_.paint(Paint::changed, changes[c].after));
  if (changes.size() > kChangesShown)
    s += "   " + fill1(say(Label::and_more), "n", std::to_string(changes.size() - kChangesShown)) + "\n";
  return s;
}

std::string Tour::picture_part(std::size_t i) {
  const auto& tl = t_.milestone_timeline();
  if (!tl[i].state) return "";
  graph::Picture p = graph::build_picture(*tl[i].state, graph::startup_path(tl, *tl[i].insn), "");
  if (const auto prev = previous_reached(i))
    graph::mark_changes(p, graph::build_picture(*tl[*prev].state, graph::startup_path(tl, *tl[*prev].insn), ""));
  graph::Words w;
  w.path = say(Label::pic_path);
  w.missing = say(Label::pic_missing);
  w.idle = say(Label::pic_idle);
  w.current = say(Label::pic_current);
  w.changed = say(Label::pic_changed);
  w.no_goroutines = say(Label::pic_no_goroutines);
  w.no_ps = say(Label::pic_no_ps);
  return say(Label::picture) + "\n" + graph::to_text(p, dbg_.width(), o_.paint, w);
}

}  // namespace gostep::tour
