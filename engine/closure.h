// The variables a closure captured. Go 1.19's DWARF has no layout for a closure
// object (funcval {fn; captured...}: DW_AT_go_closure_offset came later), so the
// layout is read from the closure's own code, as the compiler wrote it: at its
// entry the closure loads each captured variable from an offset of its context
// register (DX in Go's ABIInternal), and DWARF names the register the value lands
// in (`&count` in CX right after `MOVQ 0x10(DX), CX`). Captured variables the
// closure's DWARF does not name are left out.
#pragma once

#include <vector>

#include "engine/value.h"
#include "engine/value_reader.h"
#include "session/session.h"

namespace gostep::engine {

// The captured variables of the closure object at `obj` whose code starts at
// `fn`, each named as Go names it (an escaped `&x` is x, read through its pointer).
std::vector<Value> captured_variables(Session& s, const ValueReader& reader, GuestAddr fn, GuestAddr obj,
                                      std::vector<Range>* reads);

}  // namespace gostep::engine

namespace gostep::engine {
// A reader of the program's values (DWARF required): funcs named by the
// symbolizer, closures with their captured variables.
ValueReader program_reader(Session& s);
}  // namespace gostep::engine
