// What gostep says when it stops a guest itself (exit statuses 124 and
// 128+N): one line on what happened and what to do, then where: thread,
// instruction, function+offset and the system call.
#pragma once

#include <cstdint>
#include <string>

#include "engine/run_end.h"

namespace gostep {

// Empty for a normal exit.
std::string stop_report(const engine::RunEnd& e);

// The exit status gostep returns for a stop (DESIGN.md, "Exit status").
int exit_status_for(const StopReason& r);

// --stats text; `reexecuted`: instructions run twice to make a fault exact.
std::string stats_report(const ProcessStats& s, double wall_seconds, std::uint64_t reexecuted = 0);

std::string signal_name(int sig);

// "gostep: the program looked for data.txt, which is outside the directories
// it may see: add --dir .", once, or "" (DESIGN.md, "Sandbox").
std::string sandbox_hint(const engine::RunEnd& e, bool any_grant);

// The calls --enosys answered with ENOSYS, or "".
std::string enosys_report(const ProcessStats& s);

}  // namespace gostep
