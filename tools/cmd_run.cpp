#include "cmd_run.h"

#include <fmt/format.h>

#include <chrono>
#include <cstdio>

#include "emulator/elf_image.h"
#include "emulator/process.h"
#include "stop_report.h"

namespace gostep {

void RunCommand::attach(CLI::App& cmd) { add_run_options(cmd, opts_); }

int RunCommand::execute() {
  const ElfImage image = load_elf(opts_.prog);
  const auto t0 = std::chrono::steady_clock::now();
  Process proc(image, to_process_options(opts_));
  const StopReason r = proc.run();
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::fflush(stdout);
  const std::string report = stop_report(proc, r);
  if (!report.empty()) fmt::print(stderr, "{}", report);
  if (opts_.stats) fmt::print(stderr, "{}", stats_report(proc.stats(), wall));
  return exit_status_for(r);
}

}  // namespace gostep
