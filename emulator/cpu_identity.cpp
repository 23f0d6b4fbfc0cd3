#include "cpu_identity.h"

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

}  // namespace gostep
