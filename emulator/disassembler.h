// The one owner of Capstone handles: every site that decodes x86-64 (the effect
// display, nexti's "is this a CALL", disassemble, x/i, the milestones' pattern
// matching, stop reports) goes through this RAII wrapper, so handles are never
// leaked and every site prints instructions the same way (AT&T like gdb, with
// %fs:-8 rather than Capstone's %fs:0xfffffffffffffff8).
#pragma once

#include <capstone/capstone.h>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "guest.h"
#include "x86_length.h"

namespace gostep {

// What an instruction does to the flow of control (from Capstone's groups).
enum class Flow { none, call, jump, cond_jump, ret, syscall, interrupt };

struct Instruction {
  GuestAddr addr = 0;
  std::uint32_t size = 0;
  unsigned id = 0;             // Capstone's X86_INS_*
  std::string mnemonic;        // "movq"
  std::string operands;        // "%rcx, %fs:-8"
  Flow flow = Flow::none;
  std::optional<GuestAddr> target;  // a direct call's or jump's destination
  std::vector<cs_x86_op> ops;  // Capstone's operands (Intel order: ops[0] is the destination)

  GuestAddr next() const { return addr + size; }
  // "movq %rcx, %fs:-8", or the mnemonic alone.
  std::string text() const { return operands.empty() ? mnemonic : mnemonic + " " + operands; }
};

class Disassembler {
 public:
  enum class Syntax { att, intel };
  explicit Disassembler(Syntax syntax = Syntax::att);
  ~Disassembler();
  Disassembler(const Disassembler&) = delete;
  Disassembler& operator=(const Disassembler&) = delete;

  // The instruction at the start of `code` (which is at `addr`); nullopt if
  // the bytes do not decode.
  std::optional<Instruction> decode(std::span<const std::uint8_t> code, GuestAddr addr) const;
  // The length of the instruction at the start of `code` and whether control
  // leaves the straight line after it: a jump, call, return, system call,
  // interrupt, or one iteration of a REP string instruction, the instructions
  // after which Unicorn (QEMU) always ends a translated block. No text: block
  // counting decodes every translated block with it. nullopt if the bytes do
  // not decode.
  struct Shape {
    std::uint32_t size = 0;
    bool transfer = false;
    TscRead tsc = TscRead::none;
  };
  std::optional<Shape> shape(std::span<const std::uint8_t> code) const;
  // Every instruction of `code` in order, up to the first bytes that do not decode.
  std::vector<Instruction> decode_all(std::span<const std::uint8_t> code, GuestAddr addr) const;

 private:
  Instruction convert(const cs_insn& in) const;
  csh handle_ = 0;
  bool ok_ = false;
  cs_insn* scratch_ = nullptr;
};

// "%fs:0xfffffffffffffff8" -> "%fs:-8" (and Intel's "fs:0x...").
std::string readable_segment_offsets(const std::string& text);

// The text of the instruction at `code` ("mov %rcx, %fs:-8", AT&T), or "(bad)".
std::string disassemble_one(std::span<const std::uint8_t> code, GuestAddr addr);

}  // namespace gostep
