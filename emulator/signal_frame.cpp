// Signal delivery as Linux does it on x86-64 (arch/x86/kernel/signal.c):
// an rt_sigframe on the thread's stack (or its sigaltstack), handler(sig,
// &info, &uc) with the return address sa_restorer, and rt_sigreturn loading
// every register back from the frame, which Go's handler may have edited.
#include <fmt/format.h>

#include <csignal>
#include <cstring>

#include "process.h"

namespace gostep {
namespace {

// struct rt_sigframe { char *pretcode; struct ucontext uc; struct siginfo info; }
constexpr std::uint64_t kUcOffset = 8;
constexpr std::uint64_t kUcSize = 304;  // flags, link, stack_t, sigcontext (256), sigmask
constexpr std::uint64_t kInfoOffset = kUcOffset + kUcSize;
constexpr std::uint64_t kFrameSize = kInfoOffset + 128;
// Inside ucontext.
constexpr std::uint64_t kUcStack = 16;
constexpr std::uint64_t kUcMcontext = 40;
constexpr std::uint64_t kUcSigmask = kUcMcontext + 256;
constexpr std::uint64_t kFxsaveSize = 512;

// sigcontext's general registers, in their order in the frame.
constexpr Reg kSigcontextRegs[] = {
    Reg::r8, Reg::r9, Reg::r10, Reg::r11, Reg::r12, Reg::r13, Reg::r14, Reg::r15,
    Reg::rdi, Reg::rsi, Reg::rbp, Reg::rbx, Reg::rdx, Reg::rax, Reg::rcx, Reg::rsp,
    Reg::rip, Reg::rflags,
};
constexpr std::uint64_t kFpstatePtr = 8 * 18 + 8 + 8 * 4;  // after cs/gs/fs/ss, err, trapno, oldmask, cr2
// Flags a signal handler may change through the frame (FIX_EFLAGS).
constexpr std::uint64_t kFixEflags = 0x40dd5;

constexpr std::uint64_t bit(int sig) { return 1ULL << (sig - 1); }
constexpr int SA_RESTART_ = 0x10000000, SA_ONSTACK_ = 0x08000000, SA_NODEFER_ = 0x40000000, SA_RESETHAND_ = static_cast<int>(0x80000000u);
constexpr int SS_ONSTACK_ = 1, SS_DISABLE_ = 2;

bool default_ignored(int sig) {
  return sig == SIGCHLD || sig == SIGURG || sig == SIGWINCH || sig == SIGCONT;
}

}  // namespace

void Process::send_signal(Thread& t, const PendingSignal& info) {
  if (info.sig < 1 || info.sig > 64) return;
  // An ignored signal (SIG_IGN, or SIGURG's default) that the thread does not
  // block is dropped as it is sent (Linux's sig_ignored), and interrupts nothing.
  const SigAction& act = sigactions_[static_cast<std::size_t>(info.sig)];
  const bool ignored = act.handler == 1 || (act.handler == 0 && default_ignored(info.sig));
  if (ignored && !(t.sigmask & bit(info.sig))) return;
  t.pending |= bit(info.sig);
  t.pending_info[info.sig - 1] = info;
  // A blocked thread with the signal deliverable to a handler is interrupted.
  // sched_yield is not interruptible: it returns 0 at once anyway.
  if (t.state == ThreadState::blocked && !(t.sigmask & bit(info.sig)) && !ignored && t.wait != WaitKind::yield) {
    std::int64_t result = -EINTR;
    if (t.wait == WaitKind::io && t.io_done) {
      result = static_cast<std::int64_t>(t.io_done);  // a write cut short returns what it wrote
      t.io_done = 0;
    } else if (t.wait == WaitKind::io || (t.wait == WaitKind::futex && !t.deadline)) {
      // Linux's ERESTARTSYS: restarted after a handler with SA_RESTART (deliver),
      // or when no handler runs after all (deliver_pending_signals).
      t.restart_pending = true;
      t.restart_nr = t.wait == WaitKind::io ? t.retry[0] : 202 /* futex */;
    }
    wake(t, result);
  }
}

void Process::restart_syscall(Thread& t) {
  if (!t.restart_pending) return;
  t.restart_pending = false;
  uc_.set_reg(Reg::rax, t.restart_nr);
  uc_.set_reg(Reg::rip, uc_.reg(Reg::rip) - 2);  // back onto the SYSCALL
}

std::optional<StopReason> Process::deliver_pending_signals() {
  Thread& t = current();
  while (std::uint64_t ready = t.pending & ~t.sigmask) {
    const int sig = __builtin_ctzll(ready) + 1;
    const SigAction& act = sigactions_[static_cast<std::size_t>(sig)];
    const bool acts = act.handler > 1 || (act.handler == 0 && !default_ignored(sig));
    // A signal the user queued is the user's own doing: as gdb's queue-signal, it is not a reason to stop.
    if ((stop_signals_ & bit(sig)) && acts && resume_with_signal_ != sig && !t.pending_info[sig - 1].from_user) {
      // Stop before delivering it (it stays pending); the next run delivers it.
      resume_with_signal_ = sig;
      StopReason r{StopKind::signal_received};
      r.signal = sig;
      r.tid = t.tid;
      r.pc = uc_.reg(Reg::rip);
      return r;
    }
    resume_with_signal_ = 0;
    t.pending &= ~bit(sig);
    const PendingSignal s = t.pending_info[sig - 1];
    kernel_cause_ = {KernelCause::Kind::signal_delivery, 0, sig, t.tid};
    auto stop = deliver(s, false);
    kernel_cause_ = {};
    if (stop) return stop;
    if (ended_) return StopReason{StopKind::exited, exit_status_, 0, t.tid};
  }
  restart_syscall(t);  // interrupted, but no handler ran (the signal became ignored)
  return std::nullopt;
}

StopReason Process::fatal_signal(const PendingSignal& s) {
  StopReason r{StopKind::killed};
  r.signal = s.sig;
  r.exit_status = 128 + s.sig;
  r.tid = current().tid;
  r.pc = uc_.reg(Reg::rip);
  if (s.sig == SIGSEGV || s.sig == SIGBUS)
    r.detail = fmt::format("fault at address {:#x} ({})", s.addr,
                           s.code == 2 ? "the page does not allow that access" : "nothing is mapped there");
  ended_ = true;
  exit_status_ = r.exit_status;
  return r;
}

std::optional<StopReason> Process::deliver(const PendingSignal& s, bool synchronous) {
  Thread& t = current();
  SigAction& act = sigactions_[static_cast<std::size_t>(s.sig)];
  const bool blocked = t.sigmask & bit(s.sig);
  if (act.handler == 1 /* SIG_IGN */ && !synchronous) return std::nullopt;
  if (act.handler == 0 /* SIG_DFL */ || (synchronous && (blocked || act.handler == 1))) {
    if (act.handler == 0 && default_ignored(s.sig) && !synchronous) return std::nullopt;
    return fatal_signal(s);
  }

  if (t.restart_pending) {
    if (act.flags & SA_RESTART_) restart_syscall(t);
    t.restart_pending = false;
  }
  const RegFile regs = uc_.regs();
  const SseState sse = uc_.sse();
  // Which stack: the alternate one if asked for and not already on it.
  GuestAddr sp = regs[Reg::rsp];
  const auto& alt = t.altstack;
  const bool on_alt = !alt.disabled && sp > alt.sp && sp <= alt.sp + alt.size;
  if ((act.flags & SA_ONSTACK_) && !alt.disabled && !on_alt)
    sp = alt.sp + alt.size;
  else
    sp -= 128;  // the red zone
  sp = (sp - kFxsaveSize) & ~GuestAddr{63};
  const GuestAddr fpstate = sp;
  sp = ((sp - kFrameSize) & ~GuestAddr{15}) - 8;
  const GuestAddr frame = sp;

  std::uint8_t buf[kFrameSize] = {};
  auto put64 = [&](std::uint64_t off, std::uint64_t v) { std::memcpy(buf + off, &v, 8); };
  auto put32 = [&](std::uint64_t off, std::uint32_t v) { std::memcpy(buf + off, &v, 4); };
  put64(0, act.restorer);
  const std::uint64_t uc = kUcOffset;
  put64(uc + 0, 0x6);  // UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS
  put64(uc + kUcStack, alt.sp);
  put32(uc + kUcStack + 8, alt.disabled ? SS_DISABLE_ : (on_alt ? SS_ONSTACK_ : 0));
  put64(uc + kUcStack + 16, alt.size);
  for (std::size_t i = 0; i < std::size(kSigcontextRegs); ++i)
    put64(uc + kUcMcontext + i * 8, regs[kSigcontextRegs[i]]);
  put64(uc + kUcMcontext + 8 * 18, 0x2b000000000033ULL);  // cs=0x33, ss=0x2b
  if (s.sig == SIGSEGV || s.sig == SIGBUS) put64(uc + kUcMcontext + 8 * 18 + 8 + 8 * 3, s.addr);  // cr2
  put64(uc + kUcMcontext + kFpstatePtr, fpstate);
  put64(uc + kUcSigmask, t.sigmask);
  // siginfo
  put32(kInfoOffset + 0, static_cast<std::uint32_t>(s.sig));
  put32(kInfoOffset + 8, static_cast<std::uint32_t>(s.code));
  if (s.code <= 0) {  // sent by a process (SI_TKILL, SI_USER): si_pid, si_uid
    put32(kInfoOffset + 16, static_cast<std::uint32_t>(s.sender_pid));
    put32(kInfoOffset + 20, 0);
  } else {
    put64(kInfoOffset + 16, s.addr);
  }
  // FXSAVE image: MXCSR at 24, XMM registers from 160.
  std::uint8_t fx[kFxsaveSize] = {};
  std::memcpy(fx + 24, &sse.mxcsr, 4);
  const std::uint32_t mxcsr_mask = 0xffff;
  std::memcpy(fx + 28, &mxcsr_mask, 4);
  for (std::size_t i = 0; i < 16; ++i) std::memcpy(fx + 160 + 16 * i, sse.xmm[i].data(), 16);

  if (!mem_.write(fpstate, fx, sizeof fx) || !mem_.write(frame, buf, sizeof buf)) {
    // No room for the frame: Linux kills the thread group with SIGSEGV.
    PendingSignal segv{SIGSEGV, 0x80, 0, 0};
    return fatal_signal(segv);
  }

  RegFile nr = regs;
  nr[Reg::rip] = act.handler;
  nr[Reg::rsp] = frame;
  nr[Reg::rdi] = static_cast<std::uint64_t>(s.sig);
  nr[Reg::rsi] = frame + kInfoOffset;
  nr[Reg::rdx] = frame + kUcOffset;
  nr[Reg::rax] = 0;
  nr[Reg::rflags] = regs[Reg::rflags] & ~std::uint64_t{0x400 | 0x100};  // clear DF and TF
  uc_.set_regs(nr);
  t.sigmask |= act.mask;
  if (!(act.flags & SA_NODEFER_)) t.sigmask |= bit(s.sig);
  if (act.flags & SA_RESETHAND_) act = SigAction{};
  return std::nullopt;
}

bool Process::sigreturn() {
  Thread& t = current();
  // The handler returned into sa_restorer, popping pretcode: the frame is 8 below.
  const GuestAddr frame = uc_.reg(Reg::rsp) - 8;
  std::uint8_t buf[kFrameSize];
  if (!mem_.read(frame, buf, sizeof buf)) return false;
  auto get64 = [&](std::uint64_t off) {
    std::uint64_t v;
    std::memcpy(&v, buf + off, 8);
    return v;
  };
  RegFile rf = uc_.regs();
  const std::uint64_t uc = kUcOffset;
  for (std::size_t i = 0; i < std::size(kSigcontextRegs); ++i) {
    const Reg r = kSigcontextRegs[i];
    const std::uint64_t v = get64(uc + kUcMcontext + i * 8);
    rf[r] = r == Reg::rflags ? (rf[r] & ~kFixEflags) | (v & kFixEflags) : v;
  }
  const GuestAddr fpstate = get64(uc + kUcMcontext + kFpstatePtr);
  if (fpstate) {
    std::uint8_t fx[kFxsaveSize];
    if (!mem_.read(fpstate, fx, sizeof fx)) return false;
    SseState sse;
    std::memcpy(&sse.mxcsr, fx + 24, 4);
    for (std::size_t i = 0; i < 16; ++i) std::memcpy(sse.xmm[i].data(), fx + 160 + 16 * i, 16);
    uc_.set_sse(sse);
  }
  rf[Reg::fs_base] = uc_.reg(Reg::fs_base);
  rf[Reg::gs_base] = uc_.reg(Reg::gs_base);
  uc_.set_regs(rf);
  t.sigmask = get64(uc + kUcSigmask) & ~(bit(SIGKILL) | bit(SIGSTOP));
  return true;
}

}  // namespace gostep
