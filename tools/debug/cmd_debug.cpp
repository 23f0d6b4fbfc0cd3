#include "cmd_debug.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>

#include "debugger.h"
#include "line_reader.h"
#include "session/session.h"

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

int DebugCommand::execute() {
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
  // The guest's own output goes to stderr so that gostep's (and its JSON) stays clean.
  po.stdout_fd = 2;
  Session session(opts_.prog, po);
  DebugOptions dopts;
  dopts.json = json_;
  dopts.color = false;
  Debugger dbg(session, dopts);
  if (!json_) fmt::print("{}", dbg.banner());
  std::fflush(stdout);

  for (const auto& [kind, arg] : sources) {
    if (kind == 'e') {
      if (!dbg.execute(arg)) return dbg.exit_status();
      continue;
    }
    std::ifstream in(arg);
    if (!in) {
      fmt::print(stderr, "gostep: -x {}: no such file; give the path of a command script\n", arg);
      return 125;
    }
    std::string line;
    while (std::getline(in, line))
      if (!dbg.execute(line)) return dbg.exit_status();
  }
  if (batch_) return dbg.exit_status();

  LineReader reader("(gostep) ", [&dbg](const std::string& line) { return dbg.complete(line); });
  std::string last;
  while (auto line = reader.read()) {
    if (!reader.interactive() && !json_) {
      // Echo piped commands after a prompt, like a transcript.
      fmt::print("(gostep) {}\n", *line);
      std::fflush(stdout);
    }
    // As in gdb, an empty line at the prompt repeats a stepping or examining command.
    if (line->find_first_not_of(" \t") == std::string::npos) {
      if (last.empty()) continue;
      *line = last;
    } else {
      last = Debugger::repeatable(*line) ? *line : "";
    }
    if (!dbg.execute(*line)) break;
  }
  return dbg.exit_status();
}

}  // namespace gostep
