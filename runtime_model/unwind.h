// Unwinding Go 1.19 amd64 stacks with the runtime's own metadata, the way
// runtime.gentraceback does (runtime/traceback.go):
// - pclntab's pcsp table gives, at each pc of a function, how far SP is below
//   the frame's entry SP (the "spdelta"); the return address is at SP + spdelta
//   and the caller's SP is that + 8. The assembler computes pcsp for assembly
//   functions too, so rt0_go, mstart, systemstack and gogo unwind the same way.
// - functions flagged TOPFRAME (runtime.rt0_go, runtime.mstart, runtime.goexit)
//   are the outermost frame of their stack, as is the ELF entry code (_rt0_*);
// - functions flagged SPWRITE (they write SP in ways pcsp cannot describe) end
//   the unwind, except runtime.systemstack and runtime.morestack running on g0,
//   which continue on the goroutine's stack from curg.sched (as Go does with
//   _TraceJumpStack).
// It needs nothing but the pclntab and a memory reader: the unit tests use it directly.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "runtime_model/dwarf_reader.h"
#include "runtime_model/pclntab.h"

namespace gostep::model {

// Where the thread's goroutines are, for the system stack switch: the current g
// (TLS slot -8(FS)), its m's g0 and curg, and curg.sched. Zero when unknown.
struct GContext {
  std::uint64_t g = 0, g0 = 0, curg = 0;
  std::uint64_t curg_sched_sp = 0, curg_sched_pc = 0;
  std::int64_t curg_goid = -1;
};

struct Frame {
  std::uint64_t pc = 0;        // frame 0: the next instruction; callers: the return address
  std::uint64_t sp = 0;        // SP in this frame (at pc)
  std::int32_t frame_size = 0; // pcsp's spdelta at pc: SP's distance below the entry SP
  std::uint64_t ret_slot = 0;  // where the return address is (0: outermost / unknown)
  std::uint64_t ret_addr = 0;
  std::uint64_t cfa = 0;       // the caller's SP once this frame returns (0: none)
  std::optional<PclnFunction> func;
  bool outermost = false;      // TOPFRAME: nothing called this frame
  std::string note;            // a stack switch made after this frame
  // The pc to look names and lines up at: a caller's pc is a return address, and
  // the CALL before it is the line being executed.
  std::uint64_t lookup_pc = 0;
  // Filled in by engine::backtrace, which gives each inlined call a frame of its own
  // (gdb and Delve do): the name and line this frame shows.
  std::string function;              // "main.add"; a physical frame: its ELF symbol ("runtime.rt0_go.abi0")
  std::optional<SourceLine> source;  // an inlined call's caller shows the line of the call
  bool inlined = false;              // an inlined call, inside the next physical frame
  int inline_index = 0;              // 0: the innermost call of its physical frame
};

struct Unwind {
  std::vector<Frame> frames;
  std::string stopped;     // why the unwind ended early ("" at the outermost frame or the limit)
  bool truncated = false;  // hit max_frames
};

using ReadWord = std::function<std::optional<std::uint64_t>(std::uint64_t)>;

Unwind unwind_stack(const Pclntab& table, std::uint64_t pc, std::uint64_t sp, GContext gc, const ReadWord& read,
                    std::size_t max_frames = 1000);

}  // namespace gostep::model
