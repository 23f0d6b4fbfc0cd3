#include "cmd_graph.h"

#include <fmt/format.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "engine/target.h"
#include "picture.h"
#include "tools/color.h"
#include "tools/text_util.h"

namespace gostep {
namespace {

std::string render(const graph::Picture& p, const std::string& format, std::size_t width, const Palette& paint,
                   std::string& error) {
  if (format == "text") return to_text(p, width, paint);
  if (format == "mermaid") return to_mermaid(p);
  if (format == "dot") return to_dot(p);
  auto svg = to_svg(p);
  if (!svg) error = svg.error();
  return svg ? *svg : "";
}

// The picture at milestone `i` of the timeline, changes marked against the
// milestone reached before it.
graph::Picture milestone_picture(const std::vector<engine::MilestoneTime>& tl, std::size_t i, const std::string& prog) {
  const auto& m = tl[i];
  graph::Picture p = build_picture(*m.state, graph::startup_path(tl, *m.insn),
                                   fmt::format("{} at milestone:{} (insn {})", prog, m.name, *m.insn));
  for (std::size_t k = i; k-- > 0;)
    if (tl[k].state && tl[k].insn && *tl[k].insn < *m.insn) {
      mark_changes(p, build_picture(*tl[k].state, graph::startup_path(tl, *tl[k].insn), ""));
      break;
    }
  return p;
}

}  // namespace

bool write_file(const std::string& path, const std::string& text) {
  std::ofstream f(path, std::ios::binary);
  if (f) f << text;
  if (!f) {
    fmt::print(stderr, "gostep: cannot write {}; check the folder exists and is writable\n", path);
    return false;
  }
  return true;
}

void GraphCommand::attach(CLI::App& cmd) {
  add_run_options(cmd, opts_);
  cmd.add_option("--at", at_, "Where to draw the state: SYMBOL, SYMBOL+OFF, 0xADDR, FILE:LINE, insn:N, milestone:NAME")
      ->type_name("LOC");
  cmd.add_option("--format", format_, "text (for a terminal, the default with --at), mermaid, dot or svg "
                                      "(the default with --all-milestones)")
      ->check(CLI::IsMember({"text", "mermaid", "dot", "svg"}));
  cmd.add_option("-o,--output", out_, "Write to FILE instead of stdout (with --all-milestones: a folder)")
      ->type_name("FILE");
  cmd.add_flag("--all-milestones", all_, "One picture per milestone, written to the folder given by -o (for slides)");
}

int GraphCommand::execute() {
  if (all_ == !at_.empty()) {
    fmt::print(stderr, "gostep: graph needs either --at LOC or --all-milestones -o DIR; see 'gostep graph --help'\n");
    return 125;
  }
  if (all_) return all_milestones();
  if (format_.empty()) format_ = "text";
  ProcessOptions po = to_process_options(opts_);
  po.stdout_fd = 2;  // the guest's output stays out of the picture
  engine::Target t(opts_.prog, po);
  Session& s = t.session();
  if (!s.version_warning().empty()) fmt::print(stderr, "gostep: warning: {}\n", s.version_warning());
  if (!s.model()) {
    fmt::print(stderr, "gostep: {}\n", s.model_error());
    return 126;
  }
  if (auto l = s.resolve(at_); !l) {
    fmt::print(stderr, "gostep: --at {}: {}\n", at_, l.error());
    return 125;
  }
  // Already there when LOC is the entry point (nothing has run).
  const bool at_entry = s.resolve(at_)->kind == Location::Kind::address && s.resolve(at_)->addr == t.pc(t.current_thread());
  if (!at_entry) {
    engine::RunCommand cmd;
    cmd.kind = engine::RunKind::until;
    cmd.loc = at_;
    auto ev = t.resume(cmd);
    if (!ev) {
      fmt::print(stderr, "gostep: --at {}: {}\n", at_, ev.error());
      return 125;
    }
    if (!ev->has(engine::StopCause::location_reached)) {
      fmt::print(stderr, "gostep: {} was never reached (the program {} first)\n", at_,
                 ev->ended() ? "ended" : "stopped");
      return ev->ended() ? 1 : 124;
    }
  }
  const auto& tl = t.milestone_timeline();
  const std::uint64_t insn = t.next_insn();
  graph::Picture p = build_picture(t.runtime_state(t.current_thread()), graph::startup_path(tl, insn),
                                   fmt::format("{} at {} (insn {})", opts_.prog, at_, insn));
  // What changed since the last milestone before this moment.
  for (std::size_t k = tl.size(); k-- > 0;)
    if (tl[k].state && tl[k].insn && *tl[k].insn < insn) {
      mark_changes(p, build_picture(*tl[k].state, graph::startup_path(tl, *tl[k].insn), ""));
      break;
    }
  const bool to_file = !out_.empty();
  std::string error;
  const std::string text = render(p, format_, to_file ? 80 : output_width(1),
                                  Palette(!to_file && want_color(opts_.color, 1)), error);
  if (!error.empty()) {
    fmt::print(stderr, "gostep: {}\n", error);
    return 70;
  }
  if (to_file) return write_file(out_, text) ? 0 : 1;
  fmt::print("{}", text);
  return 0;
}

int GraphCommand::all_milestones() {
  if (out_.empty()) {
    fmt::print(stderr, "gostep: --all-milestones needs -o DIR, the folder for one picture per milestone\n");
    return 125;
  }
  if (format_.empty()) format_ = "svg";
  std::error_code ec;
  std::filesystem::create_directories(out_, ec);
  if (ec || !std::filesystem::is_directory(out_)) {
    fmt::print(stderr, "gostep: -o {}: cannot make that folder ({})\n", out_, ec ? ec.message() : "not a folder");
    return 125;
  }
  ProcessOptions po = to_process_options(opts_);
  // Loaded once here for its checks (model, version); the timeline runs a copy.
  Session s(opts_.prog, po);
  if (!s.version_warning().empty()) fmt::print(stderr, "gostep: warning: {}\n", s.version_warning());
  if (!s.model()) {
    fmt::print(stderr, "gostep: {}\n", s.model_error());
    return 126;
  }
  const auto tl = engine::milestone_timeline(opts_.prog, po);
  const std::string ext = format_ == "text" ? "txt" : format_ == "mermaid" ? "mmd" : format_;
  int written = 0;
  for (std::size_t i = 0; i < tl.size(); ++i) {
    if (!tl[i].state || !tl[i].insn) {
      fmt::print(stderr, "gostep: milestone:{} has no picture: {}\n", tl[i].name,
                 tl[i].why_missing.empty() ? "not reached" : tl[i].why_missing);
      continue;
    }
    std::string error;
    const std::string text = render(milestone_picture(tl, i, opts_.prog), format_, 80, Palette(false), error);
    if (!error.empty()) {
      fmt::print(stderr, "gostep: milestone:{}: {}\n", tl[i].name, error);
      return 70;
    }
    const std::string file = (std::filesystem::path(out_) / fmt::format("{:02}-{}.{}", i + 1, tl[i].name, ext)).string();
    if (!write_file(file, text)) return 1;
    fmt::print("{}\n", file);
    ++written;
  }
  return written ? 0 : 1;
}

}  // namespace gostep
