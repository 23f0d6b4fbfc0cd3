#include "cmd_tour.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>

#include "engine/target.h"
#include "tools/color.h"
#include "tools/debug/debugger.h"
#include "tools/debug/line_reader.h"
#include "tools/debug/prompt_loop.h"
#include "tour.h"

#ifndef GOSTEP_BUNDLED_HELLO
#define GOSTEP_BUNDLED_HELLO ""
#endif

namespace gostep {

std::string bundled_hello() {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const fs::path p = exe.parent_path() / "asm_fixtures" / "go" / "hello";
    if (fs::is_regular_file(p, ec)) return p.string();
  }
  if (*GOSTEP_BUNDLED_HELLO && fs::is_regular_file(GOSTEP_BUNDLED_HELLO, ec)) return GOSTEP_BUNDLED_HELLO;
  return "";
}

void TourCommand::attach(CLI::App& cmd) {
  add_run_options(cmd, opts_, false);
  cmd.add_option("--lang", lang_, "en or zh (default: from LC_ALL, LC_MESSAGES or LANG; zh_* is Chinese)")
      ->check(CLI::IsMember({"en", "zh"}));
  cmd.add_flag("--auto", auto_, "Run through every page without waiting for keys (the default when stdin or "
                                "stdout is not a terminal)");
  cmd.add_option("--from", from_, "The first milestone to show (default: entry)")->type_name("MILESTONE");
  cmd.add_option("--to", to_, "The last milestone to show (default: main_main)")->type_name("MILESTONE");
}

int TourCommand::execute() {
  std::string path = opts_.prog;
  ProcessOptions po = to_process_options(opts_);
  if (path.empty()) {
    path = bundled_hello();
    if (path.empty()) {
      fmt::print(stderr, "gostep: the bundled hello program is not built; run 'make build', or name a program: "
                         "gostep tour PROG\n");
      return 127;
    }
    // The guest sees "./hello" wherever the build tree is, so that its stack
    // addresses (and the tour's text) are the same on every machine.
    po.argv[0] = "./hello";
    opts_.prog = "hello";
  }
  po.track_writes = true;  // `s` shows each instruction's effects
  po.stdin_fd = -1;        // the keys are the tour's; the guest reads nothing
  po.stdout_fd = 2;        // the guest's own output stays out of the pages
  install_sigint_handler(nullptr);
  engine::Target target(path, po);
  install_sigint_handler(&target);

  tour::TourOptions to;
  to.lang = tour::lang_from_env();
  if (!lang_.empty()) tour::parse_lang(lang_, to.lang);
  // Keys need a keyboard and pages a screen: with either redirected, the tour runs through.
  to.interactive = !auto_ && isatty(0) && isatty(1);
  to.from = from_;
  to.to = to_;
  to.paint = Palette(want_color(opts_.color, 1));
  to.prog = opts_.prog;
  DebugOptions dopts;
  dopts.color = to.paint.on();
  Debugger dbg(target, dopts);

  tour::Tour tour(dbg, to);
  if (auto err = tour.start()) {
    fmt::print(stderr, "gostep: {}\n", *err);
    return 125;
  }
  std::optional<LineReader> reader;
  for (;;) {
    if (tour.run() != tour::TourExit::prompt) break;
    // d: the debug prompt here; `tour` comes back at the first milestone from here.
    if (!reader) reader.emplace("(gostep) ", [&dbg](const std::string& line) { return dbg.complete(line); });
    bool back = false;
    while (!back && run_prompt(dbg, *reader) == PromptExit::tour) back = tour.resume_here();
    if (!back) break;
  }
  install_sigint_handler(nullptr);
  return 0;
}

}  // namespace gostep
