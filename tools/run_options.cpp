#include "run_options.h"

namespace gostep {

void add_run_options(CLI::App& cmd, RunOptions& o, bool prog_required) {
  cmd.add_option("PROG", o.prog,
                 prog_required ? "The Go program to run (a static linux/amd64 executable)"
                               : "The Go program to run (a static linux/amd64 executable; default: the bundled hello)")
      ->required(prog_required);
  cmd.add_option("ARGS", o.args, "Arguments for the program; put them after --");
  cmd.add_option("--env", o.env, "Add K=V to the guest's environment (repeatable; it starts empty)")
      ->type_name("K=V")
      ->allow_extra_args(false)  // one K=V per --env: otherwise it swallows PROG and the "--"
      ->check([](const std::string& s) -> std::string {
        const auto eq = s.find('=');
        return eq == std::string::npos || eq == 0 ? "expected K=V, got '" + s + "'" : "";
      });
  cmd.add_option("--seed", o.seed, "Seed for AT_RANDOM and getrandom (default 0)");
  cmd.add_option("--max-insns", o.max_insns,
                 "Stop the guest after N instructions (exit status 124; default 5000000000)")
      ->check(CLI::PositiveNumber);
  cmd.add_option("--quantum", o.quantum, "Instructions each thread runs before the next one's turn (default 10000)")
      ->check(CLI::PositiveNumber);
  cmd.add_option("--ncpu", o.ncpu, "CPUs the guest sees in its affinity mask (default 2)")
      ->check(CLI::Range(1, 64));
  cmd.add_flag("--stats", o.stats, "Print instruction counts, threads, virtual time and system calls to stderr");
  cmd.add_option("--color", o.color,
                 "Colour: auto (on a terminal, unless NO_COLOR is set), always or never; it marks changed values, "
                 "the current thread or milestone, and warnings")
      ->check(CLI::IsMember({"auto", "always", "never"}));
}

ProcessOptions to_process_options(const RunOptions& o) {
  ProcessOptions p;
  p.argv.push_back(o.prog);
  p.argv.insert(p.argv.end(), o.args.begin(), o.args.end());
  p.env = o.env;
  p.seed = o.seed;
  p.max_insns = o.max_insns;
  p.quantum = o.quantum;
  p.ncpu = o.ncpu;
  return p;
}

}  // namespace gostep
