// Examining memory and code as gdb does (x/FMT, display/i, disassemble): the
// formats, the symbolic labels of addresses, and the rendering of units.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "emulator/disassembler.h"
#include "engine/target.h"
#include "runtime_model/result.h"

namespace gostep {

struct XFormat {
  std::uint64_t count = 1;
  char fmt = 'x';
  char size = 'w';
  bool size_given = false;
  bool fmt_given = false;
};

// "8gx", "s", "3i": count, then format and size letters in any order.
model::Result<XFormat> parse_xformat(const std::string& s, char last_fmt, char last_size);

struct Examined {
  std::string text;
  std::string error;
  GuestAddr next = 0;
  nlohmann::ordered_json items = nlohmann::ordered_json::array();
};

// x/FMT at `addr` (pc marks the current instruction in x/i).
Examined examine(engine::Target& t, bool att, const XFormat& f, GuestAddr addr, GuestAddr pc);

// Function names without their ABI suffix, for suggestions.
std::vector<std::string> code_names(engine::Target& t);
// Names of data the evaluator knows (g0, m0, Go globals), for suggestions.
std::vector<std::string> data_names(engine::Target& t);
// "runtime.settls.abi0+14" (decimal, as gdb writes <sym+off>), or empty.
std::string code_label(engine::Target& t, GuestAddr a);
// What is at `a`: a function and offset, a global (at its start) or its field, or empty.
std::string symbolic(engine::Target& t, GuestAddr a);
// gdb names a branch's target: "jbe    0x45edf8 <runtime.settls.abi0+56>".
std::string with_target(engine::Target& t, const std::string& text);
// Up to 16 bytes of code at `addr`, fewer at the end of a mapping.
std::size_t read_code(engine::Target& t, GuestAddr addr, std::uint8_t (&buf)[16]);
// An instruction's text for x/i and disassemble (padded mnemonic), and its length (0: undecodable).
std::size_t decode_for_listing(const Disassembler& dis, const std::uint8_t* code, std::size_t len, GuestAddr addr,
                               std::string& text);

}  // namespace gostep
