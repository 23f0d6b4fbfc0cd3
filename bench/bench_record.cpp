// bench_record: time travel's budgets (DESIGN.md "Performance budgets"), one run each:
//  - the recording run: `continue` to the end with recording on, against the same
//    `continue` with `set record off` (the write hook on in both): ratio, target <= 1.5;
//  - `goto` to 100 random recorded indices (fixed seed): median and p90, target < 30 ms;
//  - `reverse-stepi` from random places: median, target < 10 ms;
//  - `reverse-continue` to the previous write of m0.tls[0] from main.main: target < 100 ms;
//  - peak memory (VmHWM) of the whole recorded session, target < 128 MB for hello;
//  - with --growth N: the resident memory every N/10 instructions of a long program
//    (must level off, target < 512 MB for 50 million instructions).
//
// Usage: bench_record PROG [--growth N [--record-off]]
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "engine/target.h"

namespace {

using Clock = std::chrono::steady_clock;
using gostep::engine::RunCommand;
using gostep::engine::RunKind;
using gostep::engine::Target;

double ms_since(Clock::time_point t0) { return std::chrono::duration<double, std::milli>(Clock::now() - t0).count(); }
double pct(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[static_cast<std::size_t>(p * static_cast<double>(v.size() - 1))];
}

// Resident and peak resident memory of this process, in MB (/proc/self/status).
std::pair<double, double> rss_mb() {
  std::ifstream in("/proc/self/status");
  std::string line;
  double rss = 0, hwm = 0;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) rss = std::stod(line.substr(6)) / 1024.0;
    if (line.rfind("VmHWM:", 0) == 0) hwm = std::stod(line.substr(6)) / 1024.0;
  }
  return {rss, hwm};
}

std::unique_ptr<Target> make(const std::string& path) {
  gostep::ProcessOptions o;
  o.argv = {path};
  o.track_writes = true;
  o.stdin_fd = -1;
  o.stdout_fd = 2;
  return std::make_unique<Target>(path, o);
}

RunCommand cmd(RunKind k, std::string loc = "", std::uint64_t n = 1, bool effects = false) {
  RunCommand c;
  c.kind = k;
  c.loc = std::move(loc);
  c.count = n;
  c.effects = effects;
  return c;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: bench_record PROG [--growth N [--record-off]]\n");
    return 125;
  }
  const std::string path = argv[1];
  std::uint64_t growth = 0;
  for (int i = 2; i + 1 < argc; ++i)
    if (!std::strcmp(argv[i], "--growth")) growth = std::stoull(argv[i + 1]);

  if (growth) {
    auto t = make(path);
    for (int i = 2; i < argc; ++i)
      if (!std::strcmp(argv[i], "--record-off")) t->recording().set_on(false);  // what the recording adds
    for (int k = 1; k <= 10; ++k) {
      const auto t0 = Clock::now();
      (void)t->resume(cmd(RunKind::until, fmt::format("insn:{}", growth / 10 * static_cast<std::uint64_t>(k))));
      const auto [rss, hwm] = rss_mb();
      fmt::print("insn {:>12}  +{:8.0f} ms  rss {:7.1f} MB  peak {:7.1f} MB  checkpoints {:4}  holding {:6.1f} MB\n",
                 t->next_insn(), ms_since(t0), rss, hwm, t->recording().checkpoints(),
                 static_cast<double>(t->recording().checkpoint_bytes()) / (1024.0 * 1024.0));
      if (t->ended()) break;
    }
    return 0;
  }

  // The recording run against the same run unrecorded.
  double off_ms = 0, on_ms = 0;
  std::uint64_t total = 0;
  {
    auto t = make(path);
    t->recording().set_on(false);
    const auto t0 = Clock::now();
    (void)t->resume(cmd(RunKind::cont));
    off_ms = ms_since(t0);
  }
  auto t = make(path);
  {
    const auto t0 = Clock::now();
    (void)t->resume(cmd(RunKind::cont));
    on_ms = ms_since(t0);
    total = t->recording().recorded();
  }
  std::mt19937_64 rng(1);
  std::vector<double> go;
  for (int i = 0; i < 100; ++i) {
    const std::uint64_t n = 1 + rng() % total;
    const auto t0 = Clock::now();
    (void)t->resume(cmd(RunKind::go_to, fmt::format("insn:{}", n)));
    go.push_back(ms_since(t0));
  }
  std::vector<double> rsi;
  for (int i = 0; i < 30; ++i) {
    (void)t->resume(cmd(RunKind::go_to, fmt::format("insn:{}", 2 + rng() % (total - 1))));
    const auto t0 = Clock::now();
    (void)t->resume(cmd(RunKind::reverse_stepi, "", 1, true));
    rsi.push_back(ms_since(t0));
  }
  double rc_ms = -1;
  if (t->session().dwarf()) {
    auto u = make(path);
    (void)u->resume(cmd(RunKind::until, "main.main"));
    if (u->add_watchpoint("m0.tls[0]")) {
      const auto t0 = Clock::now();
      (void)u->resume(cmd(RunKind::reverse_continue));
      rc_ms = ms_since(t0);
    }
  }
  const auto [rss, hwm] = rss_mb();
  fmt::print("recorded {} instructions\n", total);
  fmt::print("continue: recording on {:.1f} ms, off {:.1f} ms, ratio {:.2f}   (budget 1.5)\n", on_ms, off_ms, on_ms / off_ms);
  fmt::print("goto x100: median {:.2f} ms, p90 {:.2f} ms   (budget 30 ms)\n", pct(go, 0.5), pct(go, 0.9));
  fmt::print("reverse-stepi x30: median {:.2f} ms   (budget 10 ms)\n", pct(rsi, 0.5));
  if (rc_ms >= 0) fmt::print("reverse-continue to the last write of m0.tls[0] from main.main: {:.1f} ms   (budget 100 ms)\n", rc_ms);
  fmt::print("memory: rss {:.1f} MB, peak {:.1f} MB   (budget 128 MB for hello)\n", rss, hwm);
  return 0;
}
