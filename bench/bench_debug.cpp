// bench_debug: the prompt's budgets (DESIGN.md, "Performance budgets"):
//  - startup: from nothing to a prompt ready for `gostep debug hello` (target < 150 ms);
//  - one `stepi` with the full effect display, median and p90 over many steps (target < 2 ms);
//  - `stepi 100000` with the effect display off against `continue` over the same
//    instructions (until insn:N), in one run: the ratio should be about 1;
//  - `nexti` over rt0_go's CALL runtime·newproc, with its net effect.
// The display text goes to /dev/null.
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

#include "engine/target.h"
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
  if (!std::freopen("/dev/null", "w", stdout)) return 70;

  // Startup: load, DWARF, model, milestones, process, debugger, banner.
  std::vector<double> startup;
  for (int r = 0; r < 7; ++r) {
    const auto t0 = Clock::now();
    gostep::engine::Target t(path, debug_options(path));
    gostep::Debugger d(t, {});
    (void)d.banner();
    startup.push_back(ms_since(t0));
  }

  // One stepi with the effect display, from the entry point through the bootstrap.
  std::vector<double> step;
  {
    gostep::engine::Target t(path, debug_options(path));
    gostep::Debugger d(t, {});
    for (int i = 0; i < steps; ++i) {
      const auto t0 = Clock::now();
      d.execute("stepi");
      step.push_back(ms_since(t0));
    }
  }
  std::sort(step.begin(), step.end());
  const double p90 = step[step.size() * 9 / 10];

  // stepi 100000 with effects off, then continue (until insn:N) over the same count, from the same place.
  constexpr std::uint64_t kRange = 100'000;
  double stepi_ms = 0, cont_ms = 0;
  {
    gostep::engine::Target t(path, debug_options(path));
    gostep::Debugger d(t, {});
    d.execute("set show-effects off");
    const auto t0 = Clock::now();
    d.execute(fmt::format("stepi {}", kRange));
    stepi_ms = ms_since(t0);
  }
  {
    gostep::engine::Target t(path, debug_options(path));
    gostep::Debugger d(t, {});
    const auto t0 = Clock::now();
    d.execute(fmt::format("until insn:{}", kRange + 1));
    cont_ms = ms_since(t0);
  }

  // nexti over CALL runtime·newproc (the instruction before milestone newproc_return).
  std::vector<double> nexti;
  std::uint64_t call_insns = 0;
  std::uint64_t entry = 0;
  {
    gostep::engine::Target u(path, debug_options(path));
    gostep::Debugger e(u, {});
    e.execute("until runtime.newproc.abi0");
    entry = u.next_insn();  // the CALL was the instruction before
  }
  for (int r = 0; r < 5; ++r) {
    gostep::engine::Target v(path, debug_options(path));
    gostep::Debugger f(v, {});
    f.execute(fmt::format("until insn:{}", entry - 1));
    const auto t0 = Clock::now();
    f.execute("nexti");
    nexti.push_back(ms_since(t0));
    call_insns = v.next_insn() - (entry - 1);
  }

  fmt::print(out, "startup to prompt       median {:8.2f} ms   (budget 150 ms)\n", median(startup));
  fmt::print(out, "stepi + effects         median {:8.3f} ms   p90 {:.3f} ms over {} steps   (budget 2 ms)\n",
             median(step), p90, steps);
  fmt::print(out, "stepi {} (effects off) {:8.1f} ms = {:.2f} M insns/s; until insn:{} {:.1f} ms = {:.2f} M insns/s; "
                  "ratio {:.2f}\n",
             kRange, stepi_ms, kRange / stepi_ms / 1000.0, kRange + 1, cont_ms, kRange / cont_ms / 1000.0,
             stepi_ms / cont_ms);
  fmt::print(out, "nexti over CALL runtime.newproc  median {:8.2f} ms   ({} instructions, with the net effect)\n",
             median(nexti), call_insns);
  std::fclose(out);
  return 0;
}
