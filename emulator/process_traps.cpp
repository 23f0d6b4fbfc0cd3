// What happens after Unicorn stops for the kernel: a SYSCALL (dispatched through
// the syscall table to the Linux layer's handlers) or a CPU exception (a fault
// becomes the signal Linux would deliver). Part of Process (process.h).
#include <cerrno>
#include <csignal>

#include "linux/syscall_table.h"
#include "process.h"

namespace gostep {
namespace {
constexpr std::uint64_t kSysExitGroup = 231;
}  // namespace

std::optional<StopReason> Process::handle_syscall() {
  Thread& t = current();
  const GuestAddr next_pc = uc_.reg(Reg::rip);
  SyscallArgs args;
  args.nr = uc_.reg(Reg::rax);
  args.a[0] = uc_.reg(Reg::rdi);
  args.a[1] = uc_.reg(Reg::rsi);
  args.a[2] = uc_.reg(Reg::rdx);
  args.a[3] = uc_.reg(Reg::r10);
  args.a[4] = uc_.reg(Reg::r8);
  args.a[5] = uc_.reg(Reg::r9);
  // SYSCALL itself sets RCX to the next RIP and R11 to RFLAGS (Unicorn does not).
  const std::uint64_t rcx_before = uc_.reg(Reg::rcx), r11_before = uc_.reg(Reg::r11);
  uc_.set_reg(Reg::rcx, next_pc);
  uc_.set_reg(Reg::r11, uc_.reg(Reg::rflags));

  if (args.nr == kSysExitGroup && stop_before_exit_ && resume_over_exit_ != next_pc - 2) {
    // Undo the SYSCALL: it runs again (and is counted again) on the next run().
    uc_.set_reg(Reg::rip, next_pc - 2);
    uc_.set_reg(Reg::rcx, rcx_before);
    uc_.set_reg(Reg::r11, r11_before);
    --insn_count_;
    resume_over_exit_ = next_pc - 2;
    StopReason r{StopKind::before_exit};
    r.tid = t.tid;
    r.pc = next_pc - 2;
    r.syscall_nr = args.nr;
    return r;
  }
  resume_over_exit_.reset();
  const SyscallInfo* info = find_syscall(args.nr);
  syscall_pc_ = next_pc - 2;
  kernel_cause_ = {KernelCause::Kind::syscall, args.nr, 0, t.tid};
  SysResult res = info ? info->handler(*this, t, args) : SysResult::unsupported();
  kernel_cause_ = {};
  syscall_counts_[info ? info->name : syscall_name(args.nr)]++;
  if (res.kind == SysResult::Kind::unsupported && opts_.enosys) {
    enosys_counts_[info ? info->name : syscall_name(args.nr)]++;
    res = SysResult::ret(-ENOSYS);
  }
  if (syscall_log_.size() < 100000) {
    SyscallRecord rec{t.tid, next_pc - 2, args.nr, {}, res.value, res.kind == SysResult::Kind::blocked};
    std::copy(std::begin(args.a), std::end(args.a), rec.args);
    syscall_log_.push_back(rec);
  }
  const bool caught = catch_all_syscalls_ || caught_syscalls_.count(args.nr) != 0;
  switch (res.kind) {
    case SysResult::Kind::value:
      uc_.set_reg(Reg::rax, static_cast<std::uint64_t>(res.value));
      break;
    case SysResult::Kind::blocked:
      break;  // RAX is set when the thread is woken
    case SysResult::Kind::no_return:
      break;
    case SysResult::Kind::unsupported: {
      uc_.set_reg(Reg::rip, next_pc - 2);  // report (and stay) at the SYSCALL
      StopReason r{StopKind::unsupported_syscall};
      r.tid = t.tid;
      r.pc = next_pc - 2;
      r.syscall_nr = args.nr;
      return r;
    }
  }
  if (caught && !ended_) {
    StopReason r{StopKind::syscall_caught};
    r.tid = t.tid;
    r.pc = next_pc - 2;
    r.syscall_nr = args.nr;
    return r;
  }
  return std::nullopt;
}

std::optional<StopReason> Process::handle_fault() {
  PendingSignal s;
  if (!interrupt_) {
    // A memory access Unicorn could not complete: the instruction did not run
    // (settle_count left RIP on it, not counted; Linux reports the faulting RIP).
    s.sig = SIGSEGV;
    s.code = fault_.mapped ? 2 /* SEGV_ACCERR */ : 1 /* SEGV_MAPERR */;
    s.addr = fault_.addr;
  } else {
    const std::uint32_t intno = *interrupt_;
    interrupt_.reset();
    switch (intno) {
      case 0: s.sig = SIGFPE; s.code = 1; /* FPE_INTDIV */ break;
      case 1:
      case 3: s.sig = SIGTRAP; s.code = 0x80; /* SI_KERNEL */ break;
      case 6: s.sig = SIGILL; s.code = 2; /* ILL_ILLOPN */ break;
      default: s.sig = SIGSEGV; s.code = 0x80; /* SI_KERNEL: #GP and others */ break;
    }
    // settle_count left RIP on the instruction that did not complete.
    if (exception_is_fault(intno)) s.addr = intno == 13 ? 0 : uc_.reg(Reg::rip);
  }
  if ((stop_signals_ & (1ULL << (s.sig - 1))) && !ended_) {
    // Stop before delivering it (a debugger shows the fault first); run() delivers it.
    deferred_fault_ = s;
    StopReason r{StopKind::signal_received};
    r.signal = s.sig;
    r.tid = current().tid;
    r.pc = uc_.reg(Reg::rip);
    return r;
  }
  kernel_cause_ = {KernelCause::Kind::signal_delivery, 0, s.sig, current().tid};
  auto stop = deliver(s, true);
  kernel_cause_ = {};
  return stop;
}


}  // namespace gostep
