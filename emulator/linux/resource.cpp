// <sys/resource.h>: limits start at a typical Debian shell's values, never the host's.
#include <sys/resource.h>

#include <cerrno>

#include "handlers.h"

namespace gostep::linux_abi {
namespace {
void limit_of(Process& p, std::uint64_t resource, std::uint64_t out[2]) {
  const auto& lim = p.rlimit(static_cast<int>(resource));
  out[0] = lim[0];
  out[1] = lim[1];
}
}  // namespace

GOSTEP_SYSCALL(setrlimit) {
  (void)t;
  if (a.a[0] >= RLIM_NLIMITS) return SysResult::ret(-EINVAL);
  std::uint64_t in[2];
  if (!p.memory().read(a.a[1], in, sizeof in)) return SysResult::ret(-EFAULT);
  auto& lim = p.rlimit(static_cast<int>(a.a[0]));
  // Lowering is allowed; raising the hard limit needs privileges we do not model.
  if (in[0] > in[1] || in[1] > lim[1]) return SysResult::ret(in[0] > in[1] ? -EINVAL : -EPERM);
  lim = {in[0], in[1]};
  return SysResult::ret(0);
}

GOSTEP_SYSCALL(getrlimit) {
  (void)t;
  if (a.a[0] >= RLIM_NLIMITS) return SysResult::ret(-EINVAL);
  std::uint64_t lim[2];
  limit_of(p, a.a[0], lim);
  return SysResult::ret(p.memory().write(a.a[1], lim, sizeof lim) ? 0 : -EFAULT);
}

GOSTEP_SYSCALL(prlimit64) {
  (void)t;
  if (a.a[0] != 0 && a.a[0] != static_cast<std::uint64_t>(p.pid())) return SysResult::ret(-ESRCH);
  if (a.a[1] >= RLIM_NLIMITS) return SysResult::ret(-EINVAL);
  std::uint64_t old[2];
  limit_of(p, a.a[1], old);
  if (a.a[2]) {
    // The same rule as setrlimit: any soft limit up to the hard one; lowering the hard one.
    std::uint64_t in[2];
    if (!p.memory().read(a.a[2], in, sizeof in)) return SysResult::ret(-EFAULT);
    if (in[0] > in[1]) return SysResult::ret(-EINVAL);
    if (in[1] > old[1]) return SysResult::ret(-EPERM);
    p.rlimit(static_cast<int>(a.a[1])) = {in[0], in[1]};
  }
  if (a.a[3] && !p.memory().write(a.a[3], old, sizeof old)) return SysResult::ret(-EFAULT);
  return SysResult::ret(0);
}

}  // namespace gostep::linux_abi

namespace gostep::linux_abi {

// struct rusage from gostep's counts: user time is the virtual time of the
// instructions executed (by the process, or the calling thread); max RSS is
// the guest memory made real so far.
GOSTEP_SYSCALL(getrusage) {
  const auto who = static_cast<std::int32_t>(a.a[0]);
  if (who != RUSAGE_SELF && who != RUSAGE_THREAD && who != RUSAGE_CHILDREN) return SysResult::ret(-EINVAL);
  std::uint64_t ru[18] = {};
  const std::uint64_t ns = who == RUSAGE_SELF ? p.insn_count() : who == RUSAGE_THREAD ? p.thread_insns(t) : 0;
  ru[0] = ns / 1'000'000'000ULL;
  ru[1] = ns % 1'000'000'000ULL / 1000;
  if (who != RUSAGE_CHILDREN) ru[4] = p.memory().touched_bytes() / 1024;  // ru_maxrss, KiB
  return SysResult::ret(p.memory().write(a.a[1], ru, sizeof ru) ? 0 : -EFAULT);
}

}  // namespace gostep::linux_abi
