// <linux/futex.h>: FUTEX_WAIT blocks until FUTEX_WAKE or the timeout (on the
// virtual clock); waiters wake in the order they are in the thread list.
#include <linux/futex.h>

#include <cerrno>

#include "handlers.h"

namespace gostep::linux_abi {

GOSTEP_SYSCALL(futex) {
  const GuestAddr uaddr = a.a[0];
  const int op = static_cast<int>(a.a[1]) & FUTEX_CMD_MASK;
  const std::uint32_t val = static_cast<std::uint32_t>(a.a[2]);
  switch (op) {
    case FUTEX_WAIT:
    case FUTEX_WAIT_BITSET: {
      std::uint32_t cur = 0;
      if (!p.memory().read(uaddr, &cur, 4)) return SysResult::ret(-EFAULT);
      if (cur != val) return SysResult::ret(-EAGAIN);
      std::optional<std::uint64_t> deadline;
      if (a.a[3]) {
        std::int64_t ts[2];
        if (!p.memory().read(a.a[3], ts, sizeof ts)) return SysResult::ret(-EFAULT);
        if (ts[0] < 0 || ts[1] < 0 || ts[1] >= 1'000'000'000) return SysResult::ret(-EINVAL);
        const auto secs = static_cast<std::uint64_t>(ts[0]);
        const std::uint64_t ns = secs > 18'000'000'000ULL ? ~0ULL : secs * 1'000'000'000ULL + static_cast<std::uint64_t>(ts[1]);
        // FUTEX_WAIT's timeout is relative; WAIT_BITSET's is absolute (monotonic). Saturating.
        deadline = op == FUTEX_WAIT ? (p.now_ns() + ns < ns ? ~0ULL : p.now_ns() + ns) : ns;
      }
      t.futex_addr = uaddr;
      p.block_current(WaitKind::futex, deadline, -ETIMEDOUT);
      return SysResult::blocked();
    }
    case FUTEX_WAKE:
    case FUTEX_WAKE_BITSET:
      return SysResult::ret(p.futex_wake(uaddr, static_cast<int>(val)));
    default:
      return SysResult::ret(-ENOSYS);
  }
}

}  // namespace gostep::linux_abi
