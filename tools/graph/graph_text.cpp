// The picture for a terminal: the start-up path on a few lines, then one line per
// object with the arrows that leave it ("m -> m0" reads "its field m points at
// m0"), in at most 80 columns.
#include <fmt/format.h>

#include <algorithm>

#include "picture.h"
#include "tools/text_util.h"

namespace gostep::graph {
namespace {

int order(const Node& n) {
  switch (n.kind) {
    case Kind::tls: return 0;
    case Kind::m: return 2;
    case Kind::p: return 3;
    case Kind::g: return n.id == "g0" ? 1 : 4;
    case Kind::more: return 5;
    case Kind::sched: return 6;
  }
  return 7;
}

std::string path_text(const Picture& p, std::size_t width, const Palette& paint, const Words& words) {
  std::string out, line = words.path;
  bool any_missing = false;
  for (std::size_t i = 0; i < p.path.size(); ++i) {
    const Step& s = p.path[i];
    std::string word = s.current ? "[" + s.name + "]" : s.name;
    if (!s.found) {
      word += "?";
      any_missing = true;
    }
    const std::string piece = (i ? " > " : " ") + word;
    if (columns(line) + columns(piece) > width) {
      out += line + "\n";
      line = "   >" + piece.substr(i ? 2 : 0);
    } else {
      line += piece;
    }
    // Painted after measuring: colour takes no columns.
    if (s.current) line.replace(line.size() - word.size(), word.size(), paint(Paint::current, word));
  }
  out += line + "\n";
  if (any_missing)
    for (const auto& l : wrap_lines("   " + words.missing, width, WrapMode::prose, 4)) out += l + "\n";
  return out;
}

}  // namespace

std::string to_text(const Picture& p, std::size_t width, const Palette& paint, const Words& words) {
  width = width == 0 ? 80 : std::min<std::size_t>(width, 80);
  std::string out;
  if (!p.path.empty()) out += path_text(p, width, paint, words);
  std::vector<const Node*> nodes;
  for (const auto& n : p.nodes) nodes.push_back(&n);
  std::stable_sort(nodes.begin(), nodes.end(), [](const Node* a, const Node* b) { return order(*a) < order(*b); });
  std::size_t name_w = 0;
  for (const Node* n : nodes)
    if (n->kind != Kind::more) name_w = std::max(name_w, columns(n->name));
  name_w = std::min<std::size_t>(name_w, 16);
  bool any_changed = false;
  for (const Node* n : nodes) {
    bool changed = n->changed;
    std::string arrows;
    for (const auto& e : p.edges) {
      if (e.from != n->id) continue;
      const Node* to = p.node(e.to);
      const std::string text = fmt::format("{} -> {}", e.label, to ? to->name : e.to);
      arrows += (arrows.empty() ? "" : ", ") + (e.changed ? paint(Paint::changed, text) : text);
      changed |= e.changed;
    }
    any_changed |= changed;
    std::string facts;
    for (const auto& f : n->facts) facts += "  " + f;
    if (n->idle) facts += "  " + words.idle;
    if (n->current) facts += "  " + words.current;
    std::string name = fmt::format("{:<{}}", n->name, name_w);
    if (n->changed) {
      name = paint(Paint::changed, name);
      facts = paint(Paint::changed, facts);
    }
    std::string line = fmt::format("{} {}{}", changed ? "*" : " ", name, facts);
    if (!arrows.empty()) line += "   " + arrows;
    for (const auto& l : wrap_lines(line, width, WrapMode::fields, name_w + 4)) out += l + "\n";
  }
  // The notes are sentences: wrapped like prose, so that they fit a narrow terminal too.
  auto note = [&](const std::string& text) {
    for (const auto& l : wrap_lines("  " + text, width, WrapMode::prose, 4)) out += l + "\n";
  };
  if (p.no_goroutines) note(words.no_goroutines);
  if (p.no_ps) note(words.no_ps);
  if (any_changed) note(words.changed);
  return out;
}

}  // namespace gostep::graph
