#include "cmd_debug.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "debugger.h"
#include "line_reader.h"
#include "prompt_loop.h"
#include "tools/tour/tour.h"
#include "engine/target.h"
#include "tools/color.h"
#include "tools/text_util.h"

namespace gostep {

std::string extract_command_sources(std::vector<std::string>& args, std::vector<std::pair<char, std::string>>& out) {
  std::vector<std::string> kept;
  bool in_debug = false, after_dashdash = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (!in_debug || after_dashdash) {
      if (i == 0 && a == "debug") in_debug = true;  // the subcommand, not a guest argument
      kept.push_back(a);
      continue;
    }
    if (a == "--") {
      after_dashdash = true;
      kept.push_back(a);
      continue;
    }
    auto take = [&](char kind, const std::string& name) -> std::string {
      if (i + 1 >= args.size()) return fmt::format("{} needs an argument", name);
      out.emplace_back(kind, args[++i]);
      return "";
    };
    std::string err;
    if (a == "-ex" || a == "--eval-command" || a == "-eval-command") err = take('e', a);
    else if (a == "-x" || a == "--command" || a == "-command") err = take('x', a);
    else if (a.rfind("--eval-command=", 0) == 0) out.emplace_back('e', a.substr(15));
    else if (a.rfind("--command=", 0) == 0) out.emplace_back('x', a.substr(10));
    else kept.push_back(a);
    if (!err.empty()) return err;
  }
  args = kept;
  return "";
}

void DebugCommand::attach(CLI::App& cmd) {
  add_run_options(cmd, opts_);
  cmd.add_flag("--batch", batch_, "Exit after the -ex and -x commands (do not read commands from stdin)");
  cmd.add_flag("--json", json_, "One JSON object per command result (stops use the gostep.dump/1 contract)");
  cmd.add_option("--stdin", stdin_file_, "File the guest reads as its stdin (default: empty)")->check(CLI::ExistingFile);
  // Documented here for --help; main() has already taken them out of argv.
  cmd.add_option("--eval-command,--ex", ignored_, "Run gdb-style command CMD (-ex CMD; repeatable, in order)")->type_name("CMD");
  cmd.add_option("--command,-x", ignored_, "Run the commands in FILE (-x FILE; '#' lines are echoed)")->type_name("FILE");
}

tour::TourOptions DebugCommand::tour_options(bool interactive_input) const {
  tour::TourOptions o;
  o.lang = tour::lang_from_env();
  o.interactive = interactive_input && isatty(1);
  o.paint = Palette(want_color(opts_.color, 1));
  o.prog = opts_.prog;
  return o;
}

int DebugCommand::execute() {
  install_sigint_handler(nullptr);  // before anything is loaded: from here on Ctrl-C never kills gostep
  ProcessOptions po = to_process_options(opts_);
  po.track_writes = true;
  po.stdin_fd = -1;
  if (!stdin_file_.empty()) {
    po.stdin_fd = ::open(stdin_file_.c_str(), O_RDONLY | O_CLOEXEC);
    if (po.stdin_fd < 0) {
      fmt::print(stderr, "gostep: --stdin {}: cannot open it\n", stdin_file_);
      return 125;
    }
  }
  // Scripts are checked before anything runs: a typo in a path is a usage error.
  for (const auto& [kind, arg] : sources) {
    if (kind != 'x') continue;
    std::error_code ec;
    if (std::filesystem::is_directory(arg, ec)) {
      fmt::print(stderr, "gostep: -x {}: is a directory; give the path of a command script\n", arg);
      return 125;
    }
    if (!std::filesystem::exists(arg, ec)) {
      fmt::print(stderr, "gostep: -x {}: no such file; give the path of a command script\n", arg);
      return 125;
    }
  }
  // The guest's own output goes to stderr so that gostep's (and its JSON) stays clean.
  po.stdout_fd = 2;
  engine::Target target(opts_.prog, po);
  DebugOptions dopts;
  dopts.json = json_;
  dopts.color = !json_ && want_color(opts_.color, 1);
  Debugger dbg(target, dopts);
  install_sigint_handler(&target);
  if (!json_) fmt::print("{}", fit_width(dbg.banner(), dbg.width()));
  std::fflush(stdout);

  // --batch: 1 when any command failed, else 0 (the guest's own exit status is in
  // its stop report and the JSON). An error in a -x script ends that script, as in gdb.
  bool any_failed = false;
  bool quit = false;
  for (const auto& [kind, arg] : sources) {
    if (quit) break;
    if (kind == 'e') {
      quit = !dbg.execute(arg);
      any_failed |= dbg.last_failed();
      if (!quit && dbg.take_tour_request()) quit = !run_tour_from_prompt(dbg, tour_options(false));
      continue;
    }
    std::ifstream in(arg);
    if (!in) {
      fmt::print(stderr, "gostep: -x {}: cannot read it\n", arg);
      any_failed = true;
      continue;
    }
    std::string line;
    while (!quit && std::getline(in, line)) {
      quit = !dbg.execute(line);
      if (dbg.last_failed()) {
        any_failed = true;
        break;
      }
      if (!quit && dbg.take_tour_request()) quit = !run_tour_from_prompt(dbg, tour_options(false));
    }
  }
  if (batch_ || quit) {
    install_sigint_handler(nullptr);
    return any_failed ? 1 : 0;
  }

  LineReader reader("(gostep) ", [&dbg](const std::string& line) { return dbg.complete(line); });
  // `tour` at the prompt runs the tour from here; leaving it comes back to the prompt.
  while (run_prompt(dbg, reader) == PromptExit::tour)
    if (!run_tour_from_prompt(dbg, tour_options(reader.interactive()))) break;
  install_sigint_handler(nullptr);
  return 0;
}

}  // namespace gostep
