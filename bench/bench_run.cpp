// `gostep run`'s speed and memory against Unicorn alone: each program runs
// as `run` runs it (engine::ProgramRun: block counting, faults made exact by
// re-execution), with no hooks at all (Unicorn's own
// speed on the same code: the baseline of issue 13's targets) and, with
// --insn-hook, under instruction counting (what `debug` and `dump` use).
// Every run is a child process of its own, so its peak RSS is its own too.
//
//   bench_run DIR [PROGRAM[:ARG,ARG...]...] [--reps N] [--insn-hook] [--only run|bare]
//
// Prints medians of N runs (default 3). The ratios are run / no hooks,
// measured pair by pair (the two runs of a pair follow each other, so they
// see the same machine) and their median given: one of wall time, one of the
// CPU time the child spent (which leaves out the time a busy host kept it
// off the CPU; this machine's neighbours come and go). --only runs one of
// the two, for a profiler (perf record, valgrind --tool=callgrind) to see
// that one alone. Not a test: nothing asserts a time (machines here are
// shared and noisy).
#include <fmt/format.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "emulator/elf_image.h"
#include "emulator/process.h"
#include "engine/program_run.h"

namespace {

struct Sample {
  double seconds = 0;
  double cpu_seconds = 0;  // the child's CPU time over the same span
  std::uint64_t insns = 0;
  std::uint64_t touched = 0;  // bytes of guest memory touched at the end
  long peak_rss_kb = 0;       // the child's, whole process
  bool ok = false;
};

struct Program {
  std::string name;
  std::vector<std::string> args;
};

double cpu_now() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// Runs the program in a child process and reads back what it measured.
Sample run_once(const std::string& path, const Program& prog, gostep::Counting counting) {
  int fds[2];
  if (pipe(fds) != 0) return {};
  const pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    Sample s;
    try {
      gostep::ElfImage img = gostep::load_elf(path);
      gostep::ProcessOptions o;
      o.argv = {path};
      o.argv.insert(o.argv.end(), prog.args.begin(), prog.args.end());
      o.counting = counting;
      o.stdin_fd = -1;
      o.stdout_fd = o.stderr_fd = open("/dev/null", O_WRONLY);
      o.max_insns = 20'000'000'000ULL;
      const double c0 = cpu_now();
      const auto t0 = std::chrono::steady_clock::now();
      if (counting == gostep::Counting::blocks) {
        // What `gostep run` does: faults exact by re-execution (engine::ProgramRun).
        gostep::engine::ProgramRun run(std::move(img), o);
        const gostep::engine::RunEnd end = run.run([] { return std::vector<int>{}; });
        s.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        s.cpu_seconds = cpu_now() - c0;
        s.insns = end.stats.insns;
        s.touched = end.stats.touched;
        s.ok = end.reason.kind == gostep::StopKind::exited && end.reason.exit_status == 0;
      } else {
        gostep::Process p(img, o);
        const gostep::StopReason r = p.run();
        s.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        s.cpu_seconds = cpu_now() - c0;
        s.insns = p.insn_count();
        s.touched = p.stats().touched;
        s.ok = r.kind == gostep::StopKind::exited && r.exit_status == 0;
      }
    } catch (const std::exception& e) {
      std::fprintf(stderr, "%s: %s\n", prog.name.c_str(), e.what());
    }
    if (write(fds[1], &s, sizeof s) != static_cast<ssize_t>(sizeof s)) _exit(1);
    _exit(0);
  }
  close(fds[1]);
  Sample s;
  const bool got = read(fds[0], &s, sizeof s) == static_cast<ssize_t>(sizeof s);
  close(fds[0]);
  int status = 0;
  rusage ru{};
  wait4(pid, &status, 0, &ru);
  if (!got) return {};
  s.peak_rss_kb = ru.ru_maxrss;
  return s;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

Program parse_program(const std::string& spec) {
  Program p;
  const auto colon = spec.find(':');
  p.name = spec.substr(0, colon);
  if (colon == std::string::npos) return p;
  std::string rest = spec.substr(colon + 1);
  for (std::size_t at = 0; at <= rest.size();) {
    const auto comma = rest.find(',', at);
    p.args.push_back(rest.substr(at, comma == std::string::npos ? std::string::npos : comma - at));
    if (comma == std::string::npos) break;
    at = comma + 1;
  }
  return p;
}

}  // namespace

int main(int argc, char** argv) {
  std::string dir;
  std::vector<Program> progs;
  int reps = 3;
  bool insn_hook = false;
  std::string only;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--reps") && i + 1 < argc) reps = std::max(1, std::atoi(argv[++i]));
    else if (!std::strcmp(argv[i], "--insn-hook")) insn_hook = true;
    else if (!std::strcmp(argv[i], "--only") && i + 1 < argc) only = argv[++i];
    else if (dir.empty()) dir = argv[i];
    else progs.push_back(parse_program(argv[i]));
  }
  if (dir.empty() || (!only.empty() && only != "run" && only != "bare")) {
    std::fprintf(stderr, "usage: bench_run DIR [PROGRAM[:ARG,ARG...]...] [--reps N] [--insn-hook] [--only run|bare]\n");
    return 125;
  }
  if (progs.empty())
    for (const char* p : {"hello", "goroutines", "hotloop", "gcbench", "touch:1000", "touch:4000", "touch:65536"})
      progs.push_back(parse_program(p));

  fmt::print("{:<12} {:>13} {:>9} {:>9} {:>10} {:>7} {:>7} {:>10} {:>9} {:>10}\n", "program", "instructions",
             "run ms", "M insn/s", "no-hook ms", "ratio", "cpu", "insn-hook", "peak RSS", "touched");
  const bool with_run = only != "bare", with_bare = only != "run";
  for (const Program& prog : progs) {
    const std::string path = dir + "/" + prog.name;
    std::vector<double> run, bare, per_insn, ratios, cpu_ratios;
    Sample last;
    bool ok = true;
    for (int r = 0; r < reps; ++r) {
      const Sample a = with_run ? run_once(path, prog, gostep::Counting::blocks) : Sample{};
      const Sample b = with_bare ? run_once(path, prog, gostep::Counting::none) : Sample{};
      ok &= (!with_run || a.ok) && (!with_bare || b.ok);
      run.push_back(a.seconds);
      bare.push_back(b.seconds);
      if (with_run && with_bare && b.seconds > 0 && b.cpu_seconds > 0) {
        ratios.push_back(a.seconds / b.seconds);
        cpu_ratios.push_back(a.cpu_seconds / b.cpu_seconds);
      }
      if (insn_hook) per_insn.push_back(run_once(path, prog, gostep::Counting::instructions).seconds);
      last = with_run ? a : b;
    }
    std::string label = prog.name;
    for (const auto& a : prog.args) label += " " + a;
    const double w = median(run), wo = median(bare);
    const auto ratio = [](const std::vector<double>& v) { return v.empty() ? std::string("-") : fmt::format("{:.2f}x", median(v)); };
    fmt::print("{:<12} {:>13} {:>9.1f} {:>9.1f} {:>10.1f} {:>7} {:>7} {:>10} {:>6} MB {:>7} MB{}\n", label,
               last.insns, w * 1e3, w > 0 ? static_cast<double>(last.insns) / w / 1e6 : 0.0, wo * 1e3,
               ratio(ratios), ratio(cpu_ratios), insn_hook ? fmt::format("{:.1f}", median(per_insn) * 1e3) : "-",
               last.peak_rss_kb / 1024, last.touched >> 20, ok ? "" : "  (a run did not exit 0)");
    std::fflush(stdout);
  }
  return 0;
}
