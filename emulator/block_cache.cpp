#include "block_cache.h"

#include <algorithm>
#include <optional>

#include "x86_length.h"

namespace gostep {

std::uint32_t Block::executed_before(GuestAddr addr) const {
  if (addr < start || addr >= start + size) return count;
  const auto off = static_cast<std::uint32_t>(addr - start);
  // The first instruction starting at or after `addr`: those before it ran.
  return static_cast<std::uint32_t>(std::lower_bound(offsets.begin(), offsets.end(), off) - offsets.begin());
}

const BlockCache::Slot* BlockCache::lookup(Slot& s, GuestAddr start, std::uint32_t size) {
  auto it = blocks_.find(key(start, size));
  if (it == blocks_.end() || it->second->start != start || it->second->size != size) return nullptr;
  s = slot_of(*it->second);
  return &s;
}

const BlockCache::Slot& BlockCache::add(GuestAddr start, std::uint32_t size, const std::uint8_t* code) {
  auto b = std::make_unique<Block>();
  b->start = start;
  b->size = size;
  std::uint32_t off = 0;
  while (off < size) {
    b->offsets.push_back(off);
    const X86Insn fast = x86_decode(code + off, size - off);
    auto shape = fast.length ? std::optional<Disassembler::Shape>({fast.length, fast.transfer})
                             : dis_.shape({code + off, size - off});
    if (!shape) {
      // Bytes Capstone does not decode: Unicorn ends the block there with #UD,
      // as one instruction that never completes.
      b->ends_with_transfer = false;
      break;
    }
    b->ends_with_transfer = shape->transfer;
    off += shape->size;
  }
  b->count = static_cast<std::uint32_t>(b->offsets.size());
  Slot& s = slot(start);
  s = slot_of(*b);
  blocks_.insert_or_assign(key(start, size), std::move(b));
  return s;
}

void BlockCache::clear() {
  blocks_.clear();
  slots_.fill(Slot{});
}

}  // namespace gostep
