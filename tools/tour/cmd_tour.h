// `gostep tour [PROG] [--lang en|zh] [--auto] [--from MILESTONE] [--to MILESTONE]`.
#pragma once

#include <CLI/CLI.hpp>

#include <string>

#include "tools/run_options.h"

namespace gostep {

class TourCommand {
 public:
  void attach(CLI::App& cmd);
  int execute();

 private:
  RunOptions opts_;
  std::string lang_, from_, to_;
  bool auto_ = false;
};

// The bundled hello program: next to the gostep executable
// (build/asm_fixtures/go/hello), else where this build put it; "" if neither exists.
std::string bundled_hello();

}  // namespace gostep
