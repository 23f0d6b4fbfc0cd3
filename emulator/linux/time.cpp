// <time.h>: the virtual clock. Monotonic time advances 1 ns per executed
// instruction and jumps to the next deadline when every thread sleeps;
// wall-clock time starts at Go's playground epoch, 2009-11-10 23:00:00 UTC.
#include <cerrno>
#include <ctime>

#include "handlers.h"

namespace gostep::linux_abi {
namespace {
std::uint64_t saturating_add(std::uint64_t a, std::uint64_t b) { return a + b < a ? ~0ULL : a + b; }

bool read_timespec(Process& p, GuestAddr addr, std::uint64_t& ns) {
  std::int64_t ts[2];
  if (!p.memory().read(addr, ts, sizeof ts)) return false;
  if (ts[0] < 0 || ts[1] < 0 || ts[1] >= 1'000'000'000) return false;
  // Saturate: a timeout of centuries is "forever", never an overflow into the past.
  const auto secs = static_cast<std::uint64_t>(ts[0]);
  ns = secs > 18'000'000'000ULL ? ~0ULL : secs * 1'000'000'000ULL + static_cast<std::uint64_t>(ts[1]);
  return true;
}
}  // namespace

GOSTEP_SYSCALL(nanosleep) {
  (void)t;
  std::uint64_t ns = 0;
  if (!read_timespec(p, a.a[0], ns)) return SysResult::ret(-EINVAL);
  p.block_current(WaitKind::sleep, saturating_add(p.now_ns(), ns), 0);
  return SysResult::blocked();
}

GOSTEP_SYSCALL(clock_nanosleep) {
  (void)t;
  std::uint64_t ns = 0;
  if (!read_timespec(p, a.a[2], ns)) return SysResult::ret(-EINVAL);
  const bool absolute = a.a[1] & TIMER_ABSTIME;
  std::uint64_t deadline = absolute ? ns : saturating_add(p.now_ns(), ns);
  if (absolute && a.a[0] == CLOCK_REALTIME)  // a wall-clock time before the epoch is already past
    deadline = ns < Process::kRealtimeEpochNs ? 0 : ns - Process::kRealtimeEpochNs + Process::kMonotonicStart;
  p.block_current(WaitKind::sleep, deadline, 0);
  return SysResult::blocked();
}

GOSTEP_SYSCALL(clock_gettime) {
  (void)t;
  std::uint64_t ns = p.now_ns();
  switch (a.a[0]) {
    case CLOCK_REALTIME:
    case CLOCK_REALTIME_COARSE:
      ns = ns - Process::kMonotonicStart + Process::kRealtimeEpochNs;
      break;
    case CLOCK_MONOTONIC:
    case CLOCK_MONOTONIC_RAW:
    case CLOCK_MONOTONIC_COARSE:
    case CLOCK_BOOTTIME:
    case CLOCK_PROCESS_CPUTIME_ID:
    case CLOCK_THREAD_CPUTIME_ID:
      break;
    default:
      return SysResult::ret(-EINVAL);
  }
  const std::int64_t ts[2] = {static_cast<std::int64_t>(ns / 1'000'000'000ULL),
                              static_cast<std::int64_t>(ns % 1'000'000'000ULL)};
  return SysResult::ret(p.memory().write(a.a[1], ts, sizeof ts) ? 0 : -EFAULT);
}

}  // namespace gostep::linux_abi
