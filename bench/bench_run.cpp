// bench_run: for each bundled program, instructions, wall time and
// instructions per second of `gostep run`, and the cost of the
// per-instruction hook: the ratio against the same program run with no
// per-instruction hook installed (threads then switch only at blocking
// calls, so that baseline is a speed reference, not a deterministic run).
//
// Usage: bench_run DIR [PROGRAM...] [--reps N]
// Prints medians over N repetitions (default 5), one line per program.
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "emulator/elf_image.h"
#include "emulator/process.h"

namespace {

struct Sample {
  double seconds = 0;
  std::uint64_t insns = 0;
  int status = -1;
};

Sample run_once(const gostep::ElfImage& img, bool hook) {
  gostep::ProcessOptions o;
  o.argv = {img.path};
  o.per_instruction_hook = hook;
  o.stdin_fd = -1;
  o.max_insns = 2'000'000'000ULL;
  const auto t0 = std::chrono::steady_clock::now();
  gostep::Process p(img, o);
  const gostep::StopReason r = p.run();
  Sample s;
  s.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  s.insns = p.insn_count();
  s.status = r.kind == gostep::StopKind::exited ? r.exit_status : -1;
  return s;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  std::string dir;
  std::vector<std::string> progs;
  int reps = 5;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--reps") && i + 1 < argc) reps = std::max(1, std::atoi(argv[++i]));
    else if (dir.empty()) dir = argv[i];
    else progs.push_back(argv[i]);
  }
  if (dir.empty()) {
    std::fprintf(stderr, "usage: bench_run DIR [PROGRAM...] [--reps N]\n");
    return 125;
  }
  if (progs.empty()) progs = {"empty", "hello", "goroutines", "timers", "args"};
  // The guest's output would mix with the table: send it to /dev/null.
  std::fflush(stdout);
  const int saved_stdout = dup(1);
  FILE* table = fdopen(saved_stdout, "w");
  std::freopen("/dev/null", "w", stdout);

  fmt::print(table, "{:<11} {:>12} {:>10} {:>12} {:>12} {:>8}\n", "program", "instructions", "wall ms",
             "M insns/s", "no-hook ms", "ratio");
  for (const auto& name : progs) {
    const gostep::ElfImage img = gostep::load_elf(dir + "/" + name);
    std::vector<double> with, without;
    std::uint64_t insns = 0;
    for (int r = 0; r < reps; ++r) {
      const Sample a = run_once(img, true);
      const Sample b = run_once(img, false);
      with.push_back(a.seconds);
      without.push_back(b.seconds);
      insns = a.insns;
    }
    const double w = median(with), wo = median(without);
    fmt::print(table, "{:<11} {:>12} {:>10.2f} {:>12.2f} {:>12.2f} {:>7.2f}x\n", name, insns, w * 1e3,
               static_cast<double>(insns) / w / 1e6, wo * 1e3, w / wo);
    std::fflush(table);
  }
  std::fclose(table);
  return 0;
}
