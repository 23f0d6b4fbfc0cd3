// Unicorn's translated blocks as block counting sees them: for a block (its
// start and byte size, as the block hook reports them) the number of
// instructions, where each starts, and whether the last one transfers control.
// Each block is decoded once (x86_length.h, Capstone for what it does not
// know); the block hook looks it up on every execution, so the lookup is a
// direct-mapped array in front of a hash map.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <unordered_map>
#include <vector>

#include "disassembler.h"
#include "guest.h"

namespace gostep {

struct Block {
  GuestAddr start = 0;
  std::uint32_t size = 0;              // bytes
  std::uint32_t count = 0;             // instructions
  bool ends_with_transfer = false;     // its last instruction is a jump, call, ret, syscall, REP iteration...
  std::vector<std::uint32_t> offsets;  // start of each instruction, from `start`

  // Instructions of this block before `addr`: its index, or `count` for the
  // block's end or an address outside it (the block ran to its end).
  std::uint32_t executed_before(GuestAddr addr) const;
  GuestAddr insn_addr(std::uint32_t index) const { return start + offsets[index]; }
  GuestAddr last_insn() const { return insn_addr(count - 1); }
};

class BlockCache {
 public:
  // What the block hook needs of a block, in one cache line.
  struct Slot {
    GuestAddr start = 0;
    std::uint32_t size = 0;
    std::uint32_t count = 0;
    bool ends_with_transfer = false;
    const Block* block = nullptr;
  };
  // Room for the blocks of a Go program's start-up without rehashing.
  BlockCache() { blocks_.reserve(4096); }
  // The block decoded already, or nullptr: then add() it.
  const Slot* find(GuestAddr start, std::uint32_t size) {
    Slot& s = slot(start);
    if (s.start == start && s.size == size && s.block) return &s;
    return lookup(s, start, size);
  }
  // Decodes the block; `code` points at its bytes (gostep's guest memory).
  const Slot& add(GuestAddr start, std::uint32_t size, const std::uint8_t* code);
  // Forgets every block (code memory changed or was unmapped).
  void clear();
  std::size_t size() const { return blocks_.size(); }

 private:
  static constexpr std::size_t kSlots = 1 << 15;
  Slot& slot(GuestAddr start) { return slots_[(start ^ (start >> 15)) & (kSlots - 1)]; }
  const Slot* lookup(Slot& s, GuestAddr start, std::uint32_t size);
  static Slot slot_of(const Block& b) { return {b.start, b.size, b.count, b.ends_with_transfer, &b}; }
  static std::uint64_t key(GuestAddr start, std::uint32_t size) { return (start << 16) ^ size; }

  Disassembler dis_;
  std::array<Slot, kSlots> slots_{};
  std::unordered_map<std::uint64_t, std::unique_ptr<Block>> blocks_;  // key: start, size
};

}  // namespace gostep
