// <signal.h>: rt_sigaction, rt_sigprocmask, sigaltstack, rt_sigreturn,
// tgkill, kill. Delivery itself is in emulator/signal_frame.cpp.
#include <cerrno>
#include <csignal>

#include "handlers.h"

namespace gostep::linux_abi {
namespace {
constexpr std::uint64_t bit(int sig) { return 1ULL << (sig - 1); }
constexpr std::uint64_t kUnblockable = bit(SIGKILL) | bit(SIGSTOP);
}  // namespace

GOSTEP_SYSCALL(rt_sigaction) {
  (void)t;
  const int sig = static_cast<int>(a.a[0]);
  if (sig < 1 || sig > 64 || a.a[3] != 8) return SysResult::ret(-EINVAL);
  SigAction& act = p.sigaction(sig);
  if (a.a[2]) {
    const std::uint64_t old[4] = {act.handler, act.flags, act.restorer, act.mask};
    if (!p.memory().write(a.a[2], old, sizeof old)) return SysResult::ret(-EFAULT);
  }
  if (a.a[1]) {
    if (sig == SIGKILL || sig == SIGSTOP) return SysResult::ret(-EINVAL);
    std::uint64_t in[4];
    if (!p.memory().read(a.a[1], in, sizeof in)) return SysResult::ret(-EFAULT);
    act = SigAction{in[0], in[1], in[2], in[3] & ~kUnblockable};
  }
  return SysResult::ret(0);
}

GOSTEP_SYSCALL(rt_sigprocmask) {
  if (a.a[3] != 8) return SysResult::ret(-EINVAL);
  const std::uint64_t old = t.sigmask;
  if (a.a[1]) {
    std::uint64_t set = 0;
    if (!p.memory().read(a.a[1], &set, 8)) return SysResult::ret(-EFAULT);
    set &= ~kUnblockable;
    switch (a.a[0]) {
      case SIG_BLOCK: t.sigmask |= set; break;
      case SIG_UNBLOCK: t.sigmask &= ~set; break;
      case SIG_SETMASK: t.sigmask = set; break;
      default: return SysResult::ret(-EINVAL);
    }
  }
  if (a.a[2] && !p.memory().write(a.a[2], &old, 8)) return SysResult::ret(-EFAULT);
  return SysResult::ret(0);
}

GOSTEP_SYSCALL(sigaltstack) {
  const GuestAddr sp = p.engine().reg(Reg::rsp);
  AltStack& alt = t.altstack;
  const bool on = !alt.disabled && sp > alt.sp && sp <= alt.sp + alt.size;
  if (a.a[1]) {
    struct {
      std::uint64_t sp;
      std::int32_t flags, pad;
      std::uint64_t size;
    } old{alt.sp, alt.disabled ? SS_DISABLE : (on ? SS_ONSTACK : 0), 0, alt.size};
    if (!p.memory().write(a.a[1], &old, sizeof old)) return SysResult::ret(-EFAULT);
  }
  if (a.a[0]) {
    struct {
      std::uint64_t sp;
      std::int32_t flags, pad;
      std::uint64_t size;
    } in{};
    if (!p.memory().read(a.a[0], &in, sizeof in)) return SysResult::ret(-EFAULT);
    if (on) return SysResult::ret(-EPERM);
    if (in.flags & SS_DISABLE) {
      alt = AltStack{};
    } else {
      if (in.size < 2048) return SysResult::ret(-ENOMEM);
      alt = AltStack{in.sp, in.size, false};
    }
  }
  return SysResult::ret(0);
}

GOSTEP_SYSCALL(rt_sigreturn) {
  (void)t;
  (void)a;
  if (!p.sigreturn()) {
    PendingSignal segv{SIGSEGV, 0x80, 0, 0};
    p.send_signal(t, segv);
    return SysResult::no_return();
  }
  return SysResult::no_return();
}

GOSTEP_SYSCALL(tgkill) {
  const int tgid = static_cast<int>(a.a[0]);
  const int tid = static_cast<int>(a.a[1]);
  const int sig = static_cast<int>(a.a[2]);
  if (sig < 0 || sig > 64) return SysResult::ret(-EINVAL);
  Thread* target = p.thread_by_tid(tid);
  if (tgid != p.pid() || !target || target->state == ThreadState::exited) return SysResult::ret(-ESRCH);
  if (sig == 0) return SysResult::ret(0);
  p.send_signal(*target, PendingSignal{sig, -6 /* SI_TKILL */, 0, p.pid()});
  (void)t;
  return SysResult::ret(0);
}

GOSTEP_SYSCALL(kill) {
  const int pid = static_cast<int>(a.a[0]);
  const int sig = static_cast<int>(a.a[1]);
  if (sig < 0 || sig > 64) return SysResult::ret(-EINVAL);
  if (pid != p.pid() && pid != 0 && pid != -1) return SysResult::ret(-ESRCH);
  if (sig == 0) return SysResult::ret(0);
  // A process-directed signal goes to the first thread that does not block it.
  Thread* target = &t;
  if (t.sigmask & bit(sig))
    for (const auto& o : p.threads())
      if (o->state != ThreadState::exited && !(o->sigmask & bit(sig))) { target = o.get(); break; }
  p.send_signal(*target, PendingSignal{sig, 0 /* SI_USER */, 0, p.pid()});
  return SysResult::ret(0);
}

}  // namespace gostep::linux_abi
