// Unicorn's translated blocks as block counting sees them: for a block (its
// start and byte size, as the block hook reports them) the number of
// instructions, where each starts, and whether the last one transfers
// control. Each block is decoded once (x86_length.h, Capstone for what it
// does not know); the block hook looks it up on every execution, in an
// open-addressed table whose entry holds what the hook needs.
//
// A run of hello decodes ~4,700 blocks; Unicorn's own block hook costs the
// most, so what is ours must be cheap: no allocation per block (blocks live
// in a deque, their instruction offsets in shared chunks), and a lookup
// reads an entry or two of 32 bytes.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <vector>

#include "disassembler.h"
#include "guest.h"

namespace gostep {

struct Block {
  GuestAddr start = 0;
  std::uint32_t size = 0;              // bytes
  std::uint32_t count = 0;             // instructions
  bool ends_with_transfer = false;     // its last instruction is a jump, call, ret, syscall, REP iteration...
  const std::uint16_t* offsets = nullptr;  // start of each instruction, from `start` (count of them)

  // Instructions of this block before `addr`: its index, or `count` for the
  // block's end or an address outside it (the block ran to its end).
  std::uint32_t executed_before(GuestAddr addr) const;
  GuestAddr insn_addr(std::uint32_t index) const { return start + offsets[index]; }
  GuestAddr last_insn() const { return insn_addr(count - 1); }
};

// An RDTSC or RDTSCP a decoded block holds.
struct TscInsn {
  GuestAddr addr = 0;
  std::uint32_t length = 0;
  bool rdtscp = false;
};

class BlockCache {
 public:
  // What the block hook needs of a block, in half a cache line.
  struct Slot {
    GuestAddr start = 0;
    std::uint32_t size = 0;
    std::uint32_t count = 0;
    const Block* block = nullptr;  // nullptr: an empty entry
    bool ends_with_transfer = false;
  };
  BlockCache();
  // The block decoded already, or nullptr: then add() it.
  const Slot* find(GuestAddr start, std::uint32_t size) const {
    for (std::size_t i = home(start);; i = (i + 1) & mask_) {
      const Slot& s = slots_[i];
      if (!s.block) return nullptr;
      if (s.start == start && s.size == size) return &s;
    }
  }
  // Decodes the block; `code` points at its bytes (gostep's guest memory).
  // Its RDTSC and RDTSCP instructions are appended to `tsc`.
  const Slot& add(GuestAddr start, std::uint32_t size, const std::uint8_t* code, std::vector<TscInsn>& tsc);
  // Forgets every block (code memory changed or was unmapped).
  void clear();
  std::size_t size() const { return blocks_.size(); }

 private:
  static constexpr int kInitialBits = 13;
  static constexpr std::size_t kChunk = 1 << 14;  // offsets per chunk; a block has at most 512
  // Fibonacci hashing: the blocks of a function start a few bytes apart, and
  // linear probing wants them spread.
  std::size_t home(GuestAddr start) const { return (start * 0x9e3779b97f4a7c15ULL) >> shift_; }
  void resize(int bits);
  Slot& insert(const Block& b);
  void grow();
  std::uint16_t* offsets_room(std::size_t n);

  Disassembler dis_;
  std::vector<Slot> slots_;
  std::size_t mask_ = 0;
  int shift_ = 64;
  std::deque<Block> blocks_;
  std::vector<std::unique_ptr<std::uint16_t[]>> chunks_;
  std::size_t chunk_used_ = kChunk;   // in the last chunk
  std::vector<std::uint16_t> scratch_;  // the block being decoded
};

}  // namespace gostep
