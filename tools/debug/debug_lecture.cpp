// For lectures at the prompt: `graph` (the picture of the scheduler's state now)
// and `tour` (the guided tour from here; the loop around the prompt runs it).
#include <fmt/format.h>

#include <sstream>

#include "debugger.h"
#include "tools/graph/cmd_graph.h"
#include "tools/graph/picture.h"
#include "tools/text_util.h"

namespace gostep {

void Debugger::cmd_tour(const Args& a) {
  if (!a.rest.empty()) return error("tour takes no arguments: it starts at the first milestone from here");
  if (opts_.json) return error("tour is for people: it cannot run with --json");
  tour_requested_ = true;
}

void Debugger::cmd_graph(const Args& a) {
  std::istringstream in(a.rest);
  std::string format = "text", file, extra;
  in >> format >> file >> extra;
  if (format.empty()) format = "text";
  if (format != "text" && format != "mermaid" && format != "dot" && format != "svg")
    return error(fmt::format("graph [text|mermaid|dot|svg] [FILE]: unknown format \"{}\"", format));
  if (!extra.empty()) return error("graph takes a format and a file name, nothing more");
  Session& s = t_.session();
  if (!s.model()) return error(s.model_error());
  if (t_.ended()) return error("The program is not being run.");
  const auto& tl = t_.milestone_timeline();
  const std::uint64_t insn = t_.next_insn();
  graph::Picture p = build_picture(t_.runtime_state(t_.selected_thread()), graph::startup_path(tl, insn),
                                   fmt::format("{} at insn {} ({})", s.image().path, insn,
                                               t_.symbols().describe_code(t_.pc(t_.selected_thread()))));
  if (last_picture_) mark_changes(p, *last_picture_);
  last_picture_ = p;
  std::string text;
  if (format == "text") text = to_text(p, width(), paint_);
  else if (format == "mermaid") text = to_mermaid(p);
  else if (format == "dot") text = to_dot(p);
  else {
    auto svg = to_svg(p);
    if (!svg) return error(svg.error());
    text = *svg;
  }
  result_["format"] = format;
  if (!file.empty()) {
    if (format == "text") text = to_text(p, 80, Palette(false));
    if (!write_file(file, text)) return error(fmt::format("cannot write {}", file));
    result_["file"] = file;
    return say(fmt::format("Wrote the picture to {}.\n", file));
  }
  result_["picture"] = text;
  say(text);
}

}  // namespace gostep
