#include "x86_length.h"

#include <array>

namespace gostep {
namespace {

// What follows an opcode byte. Intel SDM vol. 2, appendix A (opcode maps),
// in 64-bit mode; where QEMU decodes differently from the manual, as QEMU
// does, since QEMU's reading is what executes.
enum : std::uint16_t {
  kModrm = 1 << 0,
  kImm8 = 1 << 1,
  kImm16 = 1 << 2,
  kImmZ = 1 << 3,      // 2 bytes with a 0x66 prefix (and no REX.W), else 4
  kImmV = 1 << 4,      // MOV r, imm: 8 with REX.W, 2 with 0x66, else 4
  kImmAddr = 1 << 5,   // MOV moffs: 8, or 4 with 0x67
  kRel = 1 << 6,       // near branch displacement: 2 with 0x66 (QEMU), else 4
  kInvalid = 1 << 7,   // invalid in 64-bit mode, or VEX/EVEX (Unicorn cannot run them)
  kTransfer = 1 << 8,
  kString = 1 << 9,    // a transfer when REP-prefixed
  kGroup3 = 1 << 10,   // F6/F7: an immediate only for TEST (reg 0, 1)
  kGroup5 = 1 << 11,   // FF: a transfer for CALL/JMP (reg 2..5)
};

using Map = std::array<std::uint16_t, 256>;

constexpr Map one_byte_map() {
  Map m{};
  for (int row = 0; row < 8; ++row) {  // 00-3F: ALU ops in their eight-byte rows
    const int b = row * 8;
    m[b] = m[b + 1] = m[b + 2] = m[b + 3] = kModrm;
    m[b + 4] = kImm8;
    m[b + 5] = kImmZ;
    m[b + 6] = m[b + 7] = kInvalid;  // push/pop segment, DAA and friends
  }
  m[0x0f] = 0;  // escape, handled by the caller
  for (int b = 0x50; b <= 0x5f; ++b) m[b] = 0;
  m[0x60] = m[0x61] = m[0x62] = kInvalid;  // 0x62 is EVEX
  m[0x63] = kModrm;
  m[0x68] = kImmZ;
  m[0x69] = kModrm | kImmZ;
  m[0x6a] = kImm8;
  m[0x6b] = kModrm | kImm8;
  for (int b = 0x6c; b <= 0x6f; ++b) m[b] = kString;
  for (int b = 0x70; b <= 0x7f; ++b) m[b] = kImm8 | kTransfer;
  m[0x80] = m[0x83] = kModrm | kImm8;
  m[0x81] = kModrm | kImmZ;
  m[0x82] = kInvalid;
  for (int b = 0x84; b <= 0x8f; ++b) m[b] = kModrm;
  for (int b = 0x90; b <= 0x9f; ++b) m[b] = 0;
  m[0x9a] = kInvalid;
  for (int b = 0xa0; b <= 0xa3; ++b) m[b] = kImmAddr;
  for (int b = 0xa4; b <= 0xaf; ++b) m[b] = kString;
  m[0xa8] = kImm8;
  m[0xa9] = kImmZ;
  for (int b = 0xb0; b <= 0xb7; ++b) m[b] = kImm8;
  for (int b = 0xb8; b <= 0xbf; ++b) m[b] = kImmV;
  m[0xc0] = m[0xc1] = m[0xc6] = kModrm | kImm8;
  m[0xc2] = m[0xca] = kImm16 | kTransfer;
  m[0xc3] = m[0xcb] = m[0xcc] = m[0xcf] = kTransfer;
  m[0xc4] = m[0xc5] = kInvalid;  // VEX
  m[0xc7] = kModrm | kImmZ;
  m[0xc8] = kImm16 | kImm8;
  m[0xc9] = 0;
  m[0xcd] = kImm8 | kTransfer;
  m[0xce] = kInvalid;
  for (int b = 0xd0; b <= 0xd3; ++b) m[b] = kModrm;
  m[0xd4] = m[0xd5] = m[0xd6] = kInvalid;
  m[0xd7] = 0;
  for (int b = 0xd8; b <= 0xdf; ++b) m[b] = kModrm;
  for (int b = 0xe0; b <= 0xe3; ++b) m[b] = kImm8 | kTransfer;  // LOOPcc, JRCXZ
  for (int b = 0xe4; b <= 0xe7; ++b) m[b] = kImm8;
  m[0xe8] = m[0xe9] = kRel | kTransfer;
  m[0xea] = kInvalid;
  m[0xeb] = kImm8 | kTransfer;
  for (int b = 0xec; b <= 0xef; ++b) m[b] = 0;
  m[0xf1] = kTransfer;  // INT1
  m[0xf4] = m[0xf5] = 0;
  m[0xf6] = m[0xf7] = kModrm | kGroup3;
  for (int b = 0xf8; b <= 0xfd; ++b) m[b] = 0;
  m[0xfe] = kModrm;
  m[0xff] = kModrm | kGroup5;
  return m;
}

constexpr Map two_byte_map() {  // 0F xx
  Map m{};
  for (auto& e : m) e = kModrm;  // most of the map: SSE, MMX, CMOVcc, SETcc...
  m[0x04] = m[0x0a] = m[0x0c] = kInvalid;
  m[0x05] = m[0x07] = m[0x34] = m[0x35] = kTransfer;  // SYSCALL, SYSRET, SYSENTER, SYSEXIT
  m[0x06] = m[0x08] = m[0x09] = m[0x0b] = m[0x0e] = 0;
  m[0x0f] = kModrm | kImm8;  // 3DNow!: the opcode is a trailing byte
  for (int b = 0x24; b <= 0x27; ++b) m[b] = kInvalid;
  for (int b = 0x30; b <= 0x33; ++b) m[b] = 0;  // WRMSR, RDTSC, RDMSR, RDPMC
  m[0x36] = m[0x39] = kInvalid;
  m[0x37] = 0;
  m[0x38] = m[0x3a] = 0;  // escapes, handled by the caller
  for (int b = 0x3b; b <= 0x3f; ++b) m[b] = kInvalid;
  m[0x70] = m[0x71] = m[0x72] = m[0x73] = kModrm | kImm8;
  m[0x77] = 0;
  m[0x7a] = m[0x7b] = kInvalid;
  for (int b = 0x80; b <= 0x8f; ++b) m[b] = kRel | kTransfer;
  m[0xa0] = m[0xa1] = m[0xa2] = m[0xa8] = m[0xa9] = m[0xaa] = 0;
  m[0xa4] = m[0xac] = m[0xba] = m[0xc2] = kModrm | kImm8;
  m[0xc4] = m[0xc5] = m[0xc6] = kModrm | kImm8;
  m[0xa6] = m[0xa7] = kInvalid;
  for (int b = 0xc8; b <= 0xcf; ++b) m[b] = 0;  // BSWAP
  return m;
}

constexpr Map kOneByte = one_byte_map();
constexpr Map kTwoByte = two_byte_map();

// What a byte before the opcode is: a table, since every instruction asks.
enum : std::uint8_t { kOpcodeByte = 0, kLegacyPrefix = 1, kRexPrefix = 2 };

constexpr std::array<std::uint8_t, 256> prefix_kinds() {
  std::array<std::uint8_t, 256> k{};
  for (const int b : {0xf0, 0xf2, 0xf3, 0x2e, 0x36, 0x3e, 0x26, 0x64, 0x65, 0x66, 0x67}) k[b] = kLegacyPrefix;
  for (int b = 0x40; b <= 0x4f; ++b) k[b] = kRexPrefix;
  return k;
}

constexpr std::array<std::uint8_t, 256> kPrefixKind = prefix_kinds();

// Immediates whose size depends on prefixes (or on ModRM's reg field).
constexpr std::uint16_t kVariableImm = kImmZ | kImmV | kImmAddr | kRel | kGroup3;

// Bytes of a ModRM byte and what it brings (SIB, displacement).
std::uint32_t modrm_length(const std::uint8_t* p, std::uint32_t avail) {
  if (avail < 1) return 0;
  const std::uint8_t modrm = p[0];
  const int mod = modrm >> 6, rm = modrm & 7;
  std::uint32_t n = 1;
  if (mod == 3) return n;
  if (rm == 4) {
    if (avail < 2) return 0;
    ++n;
    if (mod == 0 && (p[1] & 7) == 5) n += 4;
  } else if (mod == 0 && rm == 5) {
    n += 4;  // RIP-relative
  }
  if (mod == 1) n += 1;
  if (mod == 2) n += 4;
  return n;
}

}  // namespace

X86Insn x86_decode(const std::uint8_t* p, std::uint32_t avail) {
  const std::uint32_t limit = avail < 15 ? avail : 15;
  std::uint32_t i = 0;
  bool opsize = false, addrsize = false, rep = false, rex_w = false;
  for (; i < limit; ++i) {
    const std::uint8_t b = p[i];
    const std::uint8_t kind = kPrefixKind[b];
    if (kind == kOpcodeByte) break;
    if (kind == kLegacyPrefix) {
      opsize |= b == 0x66;
      addrsize |= b == 0x67;
      rep |= b == 0xf2 || b == 0xf3;
      rex_w = false;  // a REX byte counts only right before the opcode
    } else {
      rex_w = b & 8;
    }
  }
  if (i >= limit) return {};
  std::uint16_t flags;
  std::uint8_t opcode = p[i++];
  bool two_byte = false;
  if (opcode == 0x0f) {
    if (i >= limit) return {};
    opcode = p[i++];
    two_byte = true;
    if (opcode == 0x38 || opcode == 0x3a) {
      if (i >= limit) return {};
      ++i;  // the third opcode byte
      flags = opcode == 0x38 ? kModrm : (kModrm | kImm8);
    } else {
      flags = kTwoByte[opcode];
    }
  } else {
    flags = kOneByte[opcode];
  }
  if (flags & kInvalid) return {};
  X86Insn out;
  std::uint8_t reg = 0;
  if (two_byte && opcode == 0x31) out.tsc = TscRead::rdtsc;
  if (flags & kModrm) {
    if (i >= limit) return {};
    reg = (p[i] >> 3) & 7;
    if (two_byte && opcode == 0x01 && p[i] == 0xf9) out.tsc = TscRead::rdtscp;
    const std::uint32_t n = modrm_length(p + i, limit - i);
    if (n == 0) return {};
    i += n;
  }
  std::uint32_t imm = (flags & kImm8 ? 1 : 0) + (flags & kImm16 ? 2 : 0);
  if (flags & kVariableImm) {
    if (flags & kImmZ) imm += opsize && !rex_w ? 2 : 4;
    if (flags & kImmV) imm += rex_w ? 8 : opsize ? 2 : 4;
    if (flags & kImmAddr) imm += addrsize ? 4 : 8;
    if (flags & kRel) imm += opsize ? 2 : 4;
    if ((flags & kGroup3) && reg < 2) imm += opcode == 0xf6 ? 1 : (opsize && !rex_w ? 2 : 4);
  }
  i += imm;
  if (i > limit) return {};
  out.length = static_cast<std::uint8_t>(i);
  out.transfer = (flags & kTransfer) || ((flags & kString) && rep) ||
                 ((flags & kGroup5) && !two_byte && reg >= 2 && reg <= 5);
  return out;
}

}  // namespace gostep
