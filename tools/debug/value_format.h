// Typed values (engine/value.h) as people read them, Go-style as Delve prints
// them: {goid: 1, atomicstatus: _Grunnable, ...}, nil, "text", [0x0, 0x0, ...],
// or in one of gdb's output formats (print/x: x d u o t a c s z).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "engine/value.h"

namespace gostep {

// Reads guest memory (Go strings point at their bytes).
using PeekMemory = std::function<bool(std::uint64_t addr, void* out, std::uint64_t len)>;

// `fmt` is 0 for the natural format, else a gdb format letter.
std::string format_value(const engine::Value& v, char fmt, const PeekMemory& peek);
// One number in a gdb output format of `size` bytes.
std::string format_scalar(std::uint64_t v, std::uint64_t size, char fmt);
// Bytes as a string literal: UTF-8 text as text, anything else escaped.
std::string quote_bytes(const std::vector<std::uint8_t>& b, bool more);

}  // namespace gostep
