// `gostep dump PROG --at LOC [--at LOC]... [--json] [options] [-- ARGS...]`:
// run to the first time each LOC is reached and print the runtime's state
// there, in execution order.
#pragma once

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

#include "run_options.h"

namespace gostep {

class DumpCommand {
 public:
  void attach(CLI::App& cmd);
  int execute();

 private:
  RunOptions opts_;
  std::vector<std::string> at_;
  bool json_ = false;
};

}  // namespace gostep
