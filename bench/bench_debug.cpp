// bench_debug: the prompt's budgets (DESIGN.md, "Performance budgets"):
//  - startup: from nothing to a prompt ready for `gostep debug hello` (target < 150 ms);
//  - one `stepi` with the full effect display, median over many steps (target < 2 ms);
//  - stepping throughput: instructions per second of `stepi 1000` in a script.
// Medians of repeated runs; the display text goes to /dev/null.
//
// Usage: bench_debug PATH/TO/hello [--steps N]
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "session/session.h"
#include "tools/debug/debugger.h"

namespace {

using Clock = std::chrono::steady_clock;
double ms_since(Clock::time_point t0) { return std::chrono::duration<double, std::milli>(Clock::now() - t0).count(); }
double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

gostep::ProcessOptions debug_options(const std::string& path) {
  gostep::ProcessOptions o;
  o.argv = {path};
  o.track_writes = true;
  o.stdin_fd = -1;
  o.stdout_fd = 2;
  return o;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: bench_debug PATH/TO/hello [--steps N]\n");
    return 125;
  }
  const std::string path = argv[1];
  int steps = 2000;
  for (int i = 2; i + 1 < argc; ++i)
    if (!std::strcmp(argv[i], "--steps")) steps = std::max(10, std::atoi(argv[i + 1]));
  std::fflush(stdout);
  FILE* out = fdopen(dup(1), "w");
  std::freopen("/dev/null", "w", stdout);

  // Startup: load, DWARF, model, milestones, process, debugger, banner.
  std::vector<double> startup;
  for (int r = 0; r < 7; ++r) {
    const auto t0 = Clock::now();
    gostep::Session s(path, debug_options(path));
    gostep::Debugger d(s, {});
    (void)d.banner();
    startup.push_back(ms_since(t0));
  }

  // One stepi with the effect display, from the entry point through the bootstrap.
  gostep::Session s(path, debug_options(path));
  gostep::Debugger d(s, {});
  std::vector<double> step;
  for (int i = 0; i < steps; ++i) {
    const auto t0 = Clock::now();
    d.execute("stepi");
    step.push_back(ms_since(t0));
  }
  std::sort(step.begin(), step.end());
  const double p90 = step[step.size() * 9 / 10];

  // Throughput of a scripted `stepi 1000` (effects shown), three times.
  std::vector<double> rate;
  for (int r = 0; r < 3; ++r) {
    const auto t0 = Clock::now();
    d.execute("stepi 1000");
    rate.push_back(1000.0 / (ms_since(t0) / 1000.0));
  }
  fmt::print(out, "startup to prompt     median {:8.2f} ms   (budget 150 ms)\n", median(startup));
  fmt::print(out, "stepi + effects       median {:8.3f} ms   p90 {:.3f} ms over {} steps   (budget 2 ms)\n",
             median(step), p90, steps);
  fmt::print(out, "stepi 1000 in script  median {:8.0f} instructions/s\n", median(rate));
  std::fclose(out);
  return 0;
}
