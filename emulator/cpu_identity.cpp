#include "cpu_identity.h"

#include <cstring>

namespace gostep {

std::array<std::uint32_t, 4> fixed_cpuid(std::uint32_t leaf, std::uint32_t subleaf) {
  // Feature bits are those of Unicorn 2.0.1's default x86-64 model (what its
  // TCG can execute), with the vendor string the chapter's CPU has.
  constexpr std::uint32_t kGenu = 0x756e6547, kIneI = 0x49656e69, kNtel = 0x6c65746e;
  switch (leaf) {
    case 0x0: return {0xd, kGenu, kNtel, kIneI};
    case 0x1: return {0x00000663, 0x00000800, 0x02182200, 0x07088100};
    case 0x7: return subleaf == 0 ? std::array<std::uint32_t, 4>{0, 0x00180108, 0, 0}
                                  : std::array<std::uint32_t, 4>{0, 0, 0, 0};
    case 0x80000000: return {0x8000000a, 0, 0, 0};
    case 0x80000001: return {0x00000663, 0, 0x00001031, 0xa8000000};
    default: return {0, 0, 0, 0};
  }
}

std::uint64_t fixed_hwcap() { return fixed_cpuid(1, 0)[3]; }

std::vector<TscSite> find_tsc_sites(const ElfImage& img) {
  std::vector<TscSite> out;
  for (const ElfSegment* s : img.executable_segments()) {
    const std::uint8_t* p = img.bytes.data() + s->offset;
    // memchr to each 0x0f: a loop over every byte of Go's text cost `run` almost 1% of hello.
    for (std::uint64_t i = 0; i + 1 < s->filesz; ++i) {
      const void* at = std::memchr(p + i, 0x0f, s->filesz - 1 - i);
      if (!at) break;
      i = static_cast<std::uint64_t>(static_cast<const std::uint8_t*>(at) - p);
      if (p[i + 1] == 0x31) out.push_back({s->vaddr + i, 2, false});
      else if (i + 2 < s->filesz && p[i + 1] == 0x01 && p[i + 2] == 0xf9)
        out.push_back({s->vaddr + i, 3, true});
    }
  }
  return out;
}

}  // namespace gostep
