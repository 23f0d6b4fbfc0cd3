// rr's "run command in, why it stopped out" (STYLE.md): a RunCommand asks the
// engine to move the guest; the StopEvent says everything that stopped it and
// carries the effects of what ran. Front ends render it; nothing here is text
// for people.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "emulator/process.h"
#include "engine/value.h"
#include "runtime_model/runtime_state.h"
#include "session/session.h"

namespace gostep::engine {

enum class RunKind {
  cont,     // continue [N]: N-1 more crossings of the breakpoint we stand at are ignored (gdb)
  stepi,    // N instructions of the selected thread
  nexti,    // the same, a CALL counting as one (runs to its return)
  step,     // N source lines, entering calls that have line information
  next,     // N source lines of this function, over calls
  finish,   // until the selected frame returns
  until,    // until LOC (until and advance are the same here)
  start,    // from the entry point again (run)
  go_to,    // to the moment before instruction N (loc "insn:N"), or a LOC's last execution before
            // now (its first after now if it has not run yet), stopping at nothing on the way
  // Backwards (gdb's reverse execution), through the recording:
  reverse_stepi,     // back over the selected thread's previous N instructions
  reverse_nexti,     // the same, a call counting as one instruction
  reverse_step,      // back to the beginning of the previous source line, entering calls
  reverse_next,      // the same in this frame, over calls
  reverse_continue,  // back to the last breakpoint, watched write or caught call before now
  reverse_finish,    // back to the CALL that called the selected frame
};

struct RunCommand {
  RunKind kind = RunKind::cont;
  std::uint64_t count = 1;
  std::string loc;           // until: a LOC (DESIGN.md)
  bool effects = true;       // record what ran (per instruction for stepi/nexti, net for calls)
};

// A memory range a run changed, with its bytes before and after, and a name when it has one.
struct WrittenRange {
  GuestAddr addr = 0;
  std::vector<std::uint8_t> before, after;
  std::string symbol;        // "runtime.m0.tls[0]", "allp[0].runnext", or ""
  bool by_kernel = false;
  KernelCause cause;         // by_kernel: which system call or signal delivery
  GuestAddr pc = 0;          // the instruction (or SYSCALL) that wrote it last (0: none)
};

// What a stretch of execution changed, seen from one thread: one instruction
// (stepi) or a whole call (nexti/next/finish over it).
struct Effects {
  int tid = 0;
  GuestAddr pc = 0;            // the first instruction that ran
  std::uint64_t insn = 0;      // its index (1-based, across all threads)
  std::uint64_t insns = 0;     // instructions run in all (all threads)
  bool net = false;            // a whole call or line (writes: the named net changes), not one instruction
  RegFile before, after;       // the thread's registers
  std::vector<WrittenRange> writes;  // a single instruction: every store; a call: the named ones
  std::uint64_t unnamed_writes = 0;  // a call: words written that have no name (not listed)
  std::vector<SyscallRecord> syscalls;
  std::vector<model::FieldChange> fields;  // runtime fields that changed
};

enum class StopCause {
  step_done,         // the stepping command finished
  location_reached,  // until/advance/finish/goto reached its place
  breakpoint,
  watchpoint,
  catchpoint,
  signal,            // a signal is about to be delivered to the guest
  exited,            // the guest exited (exit_status)
  killed,            // a signal with no handler ended it (signal, exit status 128+N)
  before_exit,       // stopped before exit_group (a stepped thread never ran again)
  deadlock,          // every thread is blocked for good
  interrupted,       // Ctrl-C
  gave_up,           // the command's limit was reached (note says which)
  history_start,     // going backwards reached the start of the recording
  stopped_by_gostep, // max-insns, max-memory, an unsupported system call, a guest gostep cannot run (exit 124)
};

struct BreakpointHit {
  int number = 0;
  bool temporary = false;  // it is gone now
  int hits = 0;            // including this one
};

struct WatchHit {
  int number = 0;
  std::string expr;
  std::optional<Value> old_value, new_value;  // nullopt: not readable
  GuestAddr writer_pc = 0;        // the instruction (or SYSCALL) that wrote; 0 for a signal frame
  std::uint64_t writer_insn = 0;  // its index
  int writer_tid = 0;
  KernelCause cause;              // the Linux layer wrote it (not an instruction)
  bool scope_ended = false;       // (locals, later) its frame returned
};

struct CatchHit {
  int number = 0;
  std::uint64_t syscall_nr = 0;
};

struct StopEvent {
  std::vector<StopCause> causes;  // everything that stopped it
  std::vector<BreakpointHit> breakpoints;
  std::vector<WatchHit> watchpoints;
  std::optional<CatchHit> catchpoint;
  int signal = 0;                 // signal, killed
  int exit_status = 0;            // exited, killed, stopped_by_gostep
  StopReason reason;              // the process's own stop (for reports)
  // Where the guest stands now.
  int tid = 0;                    // the thread that stopped (the selected thread afterwards)
  bool thread_changed = false;    // not the thread selected before
  GuestAddr pc = 0;
  std::uint64_t insn = 0;         // the index of the instruction about to run
  std::uint64_t recorded = 0;     // instructions recorded (insn <= recorded: the session is in the past)
  // What ran.
  std::vector<Effects> steps;     // stepi/nexti with effects: each instruction (a call: its net effect);
                                  // reverse-stepi: the instructions undone, their effects as forwards
  bool reverse = false;           // a reverse command: `steps` were undone
  std::optional<Effects> net;     // finish/next over a call: the net effect
  std::uint64_t insns_run = 0;
  std::string note;               // "returned from runtime.newproc", what a gave_up stop gave up on
  std::optional<std::string> blocked;  // the stepped thread was blocked: "futex wait", "sleep"...
  int blocked_tid = 0;                 // which thread that was

  bool has(StopCause c) const;
  bool ended() const { return has(StopCause::exited) || has(StopCause::killed); }
};

const char* to_string(StopCause c);

}  // namespace gostep::engine
