// `gostep debug PROG [-ex CMD]... [-x SCRIPT]... [--batch] [--json]
// [--stdin FILE] [options] [-- ARGS...]`: the gdb-like prompt.
#pragma once

#include <CLI/CLI.hpp>

#include <string>
#include <utility>
#include <vector>

#include "tools/run_options.h"
#include "tools/tour/tour.h"

namespace gostep {

class DebugCommand {
 public:
  void attach(CLI::App& cmd);
  int execute();
  // -ex CMD and -x FILE in the order given (gdb runs them in that order).
  // main() takes them out of argv before CLI11 sees it: CLI11 has no "-ex".
  std::vector<std::pair<char, std::string>> sources;

 private:
  tour::TourOptions tour_options(bool interactive_input) const;
  RunOptions opts_;
  bool batch_ = false;
  bool json_ = false;
  std::string stdin_file_;
  std::vector<std::string> ignored_;
};

// Moves "-ex CMD", "--eval-command[=]CMD", "-x FILE" and "--command[=]FILE"
// after the "debug" subcommand out of argv (up to "--"). Returns an error
// message for a missing argument.
std::string extract_command_sources(std::vector<std::string>& args,
                                    std::vector<std::pair<char, std::string>>& out);

}  // namespace gostep
