#include "cmd_run.h"

#include <fmt/format.h>

#include <chrono>
#include <csignal>
#include <cstdio>

#include "engine/program_run.h"
#include "host_signals.h"
#include "stop_report.h"

namespace gostep {

void RunCommand::attach(CLI::App& cmd) { add_run_options(cmd, opts_); }

int RunCommand::execute() {
  ProcessOptions po = to_process_options(opts_);
  po.terminals_visible = true;
  HostSignals signals;
  po.wake_fd = signals.wake_fd();
  const auto t0 = std::chrono::steady_clock::now();
  engine::ProgramRun run(opts_.prog, std::move(po));
  signals.attach(&run);
  const engine::RunEnd end = run.run([&] { return signals.take(); });
  signals.attach(nullptr);
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::fflush(stdout);
  if (end.second_sigint) {
    fmt::print(stderr,
               "gostep: a second Ctrl-C (SIGINT) within a second, and the guest had not taken the first "
               "(it is pending, blocked or ignored): stopped\n");
    if (opts_.stats) fmt::print(stderr, "{}", stats_report(end.stats, 0, end.reexecuted));
    return 128 + SIGINT;
  }
  fmt::print(stderr, "{}", stop_report(end));
  fmt::print(stderr, "{}", enosys_report(end.stats));
  fmt::print(stderr, "{}", sandbox_hint(end, !opts_.dirs.empty()));
  if (opts_.stats) fmt::print(stderr, "{}", stats_report(end.stats, wall, end.reexecuted));
  return exit_status_for(end.reason);
}

}  // namespace gostep
