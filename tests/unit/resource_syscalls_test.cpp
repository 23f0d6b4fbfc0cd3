// getrlimit/setrlimit/prlimit64 and mprotect's range check, called directly on a
// real Process (the handlers take typed arguments; guest memory is real).
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <cerrno>

#include "emulator/elf_image.h"
#include "emulator/linux/handlers.h"
#include "emulator/process.h"

namespace gostep {
namespace {

constexpr GuestAddr kScratch = 0x200000000ULL;

struct Fixture {
  ElfImage img = load_elf(std::string(GOSTEP_FIXTURES_DIR) + "/go/empty");
  Process p{img, ProcessOptions{{"./empty"}}};
  Fixture() { p.memory().map_fixed(kScratch, kPageSize, kProtRead | kProtWrite, "scratch"); }
  std::int64_t call(SysResult (*fn)(Process&, Thread&, const SyscallArgs&), std::uint64_t a0, std::uint64_t a1,
                    std::uint64_t a2 = 0, std::uint64_t a3 = 0) {
    SyscallArgs a;
    a.a[0] = a0, a.a[1] = a1, a.a[2] = a2, a.a[3] = a3;
    return fn(p, p.current(), a).value;
  }
};

TEST(ResourceSyscalls, Prlimit64SetsLikeSetrlimit) {
  Fixture f;
  std::uint64_t lim[2];
  ASSERT_EQ(f.call(linux_abi::sys_prlimit64, 0, RLIMIT_NOFILE, 0, kScratch), 0);
  ASSERT_TRUE(f.p.memory().read(kScratch, lim, sizeof lim));
  EXPECT_EQ(lim[0], 1024u);
  EXPECT_EQ(lim[1], 1048576u);
  // Raise the soft limit to the hard one (what Go does), through prlimit64.
  const std::uint64_t raise[2] = {1048576, 1048576};
  ASSERT_TRUE(f.p.memory().write(kScratch + 64, raise, sizeof raise));
  EXPECT_EQ(f.call(linux_abi::sys_prlimit64, 0, RLIMIT_NOFILE, kScratch + 64, 0), 0);
  ASSERT_EQ(f.call(linux_abi::sys_getrlimit, RLIMIT_NOFILE, kScratch), 0);
  ASSERT_TRUE(f.p.memory().read(kScratch, lim, sizeof lim));
  EXPECT_EQ(lim[0], 1048576u);
  // Raising the hard limit needs privileges; soft above hard is invalid.
  const std::uint64_t too_high[2] = {1048576, 1ULL << 40};
  ASSERT_TRUE(f.p.memory().write(kScratch + 64, too_high, sizeof too_high));
  EXPECT_EQ(f.call(linux_abi::sys_prlimit64, 0, RLIMIT_NOFILE, kScratch + 64, 0), -EPERM);
  const std::uint64_t inverted[2] = {10, 5};
  ASSERT_TRUE(f.p.memory().write(kScratch + 64, inverted, sizeof inverted));
  EXPECT_EQ(f.call(linux_abi::sys_setrlimit, RLIMIT_NOFILE, kScratch + 64), -EINVAL);
  EXPECT_EQ(f.call(linux_abi::sys_prlimit64, 4242, RLIMIT_NOFILE, 0, kScratch), -ESRCH);
}

TEST(ResourceSyscalls, MprotectOfAHugeUnmappedRangeAnswersAtOnce) {
  Fixture f;
  // 64 TiB from the scratch page: the first unmapped page ends the walk.
  EXPECT_EQ(f.call(linux_abi::sys_mprotect, kScratch, 64ULL << 40, kProtRead), -ENOMEM);
  EXPECT_EQ(f.call(linux_abi::sys_mprotect, kScratch, kPageSize, kProtRead), 0);
  EXPECT_EQ(f.p.memory().find(kScratch)->prot, static_cast<std::uint32_t>(kProtRead));
}

}  // namespace
}  // namespace gostep
