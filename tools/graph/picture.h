// The picture of the scheduler's state (`gostep graph`, `graph` at the prompt,
// the tour): TLS -> the current g; g0 <-> m0; each M -> its P and curg; each P's
// runnext and run queue -> goroutines with their status; the global run queue;
// idle Ps and Ms; and the start-up path with the current milestone marked. One
// model, several renderings (text for a terminal, mermaid, dot, svg).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/milestone_timeline.h"
#include "runtime_model/result.h"
#include "runtime_model/runtime_state.h"
#include "tools/color.h"

namespace gostep::graph {

enum class Kind { tls, g, m, p, sched, more };

struct Node {
  std::string id;                  // the same object keeps its id from picture to picture: "g0", "g1", "p0"
  Kind kind = Kind::g;
  std::string name;                // "g0", "g1", "m0", "p0", "TLS", "sched"
  std::vector<std::string> facts;  // "0x528760", "_Gidle", "runtime.main"
  bool changed = false;            // new, a fact differs, or an arrow it had is gone since the last picture
  bool current = false;            // the g the current thread runs (the one TLS names)
  bool idle = false;               // in sched.pidle or sched.midle
};

struct Edge {
  std::string from, to, label;
  bool changed = false;  // not in the last picture
};

// One step of the start-up path (entry -> rt0_go -> ... -> main.main).
struct Step {
  std::string name;      // the milestone: "settls_return"
  bool found = true;     // this binary has it
  bool passed = false;   // reached before the moment pictured
  bool current = false;  // the moment pictured is this milestone (or the last one passed)
};

struct Picture {
  std::string title;  // "./hello at milestone:settls_return (insn 45)"
  std::vector<Step> path;
  std::vector<Node> nodes;
  std::vector<Edge> edges;
  bool no_goroutines = false;  // allgs is empty: newproc has not run
  bool no_ps = false;          // allp is empty: schedinit has not run
  const Node* node(std::string_view id) const;
};

// The words of the text picture (the tour gives them in its language).
struct Words {
  std::string path = "start-up path:";
  std::string missing = "(? = not found in this binary)";
  std::string idle = "(idle)";
  std::string current = "(current g: TLS names it)";
  std::string changed = "(* new or changed since the last picture)";
  std::string no_goroutines = "(no goroutines yet: newproc makes the main goroutine)";
  std::string no_ps = "(no Ps yet: schedinit makes them in procresize)";
};

// The start-up path at instruction `insn` (the stop before it): the milestones
// reached before it are passed, the last one reached (at or before it) is current.
std::vector<Step> startup_path(const std::vector<engine::MilestoneTime>& timeline, std::uint64_t insn);

// The picture of `st`. At most kMaxGoroutines goroutines and kMaxQueue run queue
// entries per queue are drawn; the rest are counted in a "more" node.
inline constexpr std::size_t kMaxGoroutines = 12;
inline constexpr std::size_t kMaxQueue = 8;
Picture build_picture(const model::RuntimeState& st, std::vector<Step> path, std::string title);

// Marks what is new or different since `before` (the last picture shown).
void mark_changes(Picture& now, const Picture& before);

// Renderings.
// For a terminal: at most min(width, 80) columns; changes marked with "*" and,
// with colour on, painted; the current milestone in brackets.
std::string to_text(const Picture& p, std::size_t width, const Palette& paint, const Words& words = {});
// A mermaid flowchart (the subset tests/unit/graph_test.cpp checks).
std::string to_mermaid(const Picture& p);
// Graphviz's dot language.
std::string to_dot(const Picture& p);
// SVG drawn by Graphviz's library (libgvc, in this process), from to_dot.
model::Result<std::string> to_svg(const Picture& p);
// The same for any dot text (tests use it to check that Graphviz accepts it).
model::Result<std::string> dot_to_svg(const std::string& dot);

}  // namespace gostep::graph
