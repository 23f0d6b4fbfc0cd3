#include "run_options.h"

#include <fmt/format.h>

#include <charconv>
#include <cstdint>
#include <filesystem>

#include "tools/text_util.h"

namespace gostep {
namespace {

// A whole decimal number from `lo` to `hi`. CLI11 2.1's own checks take
// 99999999999999999999999 as 2^64-1 and answer -1 with a 300-column range.
CLI::Validator whole_number(std::uint64_t lo, std::uint64_t hi) {
  return CLI::Validator(
      [lo, hi](const std::string& s) -> std::string {
        std::uint64_t v = 0;
        const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
        if (ec == std::errc() && p == s.data() + s.size() && v >= lo && v <= hi) return "";
        return fmt::format("expected a whole number from {} to {}, not '{}'", lo, hi, clip(s, 24));
      },
      "N");
}

}  // namespace

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
  cmd.add_option("--seed", o.seed, "Seed for AT_RANDOM and getrandom (default 0)")
      ->check(whole_number(0, UINT64_MAX));
  cmd.add_option("--max-insns", o.max_insns,
                 "Stop the guest after N instructions (exit status 124; default 5000000000)")
      ->check(whole_number(1, UINT64_MAX));
  cmd.add_option("--max-memory", o.max_memory,
                 "Stop the guest when it has touched more than N bytes of memory (exit status 124; "
                 "K, M, G suffixes; default 4G)")
      ->check([](const std::string& v) -> std::string {
        return v.empty() || v[0] < '0' || v[0] > '9' ? "expected a size like 512M or 4G, got '" + clip(v, 24) + "'" : "";
      })
      ->transform(CLI::AsSizeValue(false))
      ->check([](const std::string& v) -> std::string {
        return v.find_first_not_of('0') == std::string::npos ? "must be more than 0 bytes" : "";
      })
      ->type_name("N");
  // Bounded so that a time slice's end (count + quantum) cannot wrap around.
  cmd.add_option("--quantum", o.quantum,
                 "Instructions each thread runs before the next one's turn; the turn ends at the next jump, call or other transfer after that (default 10000, at most 1000000000)")
      ->check(whole_number(1, kMaxQuantum));
  cmd.add_option("--ncpu", o.ncpu, "CPUs the guest sees in its affinity mask (default 2)")
      ->check(CLI::Range(1, 64));
  cmd.add_flag("--stats", o.stats, "Print instruction counts, threads, virtual time and system calls to stderr");
  cmd.add_option("--dir", o.dirs,
                 "Let the guest see host directory HOSTDIR at GUESTDIR (default: the same path), read-only unless "
                 ":rw; its writes to a read-only one stay in memory (repeatable; the first is the working directory)")
      ->type_name("HOSTDIR[:GUESTDIR][:rw]")
      ->allow_extra_args(false)
      ->check([](const std::string& s) {
        DirGrant g;
        return parse_dir_grant(s, g);
      });
  cmd.add_flag("--enosys", o.enosys,
               "Answer system calls gostep does not provide with ENOSYS instead of stopping (they are listed at exit)");
  cmd.add_option("--color", o.color,
                 "Colour: auto (on a terminal, unless NO_COLOR is set), always or never; it marks changed values, "
                 "the current thread or milestone, and warnings")
      ->check(CLI::IsMember({"auto", "always", "never"}));
}

std::string parse_dir_grant(const std::string& spec, DirGrant& out) {
  namespace fs = std::filesystem;
  std::vector<std::string> parts;
  for (std::size_t i = 0;;) {
    const std::size_t colon = spec.find(':', i);
    parts.push_back(spec.substr(i, colon == std::string::npos ? std::string::npos : colon - i));
    if (colon == std::string::npos) break;
    i = colon + 1;
  }
  out = DirGrant{};
  if (parts.size() > 1 && parts.back() == "rw") {
    out.rw = true;
    parts.pop_back();
  }
  if (parts.size() > 2)
    return "--dir " + spec + ": expected HOSTDIR[:GUESTDIR][:rw] (a path with ':' in it cannot be given)";
  if (parts[0].empty()) return "--dir " + spec + ": HOSTDIR is empty";
  std::error_code ec;
  if (!fs::is_directory(parts[0], ec)) return "--dir " + spec + ": " + parts[0] + " is not a directory on this machine";
  std::string host = fs::absolute(parts[0], ec).lexically_normal().string();
  while (host.size() > 1 && host.back() == '/') host.pop_back();
  std::string guest = parts.size() == 2 ? parts[1] : host;
  if (guest.empty() || guest[0] != '/') return "--dir " + spec + ": GUESTDIR must be an absolute path";
  guest = fs::path(guest).lexically_normal().string();
  while (guest.size() > 1 && guest.back() == '/') guest.pop_back();
  if (guest == "/") return "--dir " + spec + ": GUESTDIR cannot be / (give a directory below it)";
  for (const char* own : {"/proc", "/sys", "/dev"})
    if (guest == own || guest.rfind(std::string(own) + "/", 0) == 0)
      return "--dir " + spec + ": GUESTDIR cannot be in " + own + ", which is gostep's own";
  out.host_dir = host;
  out.guest_dir = guest;
  return "";
}

ProcessOptions to_process_options(const RunOptions& o) {
  ProcessOptions p;
  p.argv.push_back(o.prog);
  p.argv.insert(p.argv.end(), o.args.begin(), o.args.end());
  p.env = o.env;
  p.seed = o.seed;
  p.max_insns = o.max_insns;
  p.max_memory = o.max_memory;
  p.quantum = o.quantum;
  p.ncpu = o.ncpu;
  p.enosys = o.enosys;
  for (const std::string& spec : o.dirs) {
    DirGrant g;
    if (parse_dir_grant(spec, g).empty()) p.dirs.push_back(g);
  }
  return p;
}

}  // namespace gostep
