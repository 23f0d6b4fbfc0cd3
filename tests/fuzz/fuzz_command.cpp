// The prompt's command-line parser (tools/debug: Debugger::execute) on a Target
// over hello. An input is up to 8 command lines run in order, from a fresh
// prompt on a program at its entry point (runs are bounded by --max-insns), so a
// crash reproduces from its input alone. The prompt prints to stdout and stderr:
// run with -close_fd_mask=3 (tests/fuzz/run_fuzz.sh does).
#include <cstdint>
#include <sstream>

#include "fuzz_util.h"
#include "tools/debug/debugger.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace gostep;
  static const auto t = fuzz::make_target(20'000);
  // Back to the start: no stops, no history, no running program.
  t->stops().clear();
  t->stops().sync(t->session().process());
  t->history().clear();
  if (t->insns_run() > 0 || t->ended()) t->restart();
  t->select_thread(t->current_thread());
  t->select_frame(0);
  Debugger d(*t, DebugOptions{});
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  std::string line;
  for (int n = 0; n < 8 && std::getline(in, line); ++n)
    if (!d.execute(line)) break;  // quit
  return 0;
}
