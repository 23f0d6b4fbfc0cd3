// <sys/sysinfo.h>, <sys/times.h>: system and process figures from the virtual
// clock and gostep's own counts, never the host's.
#include <cerrno>
#include <cstring>

#include "handlers.h"

namespace gostep::linux_abi {
namespace {
constexpr std::uint64_t kTotalRam = 4ULL << 30;  // the machine gostep shows: 4 GiB, no swap
constexpr std::uint64_t kNsPerTick = 10'000'000;  // USER_HZ = 100
}  // namespace

GOSTEP_SYSCALL(sysinfo) {
  (void)t;
  std::uint8_t b[112] = {};
  auto put64 = [&](std::size_t off, std::uint64_t v) { std::memcpy(b + off, &v, 8); };
  put64(0, p.now_ns() / 1'000'000'000ULL);  // uptime: the monotonic clock starts at 1 s
  put64(32, kTotalRam);
  const std::uint64_t used = std::min(p.memory().touched_bytes(), kTotalRam);
  put64(40, kTotalRam - used);
  const std::uint16_t procs = 1;
  std::memcpy(b + 80, &procs, 2);
  const std::uint32_t mem_unit = 1;
  std::memcpy(b + 104, &mem_unit, 4);
  return SysResult::ret(p.memory().write(a.a[0], b, sizeof b) ? 0 : -EFAULT);
}

GOSTEP_SYSCALL(times) {
  (void)t;
  // User time is the virtual time of the instructions executed; no system time.
  const std::uint64_t user_ticks = p.insn_count() / kNsPerTick;
  if (a.a[0]) {
    const std::uint64_t tms[4] = {user_ticks, 0, 0, 0};
    if (!p.memory().write(a.a[0], tms, sizeof tms)) return SysResult::ret(-EFAULT);
  }
  return SysResult::ret(static_cast<std::int64_t>(p.now_ns() / kNsPerTick));
}

}  // namespace gostep::linux_abi
