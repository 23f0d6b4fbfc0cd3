// The prompt's read loop, shared by `gostep debug` and the tour's `d`: reads
// commands (line editing on a terminal, echoed when piped), repeats stepping
// commands on an empty line, and drops the line on Ctrl-C.
#pragma once

#include "debugger.h"
#include "line_reader.h"

namespace gostep {

enum class PromptExit {
  quit,  // `quit` or the end of input
  tour,  // `tour`: go (back) to the guided tour
};

PromptExit run_prompt(Debugger& dbg, LineReader& reader);

// Ctrl-C: while the guest runs it stops before the next instruction (the engine's
// interrupt); at the prompt the line is dropped; gostep never dies of SIGINT.
// The handler interrupts `target` (nullptr: none).
void install_sigint_handler(engine::Target* target);
// Whether Ctrl-C was pressed since the last call (and forget it).
bool take_sigint();

}  // namespace gostep
