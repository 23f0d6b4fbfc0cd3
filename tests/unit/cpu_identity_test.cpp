// find_tsc_sites (the RDTSC/RDTSCP sites whose results gostep replaces with
// the virtual clock) against a plain scan of every byte of the executable
// segments, over the bundled Go programs and the rdtsc fixture.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "emulator/cpu_identity.h"
#include "emulator/elf_image.h"

namespace gostep {
namespace {

std::vector<TscSite> every_byte(const ElfImage& img) {
  std::vector<TscSite> out;
  for (const ElfSegment* s : img.executable_segments()) {
    const std::uint8_t* p = img.bytes.data() + s->offset;
    for (std::uint64_t i = 0; i + 1 < s->filesz; ++i) {
      if (p[i] != 0x0f) continue;
      if (p[i + 1] == 0x31) out.push_back({s->vaddr + i, 2, false});
      else if (i + 2 < s->filesz && p[i + 1] == 0x01 && p[i + 2] == 0xf9) out.push_back({s->vaddr + i, 3, true});
    }
  }
  return out;
}

TEST(CpuIdentity, TscSitesAreEveryRdtscAndRdtscpByte) {
  for (const std::string& path : {std::string(GOSTEP_GO_DIR) + "/hello", std::string(GOSTEP_GO_DIR) + "/gcbench",
                                 std::string(GOSTEP_GO_DIR) + "/hello-stripped", std::string(GOSTEP_ASM_DIR) + "/rdtsc"}) {
    const ElfImage img = load_elf(path);
    const std::vector<TscSite> got = find_tsc_sites(img), want = every_byte(img);
    EXPECT_FALSE(want.empty()) << path;
    ASSERT_EQ(got.size(), want.size()) << path;
    for (std::size_t i = 0; i < got.size(); ++i) {
      EXPECT_EQ(got[i].addr, want[i].addr) << path;
      EXPECT_EQ(got[i].length, want[i].length) << path;
      EXPECT_EQ(got[i].rdtscp, want[i].rdtscp) << path;
    }
  }
}

}  // namespace
}  // namespace gostep
