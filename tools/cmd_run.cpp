#include "cmd_run.h"

#include <fmt/format.h>

#include <chrono>
#include <csignal>
#include <cstdio>

#include "emulator/elf_image.h"
#include "emulator/process.h"
#include "host_signals.h"
#include "stop_report.h"

namespace gostep {
namespace {

using Clock = std::chrono::steady_clock;

// DESIGN.md: a second SIGINT within a second, while the guest has not taken
// the first (still pending or blocked) or ignores SIGINT, stops gostep.
bool second_sigint_stops(Process& proc, std::optional<Clock::time_point>& last) {
  const Clock::time_point now = Clock::now();
  const bool recent = last && now - *last < std::chrono::seconds(1);
  last = now;
  return recent && (proc.signal_pending(SIGINT) || proc.sigaction(SIGINT).handler == 1 /* SIG_IGN */);
}

}  // namespace

void RunCommand::attach(CLI::App& cmd) { add_run_options(cmd, opts_); }

int RunCommand::execute() {
  const ElfImage image = load_elf(opts_.prog);
  const auto t0 = std::chrono::steady_clock::now();
  ProcessOptions po = to_process_options(opts_);
  po.terminals_visible = true;
  po.counting = Counting::blocks;  // no stepping or watchpoints: a hook per block, not per instruction
  HostSignals signals;
  po.wake_fd = signals.wake_fd();
  Process proc(image, po);
  signals.attach(&proc);
  StopReason r;
  std::optional<Clock::time_point> last_sigint;
  for (;;) {
    r = proc.run();
    if (r.kind != StopKind::interrupted) break;
    bool stop = false;
    for (int sig : signals.take()) {
      if (sig == SIGINT && second_sigint_stops(proc, last_sigint)) {
        stop = true;
        break;
      }
      proc.queue_user_signal(sig);
    }
    if (stop) {
      std::fflush(stdout);
      fmt::print(stderr,
                 "gostep: a second Ctrl-C (SIGINT) within a second, and the guest had not taken the first "
                 "(it is pending, blocked or ignored): stopped\n");
      if (opts_.stats) fmt::print(stderr, "{}", stats_report(proc.stats(), 0));
      return 128 + SIGINT;
    }
  }
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  signals.attach(nullptr);
  std::fflush(stdout);
  const std::string report = stop_report(proc, r);
  if (!report.empty()) fmt::print(stderr, "{}", report);
  fmt::print(stderr, "{}", enosys_report(proc.stats()));
  fmt::print(stderr, "{}", sandbox_hint(proc, !po.dirs.empty()));
  if (opts_.stats) fmt::print(stderr, "{}", stats_report(proc.stats(), wall));
  return exit_status_for(r);
}

}  // namespace gostep
