// The picture in Graphviz's dot language, and as SVG drawn by Graphviz's own
// library in this process (libgvc from Debian's libgraphviz-dev; no `dot`
// program is run). Only the dot layout and the core renderers are loaded, as
// built-in plugins: no plugin configuration file is read, no GTK or Pango is
// opened, and text is measured with Graphviz's built-in font metrics, so the SVG
// is the same on every machine.
#include <fmt/format.h>
#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>
#include <graphviz/gvplugin.h>

#include <memory>
#include <string>

#include "picture.h"

extern "C" {
extern gvplugin_library_t gvplugin_dot_layout_LTX_library;
extern gvplugin_library_t gvplugin_core_LTX_library;
}

namespace gostep::graph {
namespace {

std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "\"";
}

constexpr const char* kChanged = "#c62828";
constexpr const char* kCurrent = "#fff3b0";

std::string node_attrs(const Node& n) {
  std::string label = n.name;
  for (const auto& f : n.facts) label += "\n" + f;
  std::string style = n.kind == Kind::more ? "dotted" : "rounded";
  if (n.idle) style += ",dashed";
  std::string a = fmt::format("label={}", quoted(label));
  if (n.kind == Kind::tls) a += ", shape=hexagon";
  if (n.kind == Kind::sched) a += ", shape=folder";
  if (n.current) {
    style += ",filled";
    a += fmt::format(", fillcolor=\"{}\"", kCurrent);
  }
  if (n.changed) a += fmt::format(", color=\"{}\", penwidth=2.5", kChanged);
  return a + fmt::format(", style=\"{}\"", style);
}

// cgraph reports errors through a callback: keep the last one for the message.
std::string* g_last_error = nullptr;
int keep_error(char* msg) {
  if (g_last_error && msg) *g_last_error += msg;
  return 0;
}

}  // namespace

std::string to_dot(const Picture& p) {
  std::string out = "digraph gostep {\n";
  std::string caption = p.title;
  caption += "\nthe column of milestones: the start-up path   red: changed since the last picture   "
             "yellow: current milestone, running g   dashed: idle";
  out += fmt::format("  graph [rankdir=LR, labelloc=t, fontname=\"Helvetica\", fontsize=12, nodesep=0.25, "
                     "ranksep=0.5, label={}];\n", quoted(caption));
  out += "  node [shape=box, fontname=\"Helvetica\", fontsize=10];\n";
  out += "  edge [fontname=\"Helvetica\", fontsize=9];\n";
  if (!p.path.empty()) {
    // The start-up path in one column (rank=same under rankdir=LR stacks it). Not a
    // cluster: Graphviz 2.42's dot leaks the virtual nodes it builds for clusters
    // (build_skeleton), which the ASan build reports (docs/TRAPS.md).
    out += "  subgraph startup {\n    rank=same;\n";
    for (const auto& s : p.path) {
      std::string a = fmt::format("label={}", quoted(s.found ? s.name : s.name + "\n(not found)"));
      if (s.current) a += fmt::format(", style=\"rounded,filled,bold\", fillcolor=\"{}\"", kCurrent);
      else if (s.passed) a += ", style=\"rounded\"";
      else a += ", style=\"rounded\", fontcolor=\"#666666\", color=\"#999999\"";
      out += fmt::format("    s_{} [{}];\n", s.name, a);
    }
    for (std::size_t i = 1; i < p.path.size(); ++i)
      out += fmt::format("    s_{} -> s_{};\n", p.path[i - 1].name, p.path[i].name);
    out += "  }\n";
  }
  for (const auto& n : p.nodes) out += fmt::format("  {} [{}];\n", n.id, node_attrs(n));
  for (const auto& e : p.edges) {
    std::string a = fmt::format("label={}", quoted(e.label));
    if (e.changed) a += fmt::format(", color=\"{}\", fontcolor=\"{}\", penwidth=2.5", kChanged, kChanged);
    out += fmt::format("  {} -> {} [{}];\n", e.from, e.to, a);
  }
  return out + "}\n";
}

model::Result<std::string> dot_to_svg(const std::string& dot) {
  static const lt_symlist_t builtins[] = {
      {"gvplugin_dot_layout_LTX_library", &gvplugin_dot_layout_LTX_library},
      {"gvplugin_core_LTX_library", &gvplugin_core_LTX_library},
      {nullptr, nullptr},
  };
  std::string errors;
  g_last_error = &errors;
  agseterrf(keep_error);
  agseterr(AGERR);  // errors only, not warnings
  struct Cleanup {
    GVC_t* gvc = nullptr;
    Agraph_t* g = nullptr;
    bool laid_out = false;
    ~Cleanup() {
      if (gvc && g && laid_out) gvFreeLayout(gvc, g);
      if (g) agclose(g);
      if (gvc) gvFreeContext(gvc);
      g_last_error = nullptr;
    }
  } c;
  c.gvc = gvContextPlugins(builtins, 0);
  if (!c.gvc) return model::Error{"Graphviz could not start (gvContextPlugins failed)"};
  c.g = agmemread(dot.c_str());
  if (!c.g) return model::Error{"Graphviz refused the dot text: " + (errors.empty() ? "syntax error" : errors)};
  if (gvLayout(c.gvc, c.g, "dot") != 0)
    return model::Error{"Graphviz could not lay the graph out: " + (errors.empty() ? "layout failed" : errors)};
  c.laid_out = true;
  char* data = nullptr;
  unsigned int len = 0;
  if (gvRenderData(c.gvc, c.g, "svg", &data, &len) != 0 || !data)
    return model::Error{"Graphviz could not render SVG: " + (errors.empty() ? "render failed" : errors)};
  std::string svg(data, len);
  gvFreeRenderData(data);
  return svg;
}

model::Result<std::string> to_svg(const Picture& p) { return dot_to_svg(to_dot(p)); }

}  // namespace gostep::graph
