// `gostep graph PROG --at LOC [--format text|mermaid|dot|svg] [-o FILE]` and
// `gostep graph PROG --all-milestones -o DIR`: pictures of g0, m0, TLS, the Ps and
// the run queues, for a terminal or for slides.
#pragma once

#include <CLI/CLI.hpp>

#include <string>

#include "tools/run_options.h"

namespace gostep {

class GraphCommand {
 public:
  void attach(CLI::App& cmd);
  int execute();

 private:
  int all_milestones();
  RunOptions opts_;
  std::string at_;
  std::string format_;
  std::string out_;
  bool all_ = false;
};

// Writes `text` to `path` (one line on stderr and false when it cannot).
bool write_file(const std::string& path, const std::string& text);

}  // namespace gostep
