// The pictures (tools/graph/): at every milestone of hello, Graphviz accepts the
// dot text and draws SVG with the expected nodes and edges, the mermaid text
// stays inside the flowchart subset gostep emits (checked by a small recognizer
// written here, independently of the emitter), and the terminal text fits 80
// columns. Also the milestone timeline the pictures and the tour rely on.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "engine/milestone_timeline.h"
#include "runtime_model/milestones.h"
#include "tools/graph/picture.h"
#include "tools/text_util.h"

namespace gostep::graph {
namespace {

const std::vector<engine::MilestoneTime>& hello_timeline() {
  static const std::vector<engine::MilestoneTime> tl = [] {
    ProcessOptions o;
    o.argv = {"./hello"};
    return engine::milestone_timeline(std::string(GOSTEP_FIXTURES_DIR) + "/go/hello", o);
  }();
  return tl;
}

const engine::MilestoneTime& at(const std::string& name) {
  for (const auto& m : hello_timeline())
    if (m.name == name) return m;
  throw std::runtime_error("no milestone " + name);
}

// The picture at a milestone, changes marked against the one before (as the tour does).
Picture picture_at(const std::string& name) {
  const auto& tl = hello_timeline();
  for (std::size_t i = 0; i < tl.size(); ++i) {
    if (tl[i].name != name) continue;
    Picture p = build_picture(*tl[i].state, startup_path(tl, *tl[i].insn), "hello at milestone:" + name);
    if (i > 0) mark_changes(p, build_picture(*tl[i - 1].state, startup_path(tl, *tl[i - 1].insn), ""));
    return p;
  }
  throw std::runtime_error("no milestone " + name);
}

bool has_edge(const Picture& p, const std::string& from, const std::string& to, const std::string& label) {
  for (const auto& e : p.edges)
    if (e.from == from && e.to == to && e.label == label) return true;
  return false;
}

std::string g_id(std::uint64_t addr) { return fmt::format("g_{:x}", addr); }

TEST(MilestoneTimeline, HelloReachesEveryMilestoneInOrder) {
  const auto& tl = hello_timeline();
  ASSERT_EQ(tl.size(), model::milestone_names().size());
  std::uint64_t last = 0;
  for (const auto& m : tl) {
    ASSERT_TRUE(m.insn) << m.name << ": " << m.why_missing;
    ASSERT_TRUE(m.state) << m.name;
    EXPECT_GE(*m.insn, last) << m.name << " comes before the milestone listed ahead of it";
    last = *m.insn;
    EXPECT_EQ(m.state->regs[Reg::rip], *m.pc) << m.name;
  }
  EXPECT_EQ(*tl.front().insn, 1u);  // entry: before the first instruction
  EXPECT_EQ(engine::milestone_at_or_after(tl, 2).value(), 1u);  // rt0_go comes after the entry's jumps
  EXPECT_EQ(engine::milestone_at_or_before(tl, *at("g0_m").insn + 1).value(), 7u);
}

TEST(MilestoneTimeline, StrippedHelloSaysWhatItLacks) {
  ProcessOptions o;
  o.argv = {"./hello-stripped"};
  const auto tl = engine::milestone_timeline(std::string(GOSTEP_FIXTURES_DIR) + "/go/hello-stripped", o);
  ASSERT_FALSE(tl.empty());
  EXPECT_TRUE(tl.front().insn);  // the entry point needs no symbol
  std::size_t missing = 0;
  for (const auto& m : tl) {
    EXPECT_FALSE(m.state) << "no DWARF, no state";
    if (!m.insn) {
      ++missing;
      EXPECT_FALSE(m.why_missing.empty()) << m.name;
    }
  }
  EXPECT_GT(missing, 0u);
}

TEST(Picture, FollowsTheChaptersSteps) {
  const Picture entry = picture_at("entry");
  EXPECT_EQ(entry.node("tls")->facts.back(), "fs_base 0x0");
  for (const auto& e : entry.edges) EXPECT_NE(e.from, "tls");
  EXPECT_TRUE(entry.path.front().current);

  const Picture in_tls = picture_at("g0_in_tls");
  EXPECT_TRUE(has_edge(in_tls, "tls", "g0", "%fs:-8"));
  EXPECT_TRUE(in_tls.node("g0")->current);

  const Picture bound = picture_at("g0_m");
  EXPECT_TRUE(has_edge(bound, "g0", "m0", "m"));
  EXPECT_TRUE(has_edge(bound, "m0", "g0", "g0"));
  for (const auto& e : bound.edges) {
    if (e.from == "g0" && e.to == "m0") {
      EXPECT_TRUE(e.changed) << "g0.m is what g0_m's store wrote";
    }
  }

  const Picture ps = picture_at("schedinit_return");
  EXPECT_TRUE(has_edge(ps, "m0", "p0", "p"));
  EXPECT_TRUE(has_edge(ps, "sched", "p1", "pidle"));
  EXPECT_TRUE(ps.node("p1")->idle);
  EXPECT_TRUE(ps.node("p0")->changed);

  const auto& st = *at("newproc_return").state;
  const Picture np = picture_at("newproc_return");
  ASSERT_EQ(st.allgs.size(), 1u);
  const std::string main_g = g_id(st.allgs[0].addr);
  EXPECT_TRUE(has_edge(np, "p0", main_g, "runnext"));
  EXPECT_EQ(np.node(main_g)->name, "g1");
  EXPECT_EQ(np.node(main_g)->facts[1], "_Grunnable");

  // execute's first store empties runnext: the arrow is gone, and p0 is marked for it.
  const Picture ex = picture_at("execute");
  EXPECT_FALSE(has_edge(ex, "p0", main_g, "runnext"));
  EXPECT_TRUE(ex.node("p0")->changed) << "a vanished arrow marks the object it left";
  EXPECT_FALSE(ex.node("p1")->changed);

  const Picture rm = picture_at("runtime_main");
  EXPECT_TRUE(has_edge(rm, "tls", main_g, "%fs:-8"));
  EXPECT_TRUE(has_edge(rm, "m0", main_g, "curg"));
  EXPECT_EQ(rm.node(main_g)->facts[1], "_Grunning");
  EXPECT_TRUE(rm.node(main_g)->current);
  EXPECT_FALSE(rm.node("g0")->current);
}

TEST(Picture, TextFitsEightyColumns) {
  for (const auto& name : model::milestone_names()) {
    const Picture p = picture_at(name);
    for (std::size_t width : {40u, 80u, 100u, 200u}) {
      const std::string text = to_text(p, width, Palette(true));
      std::istringstream in(text);
      std::string line;
      while (std::getline(in, line)) {
        // A single token wider than the line may stand alone.
        if (strip_ansi(line).find(' ', strip_ansi(line).find_first_not_of(' ')) == std::string::npos) continue;
        EXPECT_LE(columns(line), std::min<std::size_t>(width, 80)) << name << " at " << width << ": " << line;
      }
    }
    // The current milestone is marked, in words as well as colour.
    EXPECT_NE(to_text(p, 80, Palette(false)).find("[" + name + "]"), std::string::npos) << name;
  }
}

// ---- Graphviz

std::string svg_title(std::string s) {
  std::string out;
  for (char c : s) {
    if (c == '-') out += "&#45;";
    else if (c == '>') out += "&gt;";
    else if (c == '%') out += "%";
    else out += c;
  }
  return out;
}

TEST(PictureDot, GraphvizAcceptsItAtEveryMilestoneAndDrawsEveryNodeAndEdge) {
  for (const auto& name : model::milestone_names()) {
    const Picture p = picture_at(name);
    auto svg = to_svg(p);
    ASSERT_TRUE(svg) << name << ": " << svg.error() << "\n" << to_dot(p);
    EXPECT_EQ(svg->rfind("<?xml", 0), 0u) << name;
    EXPECT_NE(svg->find("</svg>"), std::string::npos) << name;
    // Graphviz writes each node as <g id="nodeN" class="node"><title>ID</title> and
    // each edge as <g class="edge"><title>FROM&#45;&gt;TO</title>.
    std::set<std::string> nodes, edges;
    const std::regex group(R"re(<g id="[a-z]+[0-9]+" class="(node|edge)">\s*<title>([^<]*)</title>)re");
    for (std::sregex_iterator it(svg->begin(), svg->end(), group), end; it != end; ++it)
      ((*it)[1] == "node" ? nodes : edges).insert((*it)[2]);
    for (const auto& n : p.nodes) EXPECT_TRUE(nodes.count(n.id)) << name << ": no node " << n.id;
    for (const auto& s : p.path) EXPECT_TRUE(nodes.count("s_" + s.name)) << name << ": no path step " << s.name;
    for (const auto& e : p.edges)
      EXPECT_TRUE(edges.count(svg_title(e.from + "->" + e.to))) << name << ": no edge " << e.from << "->" << e.to;
    EXPECT_EQ(edges.size(), [&] {
      std::set<std::string> want;
      for (const auto& e : p.edges) want.insert(e.from + "->" + e.to);
      return want.size() + p.path.size() - 1;
    }()) << name;
    // The current milestone is filled, changed objects outlined in red.
    EXPECT_NE(svg->find("#fff3b0"), std::string::npos) << name;
  }
  const std::string svg = *to_svg(picture_at("newproc_return"));
  EXPECT_NE(svg.find(">runnext</text>"), std::string::npos);
  EXPECT_NE(svg.find(">_Grunnable</text>"), std::string::npos);
  EXPECT_NE(svg.find("#c62828"), std::string::npos) << "newproc_return changes things: something is red";
}

TEST(PictureDot, BadDotIsRefusedWithAMessage) {
  auto r = dot_to_svg("digraph { a -> ; }");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().find("Graphviz"), std::string::npos);
  EXPECT_TRUE(dot_to_svg("digraph { a -> b; }"));  // and the library still works after an error
}

// ---- mermaid: the subset gostep emits, recognized line by line.

class MermaidSubset {
 public:
  // An empty string when every line is in the subset, else the first problem.
  std::string check(const std::string& text) {
    std::istringstream in(text);
    std::string line;
    int n = 0;
    while (std::getline(in, line)) {
      ++n;
      const std::string why = check_line(line, n);
      if (!why.empty()) return fmt::format("line {}: {}: {}", n, why, line);
    }
    if (!open_.empty()) return "a subgraph is not closed";
    if (n == 0) return "empty";
    return "";
  }
  std::size_t links() const { return links_; }

 private:
  static constexpr const char* kId = R"([A-Za-z_][A-Za-z0-9_]*)";
  // Inside "...": no raw quote; '#' only as an entity code (#quot; #35; #lt; #gt;).
  static constexpr const char* kText = R"("(?:[^"#]|#(?:quot|lt|gt|35);)*")";

  bool id_ok(const std::string& id) const {
    static const std::set<std::string> reserved = {"end", "graph", "subgraph", "flowchart", "style", "class",
                                                   "classDef", "linkStyle", "click", "direction"};
    return !reserved.count(id) && id[0] != 'o' && id[0] != 'x';
  }

  std::string check_line(const std::string& raw, int n) {
    std::smatch m;
    if (n == 1) return raw == "flowchart LR" ? "" : "the first line must be 'flowchart LR'";
    const std::string line = std::regex_replace(raw, std::regex("^ +"), "");
    if (line.rfind("%%", 0) == 0) return line.find('{') == std::string::npos ? "" : "a directive in a comment";
    if (std::regex_match(line, m, std::regex(std::string("subgraph (") + kId + ")\\[" + kText + "\\]"))) {
      if (!id_ok(m[1])) return "a reserved id";
      open_.push_back(m[1]);
      return "";
    }
    if (line == "end") {
      if (open_.empty()) return "end without subgraph";
      open_.pop_back();
      return "";
    }
    if (std::regex_match(line, std::regex("direction (TB|TD|BT|LR|RL)"))) return open_.empty() ? "direction outside a subgraph" : "";
    if (std::regex_match(line, m, std::regex(std::string("(") + kId + ")\\[" + kText + "\\]"))) {
      if (!id_ok(m[1])) return "a reserved id";
      if (!nodes_.insert(m[1]).second) return "a node declared twice";
      return "";
    }
    if (std::regex_match(line, m, std::regex(std::string("(") + kId + ") -->(?:\\|" + kText + "\\|)? (" + kId + ")"))) {
      if (!nodes_.count(m[1]) || !nodes_.count(m[2])) return "an arrow between undeclared nodes";
      ++links_;
      return "";
    }
    if (std::regex_match(line, m, std::regex(std::string("classDef (") + kId + ") [a-z-]+:[#A-Za-z0-9. ]+(,[a-z-]+:[#A-Za-z0-9. ]+)*"))) {
      classes_.insert(m[1]);
      return "";
    }
    if (std::regex_match(line, m, std::regex(std::string("class (") + kId + "(?:," + kId + ")*) (" + kId + ")"))) {
      if (!classes_.count(m[2])) return "a class used before its classDef";
      std::stringstream ids(m[1]);
      for (std::string id; std::getline(ids, id, ',');)
        if (!nodes_.count(id)) return "class on an undeclared node " + id;
      return "";
    }
    if (std::regex_match(line, m, std::regex("linkStyle ([0-9]+(?:,[0-9]+)*) [a-z-]+:[#A-Za-z0-9. ]+(,[a-z-]+:[#A-Za-z0-9. ]+)*"))) {
      std::stringstream nums(m[1]);
      for (std::string k; std::getline(nums, k, ',');)
        if (std::stoul(k) >= links_) return "linkStyle of an arrow that does not exist";
      return "";
    }
    return "not in the subset";
  }

  std::vector<std::string> open_;
  std::set<std::string> nodes_, classes_;
  std::size_t links_ = 0;
};

TEST(PictureMermaid, EveryLineIsInTheFlowchartSubset) {
  for (const auto& name : model::milestone_names()) {
    const Picture p = picture_at(name);
    const std::string text = to_mermaid(p);
    MermaidSubset checker;
    EXPECT_EQ(checker.check(text), "") << name << "\n" << text;
    EXPECT_EQ(checker.links(), p.edges.size() + p.path.size() - 1) << name;
  }
  // The recognizer itself refuses what is outside the subset.
  EXPECT_NE(MermaidSubset().check("flowchart LR\n  a[\"x\"] --> b\n"), "");
  EXPECT_NE(MermaidSubset().check("flowchart LR\n  a[\"say \"hi\"\"]\n"), "");
  EXPECT_NE(MermaidSubset().check("flowchart LR\n  subgraph s[\"x\"]\n"), "");
  EXPECT_NE(MermaidSubset().check("graph TD\n"), "");
  EXPECT_EQ(MermaidSubset().check("flowchart LR\n  a[\"x#quot;y\"]\n  b[\"z\"]\n  a -->|\"m\"| b\n"), "");
}

}  // namespace
}  // namespace gostep::graph
