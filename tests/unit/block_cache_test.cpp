// The block cache (emulator/block_cache.h): what the block hook finds for a
// block once it is decoded, across the table's growth and a clear, and the
// RDTSC/RDTSCP instructions it reports as it decodes.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "emulator/block_cache.h"

namespace gostep {
namespace {

// nop; mov $0x310f,%eax (the bytes of RDTSC inside an immediate); rdtsc; rdtscp; jmp .
const std::vector<std::uint8_t> kCode = {0x90, 0xb8, 0x0f, 0x31, 0x00, 0x00, 0x0f, 0x31, 0x0f, 0x01, 0xf9, 0xeb, 0xfe};

TEST(BlockCache, DecodesABlockOnceAndFindsItByStartAndSize) {
  BlockCache cache;
  EXPECT_EQ(cache.find(0x1000, 13), nullptr);
  std::vector<TscInsn> tsc;
  const BlockCache::Slot& s = cache.add(0x1000, 13, kCode.data(), tsc);
  EXPECT_EQ(s.count, 5u);
  EXPECT_TRUE(s.ends_with_transfer);
  ASSERT_EQ(cache.find(0x1000, 13), &s);
  EXPECT_EQ(cache.find(0x1000, 6), nullptr) << "another size is another block";
  const Block& b = *s.block;
  EXPECT_EQ(b.insn_addr(2), 0x1006u);
  EXPECT_EQ(b.last_insn(), 0x100bu);
  EXPECT_EQ(b.executed_before(0x1000), 0u);
  EXPECT_EQ(b.executed_before(0x1006), 2u);
  EXPECT_EQ(b.executed_before(0x1007), 3u) << "inside an instruction: it did not complete";
  EXPECT_EQ(b.executed_before(0x2000), 5u) << "outside: the block ran to its end";
  // Only the real RDTSC and RDTSCP, not the bytes inside the MOV.
  ASSERT_EQ(tsc.size(), 2u);
  EXPECT_EQ(tsc[0].addr, 0x1006u);
  EXPECT_EQ(tsc[0].length, 2u);
  EXPECT_FALSE(tsc[0].rdtscp);
  EXPECT_EQ(tsc[1].addr, 0x1008u);
  EXPECT_EQ(tsc[1].length, 3u);
  EXPECT_TRUE(tsc[1].rdtscp);
}

TEST(BlockCache, EveryBlockIsFoundAfterTheTableGrows) {
  BlockCache cache;
  std::vector<TscInsn> tsc;
  std::vector<const Block*> added;
  // Blocks a few bytes apart, as a function's are: 50,000 of them, several
  // times the table's first size, and more offsets than one chunk holds.
  for (GuestAddr a = 0x400000; added.size() < 50'000; a += 3)
    added.push_back(cache.add(a, 13, kCode.data(), tsc).block);
  EXPECT_EQ(cache.size(), added.size());
  for (const Block* b : added) {
    const BlockCache::Slot* s = cache.find(b->start, 13);
    ASSERT_NE(s, nullptr) << std::hex << b->start;
    EXPECT_EQ(s->block, b) << "a block stays where it was when the table grows";
    EXPECT_EQ(s->block->insn_addr(4), b->start + 11);
  }
  cache.clear();
  EXPECT_EQ(cache.size(), 0u);
  EXPECT_EQ(cache.find(0x400000, 13), nullptr);
}

TEST(BlockCache, BytesNothingDecodesEndTheBlockAsOneInstruction) {
  BlockCache cache;
  std::vector<TscInsn> tsc;
  const std::vector<std::uint8_t> code = {0x90, 0x06};  // nop; push %es (invalid in 64-bit mode)
  const BlockCache::Slot& s = cache.add(0x1000, 2, code.data(), tsc);
  EXPECT_EQ(s.count, 2u);
  EXPECT_FALSE(s.ends_with_transfer);
  EXPECT_TRUE(tsc.empty());
}

}  // namespace
}  // namespace gostep
