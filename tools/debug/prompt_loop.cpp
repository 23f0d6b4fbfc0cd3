#include "prompt_loop.h"

#include <fmt/format.h>

#include <csignal>
#include <cstdio>

namespace gostep {
namespace {

engine::Target* g_target = nullptr;
volatile std::sig_atomic_t g_sigint = 0;

extern "C" void on_sigint(int) {
  g_sigint = 1;
  if (g_target) g_target->request_interrupt();
}

}  // namespace

void install_sigint_handler(engine::Target* target) {
  g_target = target;
  struct sigaction sa {};
  sa.sa_handler = on_sigint;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;  // no SA_RESTART: a read at the prompt returns, and the line is dropped
  sigaction(SIGINT, &sa, nullptr);
}

bool take_sigint() {
  const bool was = g_sigint != 0;
  g_sigint = 0;
  return was;
}

PromptExit run_prompt(Debugger& dbg, LineReader& reader) {
  std::string last;
  for (;;) {
    take_sigint();
    auto line = reader.read();
    if (!line) {
      if (take_sigint()) {  // Ctrl-C at the prompt: a fresh line, as gdb does
        fmt::print("\n");
        std::fflush(stdout);
        reader.reset();
        continue;
      }
      return PromptExit::quit;
    }
    if (!reader.interactive() && !dbg.json_mode()) {
      // Echo piped commands after a prompt, like a transcript.
      fmt::print("(gostep) {}\n", *line);
      std::fflush(stdout);
    }
    // As in gdb, an empty line at the prompt repeats a stepping or examining command.
    if (line->find_first_not_of(" \t") == std::string::npos) {
      if (last.empty()) continue;
      *line = last;
    } else {
      last = Debugger::repeatable(*line) ? *line : "";
    }
    if (!dbg.execute(*line)) return PromptExit::quit;
    if (dbg.take_tour_request()) return PromptExit::tour;
  }
}

}  // namespace gostep
