#include "cmd_dump.h"

#include <fmt/format.h>

#include <cstdio>
#include <optional>
#include <unistd.h>

#include "color.h"
#include "engine/state_json.h"
#include "runtime_model/name_match.h"
#include "session/session.h"
#include "state_text.h"
#include "stop_report.h"
#include "text_util.h"

namespace gostep {

void DumpCommand::attach(CLI::App& cmd) {
  add_run_options(cmd, opts_);
  cmd.add_option("--at", at_,
                 "Where to stop (repeatable): SYMBOL, SYMBOL+OFF, 0xADDR, FILE:LINE, insn:N or "
                 "milestone:NAME (entry, rt0_go, g0_stack, settls_return, tls_checked, g0_in_tls, m0_g0, "
                 "g0_m, schedinit_return, newproc_return, mstart, schedule, execute, gogo, runtime_main, "
                 "main_main)")
      ->required()
      ->type_name("LOC");
  cmd.add_flag("--json", json_, "One gostep.dump/1 JSON object per stop (JSON Lines) instead of tables");
}

int DumpCommand::execute() {
  ProcessOptions po = to_process_options(opts_);
  // The dump owns stdout: the guest's own output goes to stderr.
  po.stdout_fd = 2;
  Session s(opts_.prog, po);
  if (!s.version_warning().empty()) fmt::print(stderr, "gostep: warning: {}\n", s.version_warning());
  if (!s.model()) {
    fmt::print(stderr, "gostep: {}\n", s.model_error());
    return 126;
  }
  std::vector<Location> targets;
  for (const auto& loc : at_) {
    auto r = s.resolve(loc);
    if (!r) {
      fmt::print(stderr, "gostep: --at: {}\n", r.error());  // the error names the LOC (clipped)
      return 125;
    }
    targets.push_back(*r);
  }
  std::vector<bool> done(targets.size(), false);
  std::size_t left = targets.size();
  bool first = true;
  // For people: the width of the terminal (or COLUMNS, or 100), and the values that
  // changed since the previous stop painted when colour is on.
  const std::size_t width = output_width(1);
  Highlight hl{Palette(want_color(opts_.color, 1)), {}};
  std::optional<model::RuntimeState> previous;
  while (left > 0) {
    std::vector<Location> pending;
    std::vector<std::size_t> index;
    for (std::size_t i = 0; i < targets.size(); ++i)
      if (!done[i]) {
        pending.push_back(targets[i]);
        index.push_back(i);
      }
    std::vector<std::size_t> hit;
    const StopReason r = s.run_to(pending, hit);
    if (hit.empty()) {
      std::fflush(stdout);
      const std::string report = stop_report(engine::end_of(s.process(), r));
      if (!report.empty() && r.kind != StopKind::exited) fmt::print(stderr, "{}", report);
      std::string never;
      for (std::size_t i = 0; i < targets.size(); ++i)
        if (!done[i]) never += (never.empty() ? "" : ", ") + targets[i].text;
      const std::string how = r.kind == StopKind::exited ? fmt::format("the program exited with status {}", r.exit_status)
                                                         : "the program stopped";
      fmt::print(stderr, "gostep: {} was never reached ({} first)\n", never, how);
      return r.kind == StopKind::exited ? 1 : exit_status_for(r);
    }
    const StopInfo stop = stop_info(s);
    const model::RuntimeState st = s.capture();
    hl.changed.clear();
    if (previous)
      for (const auto& c : model::RuntimeModel::diff(*previous, st)) hl.changed.insert(c.path);
    const bool abi0 = abi0_code(s.symbols(), stop.pc);
    for (std::size_t h : hit) {
      const std::size_t i = index[h];
      done[i] = true;
      --left;
      if (json_) {
        fmt::print("{}\n", dump_json(stop, st).dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace));
      } else {
        fmt::print("{}{}", first ? "" : "\n", fit_width(state_text(stop, targets[i].text, st, abi0, &hl), width));
        first = false;
      }
    }
    previous = st;
    std::fflush(stdout);
  }
  return 0;
}

}  // namespace gostep
