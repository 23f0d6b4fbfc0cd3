// AddressSpace with a real Unicorn engine: the mapping table, Unicorn's regions
// over gostep's own bytes, touched memory, and what the Linux layer reads and
// writes through it.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "emulator/address_space.h"
#include "emulator/unicorn_engine.h"

#include <algorithm>

namespace gostep {
namespace {

constexpr GuestAddr kBase = 0x10000000;
constexpr std::uint64_t kRW = kProtRead | kProtWrite;

class AddressSpaceTest : public ::testing::Test {
 protected:
  UnicornEngine uc;
  AddressSpace mem{uc};

  std::uint8_t byte_at(GuestAddr a) {
    std::uint8_t b = 0xee;
    EXPECT_TRUE(mem.peek(a, &b, 1)) << std::hex << a;
    return b;
  }
  // Unicorn's regions are the accessible mappings, one to one, same bounds and
  // protection (PROT_NONE ones are not in Unicorn).
  void expect_regions_match_table() {
    std::vector<std::pair<GuestAddr, GuestAddr>> want, have;
    for (const auto& m : mem.mappings())
      if (m.prot) want.emplace_back(m.start, m.end);
    for (const auto& r : uc.regions()) have.emplace_back(r.begin, r.end + 1);
    std::sort(have.begin(), have.end());
    EXPECT_EQ(have, want);
    EXPECT_EQ(mem.regions(), want.size());
  }
  // Four pages, page i filled with 0x10 + i.
  void map_marked() {
    std::vector<std::uint8_t> bytes(4 * kPageSize);
    for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<std::uint8_t>(0x10 + i / kPageSize);
    mem.map_fixed(kBase, 4 * kPageSize, kRW, "test", &bytes);
  }
};

TEST_F(AddressSpaceTest, MapFixedOverPartKeepsTheRestAndZeroesThePart) {
  map_marked();
  mem.map_fixed(kBase + kPageSize, 2 * kPageSize, kProtRead, "");
  const auto maps = mem.mappings();
  ASSERT_EQ(maps.size(), 3u);
  EXPECT_EQ(maps[0].start, kBase);
  EXPECT_EQ(maps[0].end, kBase + kPageSize);
  EXPECT_EQ(maps[0].name, "test");
  EXPECT_EQ(maps[1].start, kBase + kPageSize);
  EXPECT_EQ(maps[1].end, kBase + 3 * kPageSize);
  EXPECT_EQ(maps[1].prot, kProtRead);
  EXPECT_EQ(maps[2].start, kBase + 3 * kPageSize);
  EXPECT_EQ(maps[2].name, "test");
  EXPECT_EQ(byte_at(kBase), 0x10);
  EXPECT_EQ(byte_at(kBase + kPageSize - 1), 0x10);
  EXPECT_EQ(byte_at(kBase + kPageSize), 0);
  EXPECT_EQ(byte_at(kBase + 3 * kPageSize - 1), 0);
  EXPECT_EQ(byte_at(kBase + 3 * kPageSize), 0x13);
  // Reading through the Linux layer's path agrees.
  std::uint8_t b[2];
  ASSERT_TRUE(mem.read(kBase + 3 * kPageSize - 1, b, 2));
  EXPECT_EQ(b[0], 0);
  EXPECT_EQ(b[1], 0x13);
}

TEST_F(AddressSpaceTest, UnmapMiddleLeavesAHole) {
  map_marked();
  mem.unmap(kBase + kPageSize, kPageSize);
  EXPECT_EQ(mem.find(kBase + kPageSize), nullptr);
  EXPECT_EQ(mem.find(kBase + 2 * kPageSize - 1), nullptr);
  ASSERT_NE(mem.find(kBase), nullptr);
  EXPECT_EQ(mem.find(kBase)->end, kBase + kPageSize);
  ASSERT_NE(mem.find(kBase + 2 * kPageSize), nullptr);
  EXPECT_EQ(mem.find(kBase + 2 * kPageSize)->start, kBase + 2 * kPageSize);
  EXPECT_TRUE(mem.is_free(kBase + kPageSize, kPageSize));
  EXPECT_FALSE(mem.is_free(kBase + kPageSize, 2 * kPageSize));
  std::uint8_t b = 0;
  EXPECT_FALSE(mem.peek(kBase + kPageSize, &b, 1));
  EXPECT_FALSE(mem.read(kBase + kPageSize - 1, &b, 2));  // straddles into the hole
  EXPECT_EQ(byte_at(kBase + 2 * kPageSize), 0x12);
  EXPECT_EQ(byte_at(kBase), 0x10);
  // Mapping the hole again gives zeros.
  ASSERT_TRUE(mem.map_fixed(kBase + kPageSize, kPageSize, kRW, ""));
  EXPECT_EQ(byte_at(kBase + kPageSize), 0);
  expect_regions_match_table();
  std::uint8_t zero[16];
  ASSERT_TRUE(mem.read(kBase + kPageSize + 100, zero, sizeof zero));
  for (auto z : zero) EXPECT_EQ(z, 0);
}

TEST_F(AddressSpaceTest, ProtectSplitsAndIsEnforcedForTheKernelPath) {
  map_marked();
  mem.protect(kBase + 2 * kPageSize, kPageSize, kProtRead);
  ASSERT_EQ(mem.mappings().size(), 3u);
  EXPECT_EQ(mem.find(kBase + 2 * kPageSize)->prot, kProtRead);
  EXPECT_EQ(mem.find(kBase + 3 * kPageSize)->prot, kRW);
  const std::uint8_t x = 0x99;
  EXPECT_FALSE(mem.write(kBase + 2 * kPageSize, &x, 1));
  EXPECT_TRUE(mem.write(kBase + 3 * kPageSize, &x, 1));
  EXPECT_EQ(byte_at(kBase + 2 * kPageSize), 0x12);  // bytes kept
  EXPECT_EQ(byte_at(kBase + 3 * kPageSize), 0x99);
  expect_regions_match_table();
  ASSERT_TRUE(mem.protect(kBase, kPageSize, 0));
  std::uint8_t b;
  EXPECT_FALSE(mem.read(kBase, &b, 1));
  expect_regions_match_table();  // the PROT_NONE page is not in Unicorn
  // Back to readable: the bytes were kept all along.
  ASSERT_TRUE(mem.protect(kBase, kPageSize, kProtRead));
  EXPECT_EQ(byte_at(kBase), 0x10);
  expect_regions_match_table();
}

TEST_F(AddressSpaceTest, FindFreeIsTopDownBelowTheMmapBaseAndHonoursAFreeHint) {
  const std::uint64_t len = 3 * kPageSize;
  const auto first = mem.find_free(0, len);
  ASSERT_TRUE(first);
  EXPECT_EQ(*first, kMmapBase - len);
  mem.map_fixed(*first, len, kRW, "");
  const auto second = mem.find_free(0, kPageSize);
  ASSERT_TRUE(second);
  EXPECT_EQ(*second, kMmapBase - len - kPageSize);
  // A free hint is taken as is (Go's heap arena hint).
  const auto hinted = mem.find_free(0xc000000000, 64 * kPageSize);
  ASSERT_TRUE(hinted);
  EXPECT_EQ(*hinted, 0xc000000000u);
  // A taken hint falls back to top-down.
  mem.map_fixed(0xc000000000, kPageSize, kRW, "");
  const auto busy = mem.find_free(0xc000000000, kPageSize);
  ASSERT_TRUE(busy);
  EXPECT_EQ(*busy, kMmapBase - len - kPageSize);
  // A hole between mappings that is big enough is used, top-down first.
  mem.unmap(kMmapBase - 2 * kPageSize, kPageSize);
  const auto hole = mem.find_free(0, kPageSize);
  ASSERT_TRUE(hole);
  EXPECT_EQ(*hole, kMmapBase - 2 * kPageSize);
  const auto too_big = mem.find_free(0, 2 * kPageSize);
  ASSERT_TRUE(too_big);
  EXPECT_EQ(*too_big, kMmapBase - len - 2 * kPageSize);
}

TEST_F(AddressSpaceTest, MemoryCostsOnlyWhatIsTouched) {
  ASSERT_TRUE(mem.map_fixed(kBase, 1ULL << 30, kRW, "big"));  // 1 GiB, untouched
  EXPECT_EQ(mem.touched_bytes(), 0u);
  expect_regions_match_table();  // one region for the whole mapping
  std::uint8_t b = 0xff;
  ASSERT_TRUE(mem.peek(kBase + 5 * kPageSize, &b, 1));  // looking touches nothing
  EXPECT_EQ(b, 0);
  EXPECT_EQ(mem.touched_bytes(), 0u);
  const std::uint32_t v = 0xdeadbeef;
  ASSERT_TRUE(mem.write(kBase + 5 * kPageSize + 8, &v, 4));
  ASSERT_TRUE(mem.write(kBase + (512ULL << 20), &v, 4));
  EXPECT_EQ(mem.touched_bytes(), 2 * kPageSize);
  std::uint32_t got = 0;
  ASSERT_TRUE(mem.peek(kBase + 5 * kPageSize + 8, &got, 4));
  EXPECT_EQ(got, v);
  // A read of an untouched page by the Linux layer touches it (as on Linux:
  // the zero page is mapped there).
  ASSERT_TRUE(mem.read(kBase + 9 * kPageSize, &got, 4));
  EXPECT_EQ(got, 0u);
  EXPECT_EQ(mem.touched_bytes(), 3 * kPageSize);
  mem.discard(kBase, 1ULL << 30);
  EXPECT_EQ(mem.touched_bytes(), 0u);
  ASSERT_TRUE(mem.peek(kBase + 5 * kPageSize + 8, &got, 4));
  EXPECT_EQ(got, 0u);
  ASSERT_NE(mem.find(kBase), nullptr);  // discarded, still mapped
}

TEST_F(AddressSpaceTest, ManySmallMappingsStopAtTheRegionLimitWithNothingChanged) {
  UnicornEngine small_uc;
  AddressSpace small(small_uc, 4);
  for (GuestAddr i = 0; i < 4; ++i) ASSERT_TRUE(small.map_fixed(kBase + 2 * i * kPageSize, kPageSize, kRW, ""));
  EXPECT_FALSE(small.map_fixed(kBase + 10 * kPageSize, kPageSize, kRW, ""));  // ENOMEM
  EXPECT_EQ(small.find(kBase + 10 * kPageSize), nullptr);
  // Splitting one mapping in two needs a region too; PROT_NONE needs none.
  ASSERT_TRUE(small.map_fixed(kBase + 20 * kPageSize, 3 * kPageSize, 0, ""));
  EXPECT_FALSE(small.protect(kBase + 20 * kPageSize, kPageSize, kRW));
  EXPECT_EQ(small.find(kBase + 20 * kPageSize)->prot, 0u);
  // Replacing a mapping by one of the same kind is fine at the limit.
  EXPECT_TRUE(small.map_fixed(kBase, kPageSize, kProtRead, ""));
  EXPECT_TRUE(small.unmap(kBase, kPageSize));
  EXPECT_EQ(small.regions(), 3u);
}

TEST_F(AddressSpaceTest, RestoreTableKeepsUnchangedBytesAndRemapsTheRest) {
  map_marked();
  ASSERT_TRUE(mem.map_fixed(kBase + 16 * kPageSize, 2 * kPageSize, kRW, "other"));
  const auto saved = mem.mappings();
  // Later: part of the first mapping unmapped, the other one protected, a new one mapped.
  ASSERT_TRUE(mem.unmap(kBase + kPageSize, kPageSize));
  ASSERT_TRUE(mem.protect(kBase + 16 * kPageSize, 2 * kPageSize, kProtRead));
  ASSERT_TRUE(mem.map_fixed(kBase + 32 * kPageSize, kPageSize, kRW, "new"));
  ASSERT_TRUE(mem.restore_table(saved));
  const auto now = mem.mappings();
  ASSERT_EQ(now.size(), saved.size());
  for (std::size_t i = 0; i < now.size(); ++i) {
    EXPECT_EQ(now[i].start, saved[i].start);
    EXPECT_EQ(now[i].end, saved[i].end);
    EXPECT_EQ(now[i].prot, saved[i].prot);
    EXPECT_EQ(now[i].name, saved[i].name);
  }
  EXPECT_EQ(mem.find(kBase + 16 * kPageSize)->host, saved[1].host);  // same bytes kept
  EXPECT_EQ(mem.find(kBase + 32 * kPageSize), nullptr);
  EXPECT_EQ(byte_at(kBase + kPageSize), 0);  // re-mapped: the caller restores the bytes
  expect_regions_match_table();
  // The bytes are reachable for copying back.
  std::size_t seen = 0;
  mem.for_each_mapping([&](const Mapping& m, std::span<std::uint8_t> bytes) {
    EXPECT_EQ(bytes.size(), m.end - m.start);
    ++seen;
  });
  EXPECT_EQ(seen, saved.size());
}

TEST_F(AddressSpaceTest, KernelWritesAreReported) {
  mem.map_fixed(kBase, kPageSize, kRW, "");
  std::vector<std::pair<GuestAddr, std::uint64_t>> seen;
  mem.before_kernel_write = [&](GuestAddr a, std::uint64_t n) { seen.emplace_back(a, n); };
  const std::uint64_t v = 7;
  ASSERT_TRUE(mem.write(kBase + 16, &v, 8));
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].first, kBase + 16);
  EXPECT_EQ(seen[0].second, 8u);
  std::string s;
  const char text[] = "hi";
  ASSERT_TRUE(mem.write(kBase + 100, text, sizeof text));
  ASSERT_TRUE(mem.read_string(kBase + 100, s));
  EXPECT_EQ(s, "hi");
}

}  // namespace
}  // namespace gostep
