// The picture as a mermaid flowchart, the form the chapter's own figures take.
// Only a small subset of the grammar is emitted (tests/unit/graph_test.cpp checks
// every line against it): `flowchart LR`, `%%` comments, `subgraph ID["..."]` /
// `direction TB` / `end`, nodes `ID["..."]`, arrows `ID --> ID` and
// `ID -->|"..."| ID`, `classDef`, `class` and `linkStyle`.
#include <fmt/format.h>

#include "picture.h"

namespace gostep::graph {
namespace {

// Text inside "...": mermaid's entity codes for the characters its parser treats specially.
std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"': out += "#quot;"; break;
      case '#': out += "#35;"; break;
      case '<': out += "#lt;"; break;
      case '>': out += "#gt;"; break;
      case '\n': out += "<br/>"; break;
      default: out += c;
    }
  }
  return out + "\"";
}

std::string label(const Node& n) {
  std::string s = n.name;
  for (const auto& f : n.facts) s += "\n" + f;
  if (n.idle) s += "\nidle";
  return s;
}

std::string join(const std::vector<std::string>& v, const char* sep) {
  std::string s;
  for (std::size_t i = 0; i < v.size(); ++i) s += (i ? sep : "") + v[i];
  return s;
}

}  // namespace

std::string to_mermaid(const Picture& p) {
  std::string out = "flowchart LR\n";
  if (!p.title.empty()) out += "  %% " + p.title + "\n";
  std::size_t link = 0;  // linkStyle counts every arrow in the order they are written
  std::vector<std::string> changed_links;
  std::vector<std::string> current_steps, changed_nodes, current_nodes, idle_nodes;
  if (!p.path.empty()) {
    out += "  subgraph startup[\"start-up path\"]\n    direction TB\n";
    for (const auto& s : p.path) {
      out += fmt::format("    s_{}[{}]\n", s.name, quoted(s.found ? s.name : s.name + " (not found)"));
      if (s.current) current_steps.push_back("s_" + s.name);
    }
    for (std::size_t i = 1; i < p.path.size(); ++i, ++link)
      out += fmt::format("    s_{} --> s_{}\n", p.path[i - 1].name, p.path[i].name);
    out += "  end\n";
  }
  for (const auto& n : p.nodes) {
    out += fmt::format("  {}[{}]\n", n.id, quoted(label(n)));
    if (n.changed) changed_nodes.push_back(n.id);
    if (n.current) current_nodes.push_back(n.id);
    if (n.idle) idle_nodes.push_back(n.id);
  }
  for (const auto& e : p.edges) {
    out += fmt::format("  {} -->|{}| {}\n", e.from, quoted(e.label), e.to);
    if (e.changed) changed_links.push_back(std::to_string(link));
    ++link;
  }
  // Meaning, not decoration: red = changed since the last picture, yellow = the
  // current milestone and the g that TLS names, dashed = idle.
  out += "  classDef changed stroke:#c62828,stroke-width:3px\n";
  out += "  classDef current fill:#fff3b0,stroke:#333333\n";
  out += "  classDef idle stroke-dasharray:5 5\n";
  current_nodes.insert(current_nodes.end(), current_steps.begin(), current_steps.end());
  if (!current_nodes.empty()) out += "  class " + join(current_nodes, ",") + " current\n";
  if (!idle_nodes.empty()) out += "  class " + join(idle_nodes, ",") + " idle\n";
  if (!changed_nodes.empty()) out += "  class " + join(changed_nodes, ",") + " changed\n";
  if (!changed_links.empty()) out += "  linkStyle " + join(changed_links, ",") + " stroke:#c62828,stroke-width:3px\n";
  return out;
}

}  // namespace gostep::graph
