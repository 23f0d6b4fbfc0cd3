#include "disassembler.h"

#include <fmt/format.h>

#include <algorithm>

namespace gostep {

Disassembler::Disassembler(Syntax syntax) {
  ok_ = cs_open(CS_ARCH_X86, CS_MODE_64, &handle_) == CS_ERR_OK;
  if (!ok_) return;
  cs_option(handle_, CS_OPT_DETAIL, CS_OPT_ON);  // groups (call/jump/ret) and operands
  if (syntax == Syntax::att) cs_option(handle_, CS_OPT_SYNTAX, CS_OPT_SYNTAX_ATT);
  scratch_ = cs_malloc(handle_);
}

Disassembler::~Disassembler() {
  if (scratch_) cs_free(scratch_, 1);
  if (ok_) cs_close(&handle_);
}

Instruction Disassembler::convert(const cs_insn& in) const {
  Instruction out;
  out.addr = in.address;
  out.size = in.size;
  out.id = in.id;
  out.mnemonic = in.mnemonic;
  out.operands = readable_segment_offsets(in.op_str);
  if (!in.detail) return out;
  const cs_detail& d = *in.detail;
  auto in_group = [&](std::uint8_t g) { return std::find(d.groups, d.groups + d.groups_count, g) != d.groups + d.groups_count; };
  if (in_group(CS_GRP_CALL)) out.flow = Flow::call;
  else if (in_group(CS_GRP_RET) || in_group(CS_GRP_IRET)) out.flow = Flow::ret;
  else if (in.id == X86_INS_SYSCALL || in.id == X86_INS_SYSENTER) out.flow = Flow::syscall;
  else if (in_group(CS_GRP_INT)) out.flow = Flow::interrupt;
  else if (in_group(CS_GRP_JUMP)) out.flow = in.id == X86_INS_JMP || in.id == X86_INS_LJMP ? Flow::jump : Flow::cond_jump;
  const cs_x86& x = d.x86;
  out.ops.assign(x.operands, x.operands + x.op_count);
  if ((out.flow == Flow::call || out.flow == Flow::jump || out.flow == Flow::cond_jump) && x.op_count == 1 &&
      x.operands[0].type == X86_OP_IMM)
    out.target = static_cast<GuestAddr>(x.operands[0].imm);
  return out;
}

std::optional<Instruction> Disassembler::decode(std::span<const std::uint8_t> code, GuestAddr addr) const {
  if (!ok_ || !scratch_ || code.empty()) return std::nullopt;
  const std::uint8_t* p = code.data();
  std::size_t n = code.size();
  std::uint64_t a = addr;
  if (!cs_disasm_iter(handle_, &p, &n, &a, scratch_)) return std::nullopt;
  return convert(*scratch_);
}

std::optional<Disassembler::Shape> Disassembler::shape(std::span<const std::uint8_t> code) const {
  if (!ok_ || !scratch_ || code.empty()) return std::nullopt;
  const std::uint8_t* p = code.data();
  std::size_t n = code.size();
  std::uint64_t a = 0;
  if (!cs_disasm_iter(handle_, &p, &n, &a, scratch_)) return std::nullopt;
  const cs_detail& d = *scratch_->detail;
  Shape s;
  s.size = scratch_->size;
  for (std::uint8_t i = 0; i < d.groups_count; ++i) {
    const std::uint8_t g = d.groups[i];
    s.transfer |= g == CS_GRP_JUMP || g == CS_GRP_CALL || g == CS_GRP_RET || g == CS_GRP_IRET || g == CS_GRP_INT;
  }
  s.transfer |= scratch_->id == X86_INS_SYSCALL || scratch_->id == X86_INS_SYSENTER;
  if (scratch_->id == X86_INS_RDTSC) s.tsc = TscRead::rdtsc;
  if (scratch_->id == X86_INS_RDTSCP) s.tsc = TscRead::rdtscp;
  // A REP string instruction: QEMU runs each iteration as a block of its own.
  // By opcode, not by Capstone's id (SSE's F2 0F 10 is X86_INS_MOVSD too).
  const std::uint8_t op = d.x86.opcode[0];
  const bool string_op = d.x86.opcode[1] == 0 && ((op >= 0x6c && op <= 0x6f) || (op >= 0xa4 && op <= 0xa7) ||
                                                  (op >= 0xaa && op <= 0xaf));
  s.transfer |= string_op && (d.x86.prefix[0] == 0xf2 || d.x86.prefix[0] == 0xf3);
  return s;
}

std::vector<Instruction> Disassembler::decode_all(std::span<const std::uint8_t> code, GuestAddr addr) const {
  std::vector<Instruction> out;
  if (!ok_ || !scratch_) return out;
  const std::uint8_t* p = code.data();
  std::size_t n = code.size();
  std::uint64_t a = addr;
  while (n > 0 && cs_disasm_iter(handle_, &p, &n, &a, scratch_)) out.push_back(convert(*scratch_));
  return out;
}

// Capstone prints a negative displacement on a segment as its 64-bit two's
// complement (%fs:0xfffffffffffffff8); Go and gdb users read %fs:-8.
std::string readable_segment_offsets(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    const bool seg = (text.compare(i, 6, "%fs:0x") == 0 || text.compare(i, 6, "%gs:0x") == 0 ||
                      text.compare(i, 5, "fs:0x") == 0 || text.compare(i, 5, "gs:0x") == 0);
    const std::size_t hex_at = i + (text[i] == '%' ? 6 : 5);
    if (seg && hex_at + 16 <= text.size() && text.compare(hex_at, 4, "ffff") == 0) {
      const std::uint64_t neg = 0 - std::stoull(text.substr(hex_at, 16), nullptr, 16);
      out += text.substr(i, hex_at - i - 2);  // "%fs:"
      out += neg < 10 ? fmt::format("-{}", neg) : fmt::format("-{:#x}", neg);
      i = hex_at + 16;
      continue;
    }
    out += text[i++];
  }
  return out;
}

std::string disassemble_one(std::span<const std::uint8_t> code, GuestAddr addr) {
  static const Disassembler att;  // one handle for the process' one-off decodes
  const auto in = att.decode(code, addr);
  return in ? in->text() : "(bad)";
}

}  // namespace gostep
