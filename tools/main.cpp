// gostep: watch a Go program start, one machine instruction at a time.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>
#include <exception>

#include "cmd_dump.h"
#include "debug/cmd_debug.h"
#include "cmd_run.h"
#include "emulator/elf_image.h"
#include "graph/cmd_graph.h"
#include "tour/cmd_tour.h"

namespace {

constexpr int kUsageError = 125;

const char* const kDescription =
    "gostep runs a Go program's own machine code, from its ELF entry point to exit_group, inside\n"
    "the Unicorn emulator, with a small deterministic Linux of its own, so that the runtime's\n"
    "bootstrap (rt0_go, settls, schedinit, newproc, mstart, schedule) can be watched.";

const char* const kFooter =
    "\nExamples:\n"
    "  gostep run ./hello                 run to exit; the guest's output is gostep's\n"
    "  gostep run ./hello --stats         and count instructions, threads and system calls\n"
    "  gostep run ./args --env K=V -- a b arguments after --, environment with --env\n"
    "  gostep dump ./hello --at milestone:newproc_return\n"
    "                                     g0, m0, TLS, Ps and run queues after newproc\n"
    "  gostep dump ./hello --at runtime.settls --at asm_amd64.s:268 --json\n"
    "  gostep debug ./hello -ex 'break runtime.settls' -ex continue -ex 'info tls'\n"
    "  gostep tour                        a guided tour of the bootstrap (bundled hello)\n"
    "  gostep tour ./prog --lang zh --auto\n"
    "  gostep graph ./hello --at milestone:newproc_return --format svg -o newproc.svg\n"
    "\nExit status: the guest's own; 124 stopped by gostep (--max-insns, deadlock, unsupported\n"
    "system call), 125 usage error, 126 PROG cannot be run, 127 PROG not found, 128+N killed by\n"
    "signal N.";

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{kDescription, "gostep"};
  app.footer(kFooter);
  app.require_subcommand(1);
  app.failure_message([](const CLI::App*, const CLI::Error& e) { return std::string(e.what()); });

  gostep::RunCommand run_cmd;
  CLI::App* run = app.add_subcommand("run", "Run PROG to exit; its stdin, stdout and stderr are gostep's");
  run_cmd.attach(*run);
  gostep::DumpCommand dump_cmd;
  CLI::App* dump = app.add_subcommand("dump", "Run PROG to each --at LOC; print g0, m0, TLS, Ps, run queues");
  dump_cmd.attach(*dump);
  gostep::DebugCommand debug_cmd;
  CLI::App* debug = app.add_subcommand("debug", "Step through PROG at a gdb-like prompt from its entry point");
  debug_cmd.attach(*debug);
  gostep::TourCommand tour_cmd;
  CLI::App* tour = app.add_subcommand("tour", "A guided tour of the bootstrap, milestone by milestone (English or Chinese)");
  tour_cmd.attach(*tour);
  gostep::GraphCommand graph_cmd;
  CLI::App* graph = app.add_subcommand("graph", "A picture of g0, m0, TLS, the Ps and the run queues at LOC");
  graph_cmd.attach(*graph);

  std::vector<std::string> args(argv + 1, argv + argc);
  if (!args.empty() && !args[0].empty() && args[0][0] != '-' && args[0] != "run" && args[0] != "dump" &&
      args[0] != "debug" && args[0] != "tour" && args[0] != "graph") {
    fmt::print(stderr, "gostep: unknown command '{}'; the commands are run, dump, debug, tour and graph "
               "(see 'gostep --help')\n", args[0]);
    return kUsageError;
  }
  if (const std::string err = gostep::extract_command_sources(args, debug_cmd.sources); !err.empty()) {
    fmt::print(stderr, "gostep: {}; see 'gostep debug --help'\n", err);
    return kUsageError;
  }
  std::reverse(args.begin(), args.end());  // CLI11 takes a reversed vector
  try {
    app.parse(args);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::Success& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::string which = "gostep";
    for (const auto* sub : app.get_subcommands()) which += " " + sub->get_name();
    fmt::print(stderr, "gostep: {}; see '{} --help'\n", e.what(), which);
    return kUsageError;
  }

  try {
    if (run->parsed()) return run_cmd.execute();
    if (dump->parsed()) return dump_cmd.execute();
    if (debug->parsed()) return debug_cmd.execute();
    if (tour->parsed()) return tour_cmd.execute();
    if (graph->parsed()) return graph_cmd.execute();
  } catch (const gostep::LoadError& e) {
    fmt::print(stderr, "gostep: {}\n", e.what());
    return e.status;
  } catch (const std::exception& e) {
    fmt::print(stderr, "gostep: internal error: {}; please report it with the command you ran\n", e.what());
    return 70;
  }
  return kUsageError;
}
