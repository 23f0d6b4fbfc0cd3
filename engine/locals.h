// Local variables and arguments of a frame, from Go's DWARF (runtime_model's
// scopes_at): each one's location expression at the frame's pc is evaluated with
// the frame's CFA (DW_OP_call_frame_cfa, DW_OP_fbreg) and, in a frame whose
// registers are known, its registers; DW_OP_piece composites are assembled piece
// by piece. What has no location is "optimized out", said as such: Go's register
// ABI has no callee-saved registers, so a value that lived in a register in an
// outer frame or a parked goroutine is gone (TRAPS.md).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/stack.h"
#include "engine/value.h"
#include "engine/value_reader.h"
#include "session/session.h"

namespace gostep::engine {

// A frame whose variables an expression may name.
struct FrameRef {
  model::Frame frame;
  bool registers = false;  // `regs` are this frame's own (frame 0 of a running thread)
  RegFile regs{};
};

struct Variable {
  std::string name;         // as Go names it; an escaped "&x" is x, read through its pointer
  std::string type;
  bool is_arg = false;      // a parameter (results included: is_result)
  bool is_result = false;
  int decl_line = 0;
  bool in_registers = false;  // its location here names a register (only frame 0 of a thread has them)
  Evaluated<Value> value = EvalError{EvalErrorKind::optimized_out, "<optimized out>", ""};
};

// The frame that level `level` of `b` is, with registers when it has them.
std::optional<FrameRef> frame_ref(Session& s, const Backtrace& b, std::size_t level);

// The variables of a frame in DWARF's order (parameters first). Empty when the
// binary has no DWARF or the frame's function has no variables.
std::vector<Variable> frame_variables(Session& s, const ValueReader& reader, const FrameRef& f);

// One variable by name (the innermost of that name), or nullopt when the frame has none.
std::optional<Variable> frame_variable(Session& s, const ValueReader& reader, const FrameRef& f,
                                       const std::string& name);

}  // namespace gostep::engine
