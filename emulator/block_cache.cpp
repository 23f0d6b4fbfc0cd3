#include "block_cache.h"

#include <algorithm>
#include <optional>

#include "x86_length.h"

namespace gostep {

std::uint32_t Block::executed_before(GuestAddr addr) const {
  if (addr < start || addr >= start + size) return count;
  const auto off = static_cast<std::uint16_t>(addr - start);
  // The first instruction starting at or after `addr`: those before it ran.
  return static_cast<std::uint32_t>(std::lower_bound(offsets, offsets + count, off) - offsets);
}

BlockCache::BlockCache() { resize(kInitialBits); }

void BlockCache::resize(int bits) {
  slots_.assign(std::size_t{1} << bits, Slot{});
  mask_ = slots_.size() - 1;
  shift_ = 64 - bits;
}

const BlockCache::Slot& BlockCache::add(GuestAddr start, std::uint32_t size, const std::uint8_t* code,
                                        std::vector<TscInsn>& tsc) {
  // QEMU ends a block within the page after the one it starts in, so a
  // block's offsets fit 16 bits.
  if (size > 0xffff) throw EmulatorError("Unicorn translated a block of more than 64 KiB");
  Block b;
  b.start = start;
  b.size = size;
  scratch_.clear();
  std::uint32_t off = 0;
  while (off < size) {
    scratch_.push_back(static_cast<std::uint16_t>(off));
    const X86Insn fast = x86_decode(code + off, size - off);
    auto shape = fast.length ? std::optional<Disassembler::Shape>({fast.length, fast.transfer, fast.tsc})
                             : dis_.shape({code + off, size - off});
    if (!shape) {
      // Bytes Capstone does not decode: Unicorn ends the block there with #UD,
      // as one instruction that never completes.
      b.ends_with_transfer = false;
      break;
    }
    if (shape->tsc != TscRead::none) tsc.push_back({start + off, shape->size, shape->tsc == TscRead::rdtscp});
    b.ends_with_transfer = shape->transfer;
    off += shape->size;
  }
  b.count = static_cast<std::uint32_t>(scratch_.size());
  std::uint16_t* offsets = offsets_room(scratch_.size());
  std::copy(scratch_.begin(), scratch_.end(), offsets);
  b.offsets = offsets;
  blocks_.push_back(b);
  if (4 * blocks_.size() > 3 * slots_.size()) grow();
  return insert(blocks_.back());
}

// A new block's entry (add() has checked it is not there).
BlockCache::Slot& BlockCache::insert(const Block& b) {
  std::size_t i = home(b.start);
  while (slots_[i].block) i = (i + 1) & mask_;
  slots_[i] = {b.start, b.size, b.count, &b, b.ends_with_transfer};
  return slots_[i];
}

// Keeps the table at most three quarters full: a lookup probes two or three
// entries on average, and hello's ~4,700 blocks fit the first 256 KiB.
void BlockCache::grow() {
  resize(65 - shift_);
  for (const Block& b : blocks_) insert(b);
}

std::uint16_t* BlockCache::offsets_room(std::size_t n) {
  if (chunk_used_ + n > kChunk) {
    chunks_.push_back(std::make_unique_for_overwrite<std::uint16_t[]>(std::max(n, kChunk)));
    chunk_used_ = 0;
  }
  std::uint16_t* p = chunks_.back().get() + chunk_used_;
  chunk_used_ += n;
  return p;
}

void BlockCache::clear() {
  blocks_.clear();
  chunks_.clear();
  chunk_used_ = kChunk;
  resize(kInitialBits);
}

}  // namespace gostep
