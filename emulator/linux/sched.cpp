// <sched.h> and the task calls: clone, sched_yield, sched_getaffinity,
// gettid, getpid, exit, exit_group.
#include <sched.h>

#include <cerrno>
#include <vector>

#include "handlers.h"

namespace gostep::linux_abi {

GOSTEP_SYSCALL(clone) {
  const std::uint64_t flags = a.a[0];
  // Threads only: Go's newosproc asks for exactly this set (and never fork).
  constexpr std::uint64_t kNeeded = CLONE_VM | CLONE_THREAD | CLONE_SIGHAND;
  if ((flags & kNeeded) != kNeeded) return SysResult::ret(-ENOSYS);
  std::optional<GuestAddr> tls;
  if (flags & CLONE_SETTLS) tls = a.a[4];
  Thread& child = p.clone_current(a.a[1], tls);
  const std::uint32_t tid = static_cast<std::uint32_t>(child.tid);
  if (flags & CLONE_PARENT_SETTID) p.memory().write(a.a[2], &tid, 4);
  if (flags & CLONE_CHILD_SETTID) p.memory().write(a.a[3], &tid, 4);
  if (flags & CLONE_CHILD_CLEARTID) child.clear_child_tid = a.a[3];
  (void)t;
  return SysResult::ret(child.tid);
}

GOSTEP_SYSCALL(sched_yield) {
  (void)a;
  (void)t;
  // Return 0 now and let the scheduler move on: the thread stays runnable.
  p.block_current(WaitKind::yield, p.now_ns(), 0);
  return SysResult::blocked();
}

GOSTEP_SYSCALL(sched_getaffinity) {
  (void)t;
  const std::uint64_t len = a.a[1];
  if (len < 8 || len % 8) return SysResult::ret(-EINVAL);
  const int n = p.options().ncpu;
  const std::uint64_t mask = n >= 64 ? ~0ULL : ((1ULL << n) - 1);
  if (!p.memory().write(a.a[2], &mask, 8)) return SysResult::ret(-EFAULT);
  return SysResult::ret(8);
}

GOSTEP_SYSCALL(gettid) {
  (void)p;
  (void)a;
  return SysResult::ret(t.tid);
}

GOSTEP_SYSCALL(getpid) {
  (void)t;
  (void)a;
  return SysResult::ret(p.pid());
}

GOSTEP_SYSCALL(exit) {
  (void)t;
  p.exit_current_thread(static_cast<int>(a.a[0]));
  return SysResult::no_return();
}

GOSTEP_SYSCALL(exit_group) {
  (void)t;
  p.exit_group(static_cast<int>(a.a[0]));
  return SysResult::no_return();
}

}  // namespace gostep::linux_abi
