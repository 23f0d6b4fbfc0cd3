// What gostep says when it stops a guest itself (exit statuses 124 and
// 128+N): one line on what happened and what to do, then where: thread,
// instruction, function+offset and the system call.
#pragma once

#include <string>

#include "emulator/process.h"

namespace gostep {

// Empty for a normal exit.
std::string stop_report(Process& p, const StopReason& r);

// The exit status gostep returns for a stop (DESIGN.md, "Exit status").
int exit_status_for(const StopReason& r);

// --stats text.
std::string stats_report(const ProcessStats& s, double wall_seconds);

std::string signal_name(int sig);

// "gostep: the program looked for data.txt, which is outside the directories
// it may see: add --dir .", once, or "" (DESIGN.md, "Sandbox").
std::string sandbox_hint(Process& p, bool any_grant);

// The calls --enosys answered with ENOSYS, or "".
std::string enosys_report(const ProcessStats& s);

}  // namespace gostep
