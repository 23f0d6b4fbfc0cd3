// <unistd.h>, who the process is: one fixed user (uid and gid 1000, "gopher"
// in /etc/passwd), the same on every host; the process is its own session and
// process group leader, and its parent is pid 1.
#include <cerrno>

#include "handlers.h"

namespace gostep::linux_abi {
namespace {
constexpr int kParentPid = 1;
}  // namespace

GOSTEP_SYSCALL(getuid) { (void)p, (void)t, (void)a; return SysResult::ret(vfs::kUserUid); }
GOSTEP_SYSCALL(geteuid) { (void)p, (void)t, (void)a; return SysResult::ret(vfs::kUserUid); }
GOSTEP_SYSCALL(getgid) { (void)p, (void)t, (void)a; return SysResult::ret(vfs::kUserGid); }
GOSTEP_SYSCALL(getegid) { (void)p, (void)t, (void)a; return SysResult::ret(vfs::kUserGid); }

GOSTEP_SYSCALL(getgroups) {
  (void)t;
  const auto size = static_cast<std::int32_t>(a.a[0]);
  if (size < 0) return SysResult::ret(-EINVAL);
  if (size == 0) return SysResult::ret(1);
  const std::uint32_t groups[1] = {vfs::kUserGid};
  return SysResult::ret(p.memory().write(a.a[1], groups, sizeof groups) ? 1 : -EFAULT);
}

// getresuid/getresgid: real, effective and saved ids, all the one user's.
GOSTEP_SYSCALL(getresuid) {
  (void)t;
  const std::uint32_t id = vfs::kUserUid;
  for (int i = 0; i < 3; ++i)
    if (!p.memory().write(a.a[i], &id, 4)) return SysResult::ret(-EFAULT);
  return SysResult::ret(0);
}

GOSTEP_SYSCALL(getresgid) {
  (void)t;
  const std::uint32_t id = vfs::kUserGid;
  for (int i = 0; i < 3; ++i)
    if (!p.memory().write(a.a[i], &id, 4)) return SysResult::ret(-EFAULT);
  return SysResult::ret(0);
}

GOSTEP_SYSCALL(getppid) { (void)p, (void)t, (void)a; return SysResult::ret(kParentPid); }
GOSTEP_SYSCALL(getpgrp) { (void)t, (void)a; return SysResult::ret(p.pid()); }

GOSTEP_SYSCALL(getpgid) {
  (void)t;
  const auto pid = static_cast<std::int32_t>(a.a[0]);
  return SysResult::ret(pid == 0 || pid == p.pid() ? p.pid() : -ESRCH);
}

GOSTEP_SYSCALL(getsid) {
  (void)t;
  const auto pid = static_cast<std::int32_t>(a.a[0]);
  return SysResult::ret(pid == 0 || pid == p.pid() ? p.pid() : -ESRCH);
}

// Already a process group leader: setsid refuses, as Linux does for a leader.
GOSTEP_SYSCALL(setsid) { (void)p, (void)t, (void)a; return SysResult::ret(-EPERM); }

}  // namespace gostep::linux_abi
