// Options every subcommand that runs a guest shares (DESIGN.md, "Commands"),
// and turning them into a Process's options.
#pragma once

#include <CLI/CLI.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "emulator/process_options.h"

namespace gostep {

inline constexpr std::uint64_t kMaxQuantum = 1'000'000'000;

struct RunOptions {
  std::string prog;
  std::vector<std::string> args;
  std::vector<std::string> env;
  std::uint64_t seed = 0;
  std::uint64_t max_insns = 5'000'000'000ULL;
  std::uint64_t max_memory = 4ULL << 30;
  std::uint64_t quantum = 10'000;
  int ncpu = 2;
  bool stats = false;
  std::string color = "auto";
  std::vector<std::string> dirs;  // --dir HOSTDIR[:GUESTDIR][:rw]
  bool enosys = false;
};

// Parses one --dir HOSTDIR[:GUESTDIR][:rw]: "" on success, else what is wrong.
std::string parse_dir_grant(const std::string& spec, DirGrant& out);

// Adds PROG, ARGS and the shared options to a subcommand (PROG optional for the tour).
void add_run_options(CLI::App& cmd, RunOptions& o, bool prog_required = true);

ProcessOptions to_process_options(const RunOptions& o);

}  // namespace gostep
