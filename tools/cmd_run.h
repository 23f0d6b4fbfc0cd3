// `gostep run PROG [options] [-- ARGS...]`: run to exit with the guest's own
// stdin, stdout and stderr; exit with its status.
#pragma once

#include <CLI/CLI.hpp>

#include "run_options.h"

namespace gostep {

class RunCommand {
 public:
  void attach(CLI::App& cmd);
  int execute();

 private:
  RunOptions opts_;
};

}  // namespace gostep
