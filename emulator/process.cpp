#include "process.h"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <csignal>

#include "cpu_identity.h"
#include "linux/syscall_table.h"

namespace gostep {
namespace {
constexpr std::uint64_t kRflagsAtExec = 0x202;  // Linux starts a process with IF set
constexpr std::uint64_t kSysEpollPwait = 281;
}  // namespace

Process::Process(const ElfImage& image, ProcessOptions options)
    : image_(image), opts_(std::move(options)), mem_(uc_) {
  random_state_ = opts_.seed ^ 0x9e3779b97f4a7c15ULL;
  // Resource limits of a typical Debian shell (never the host's own).
  for (auto& l : rlimits_) l = {~0ULL, ~0ULL};
  rlimits_[3] = {8ULL << 20, ~0ULL};  // RLIMIT_STACK
  rlimits_[4] = {0, ~0ULL};           // RLIMIT_CORE
  rlimits_[7] = {1024, 1048576};      // RLIMIT_NOFILE
  if (opts_.quantum == 0) opts_.quantum = 1;
  mem_budget_pages_ = opts_.max_memory / kPageSize;
  slice_end_ = opts_.counting == Counting::none ? ~0ULL : opts_.quantum;
  setup_hooks();
  load();
  setup_fs();
  update_next_stop();
}

Process::~Process() = default;

std::uint64_t Process::next_random() {
  // splitmix64: deterministic from --seed, and good enough for seeding Go's fastrand.
  std::uint64_t z = (random_state_ += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

void Process::setup_hooks() {
  uc_.hooks.on_insn = [this](GuestAddr pc, std::uint32_t) { on_insn(pc); };
  uc_.hooks.on_syscall = [this] {
    engine_stop_ = EngineStop::syscall;
    uc_.stop();
  };
  uc_.hooks.on_cpuid = [](std::uint32_t leaf, std::uint32_t sub, std::array<std::uint32_t, 4>& out) {
    out = fixed_cpuid(leaf, sub);
  };
  // Every mapping the guest may access is Unicorn memory already: an access
  // Unicorn does not have is a fault (PROT_NONE mappings are not given to it).
  uc_.hooks.on_unmapped = [this](MemAccess a, GuestAddr addr, int) {
    fault_ = {addr, a, mem_.find(addr) != nullptr};
    engine_stop_ = EngineStop::fault;
    return false;
  };
  uc_.hooks.on_protection = [this](MemAccess a, GuestAddr addr, int) {
    fault_ = {addr, a, true};
    engine_stop_ = EngineStop::fault;
    return false;
  };
  uc_.hooks.on_interrupt = [this](std::uint32_t intno) {
    interrupt_ = intno;
    engine_stop_ = EngineStop::interrupt;
    uc_.stop();
  };
  uc_.hooks.on_write = [this](GuestAddr addr, int size) { on_write(addr, static_cast<std::uint64_t>(size), false); };
  mem_.before_kernel_write = [this](GuestAddr addr, std::uint64_t len) { on_write(addr, len, true); };
  mem_.on_code_dropped = [this](GuestAddr begin, GuestAddr end) {
    blocks_.clear();
    cur_block_ = nullptr;  // the next block hook sets it again
    drop_tsc_hooks(begin, end);
  };
  if (opts_.track_writes && opts_.counting != Counting::instructions)
    throw EmulatorError("watchpoints and the effect display need instruction counting");
  uc_.set_block_hook(&Process::on_block_thunk, this);
  UnicornEngine::HookPlan plan;
  plan.per_instruction = opts_.counting == Counting::instructions;
  // Instruction counting uses the block hook too: a block's last instruction
  // is the only one that may transfer control.
  plan.blocks = opts_.counting != Counting::none;
  plan.writes = opts_.track_writes;
  plan.precise_faults = opts_.counting == Counting::blocks && opts_.exact_faults;
  uc_.install_hooks(plan);
  // RDTSC/RDTSCP read the virtual clock: their sites are hooked as blocks
  // are decoded (hook_tsc_sites). The benchmarks' baseline (Counting::none)
  // has no block hook, so no such hook either.
}

void Process::load() {
  for (const ElfSegment& s : image_.segments) {
    const GuestAddr start = page_down(s.vaddr);
    const GuestAddr end = page_up(s.vaddr + s.memsz);
    // Page-aligned bytes: file contents from the segment's start, zeros after filesz.
    std::vector<std::uint8_t> bytes(end - start, 0);
    std::copy_n(image_.bytes.begin() + static_cast<std::ptrdiff_t>(s.offset),
                static_cast<std::ptrdiff_t>(s.filesz), bytes.begin() + static_cast<std::ptrdiff_t>(s.vaddr - start));
    const char* name = (s.prot & kProtExec) ? "text" : (s.prot & kProtWrite) ? "data" : "rodata";
    if (!mem_.map_fixed(start, end - start, s.prot, name, &bytes))
      throw EmulatorError(fmt::format("cannot reserve {} bytes of host memory for the program's segments", end - start));
  }
  if (!mem_.map_fixed(kStackTop - kStackSize, kStackSize, kProtRead | kProtWrite, "[stack]"))
    throw EmulatorError("cannot reserve host memory for the guest's stack");

  InitialStackInput in;
  in.argv = opts_.argv;
  in.envp = opts_.env;
  in.execfn = opts_.argv.empty() ? image_.path : opts_.argv[0];
  for (std::size_t i = 0; i < 16; i += 8) {
    const std::uint64_t r = next_random();
    std::copy_n(reinterpret_cast<const std::uint8_t*>(&r), 8, in.random.begin() + static_cast<std::ptrdiff_t>(i));
  }
  in.phdr = image_.phdr_addr;
  in.phnum = image_.phnum;
  in.entry = image_.entry;
  in.hwcap = fixed_hwcap();
  stack_ = build_initial_stack(in, kStackTop);
  mem_.write(stack_.low, stack_.bytes.data(), stack_.bytes.size());

  auto t = std::make_unique<Thread>();
  t->tid = next_tid_++;
  threads_.push_back(std::move(t));
  schedule_.emplace_back(0, threads_.back()->tid);
  current_ = 0;
  RegFile rf;
  rf[Reg::rip] = image_.entry;
  rf[Reg::rsp] = stack_.rsp;
  rf[Reg::rflags] = kRflagsAtExec;
  uc_.set_regs(rf);
}

Thread* Process::thread_by_tid(int tid) {
  for (auto& t : threads_)
    if (t->tid == tid) return t.get();
  return nullptr;
}

RegFile Process::regs_of(Thread& t) {
  if (&t == threads_[current_].get()) return uc_.regs();
  // Load the thread's context briefly; nothing runs in between.
  auto saved = uc_.new_context();
  uc_.save(*saved);
  const GuestAddr fs = uc_.reg(Reg::fs_base);
  uc_.restore(*t.context);
  RegFile rf = uc_.regs();
  rf[Reg::fs_base] = t.fs_base;
  uc_.restore(*saved);
  uc_.set_reg(Reg::fs_base, fs);
  return rf;
}

ProcessStats Process::stats() const {
  ProcessStats s;
  s.insns = insn_count_;
  for (const auto& t : threads_) s.insns_by_tid[t->tid] = t->insns;
  // The running thread's current slice is not yet added to its total (also
  // when it has just ended the process: its last slice counts too).
  if (!threads_.empty())
    s.insns_by_tid[threads_[current_]->tid] += insn_count_ - slice_start_count_;
  s.threads_created = threads_created_;
  s.virtual_ns = now_ns() - kMonotonicStart;
  s.syscalls = syscall_counts_;
  s.enosys = enosys_counts_;
  s.user_signals = user_signals_;
  s.touched = mem_.touched_bytes();
  s.touched_peak = std::max(touched_peak_, s.touched);
  return s;
}

void Process::set_watch_ranges(std::vector<std::pair<GuestAddr, std::uint64_t>> ranges) {
  watch_ranges_ = std::move(ranges);
}

void Process::set_write_log(bool on) { log_writes_ = on; }

std::vector<MemWrite> Process::take_write_log() {
  std::vector<MemWrite> out;
  out.swap(write_log_);
  return out;
}

std::vector<SyscallRecord> Process::take_syscall_log() {
  std::vector<SyscallRecord> out;
  out.swap(syscall_log_);
  return out;
}

std::uint64_t Process::thread_insns(const Thread& t) const {
  std::uint64_t n = t.insns;
  if (&t == threads_[current_].get()) n += insn_count_ - slice_start_count_;
  return n;
}

// Before a store lands (Unicorn's write hook, or the Linux layer's copy_to_user).
void Process::on_write(GuestAddr addr, std::uint64_t size, bool by_kernel) {
  // A store by an instruction is that instruction's; the Linux layer's belongs to
  // the system call it answers (its SYSCALL instruction), or to no instruction
  // at all when it builds a signal frame or completes a call for a woken thread.
  GuestAddr pc = cur_pc_;
  if (by_kernel) pc = kernel_cause_.kind == KernelCause::Kind::syscall ? syscall_pc_ : 0;
  if (by_kernel) kernel_pages_ += size / kPageSize + 2;
  if (log_writes_) {
    MemWrite w;
    w.addr = addr;
    w.size = static_cast<std::uint32_t>(size);
    w.before.resize(std::min<std::uint64_t>(size, 4096));
    mem_.peek(addr, w.before.data(), w.before.size());
    w.pc = pc;
    w.insn = insn_count_;
    w.tid = threads_[current_]->tid;
    w.by_kernel = by_kernel;
    if (by_kernel) w.cause = kernel_cause_;
    write_log_.push_back(std::move(w));
  }
  for (const auto& [start, len] : watch_ranges_)
    if (addr < start + len && start < addr + size && !watch_hit_) {
      watch_hit_ = true;
      watch_writer_ = pc;
      watch_writer_insn_ = insn_count_;
      watch_cause_ = by_kernel ? kernel_cause_ : KernelCause{};
    }
}

// ---------------------------------------------------------------- scheduling

void Process::wake(Thread& t, std::int64_t result) {
  t.state = ThreadState::runnable;
  t.wait = WaitKind::none;
  t.deadline.reset();
  t.resume_result = result;
}

void Process::block_current(WaitKind why, std::optional<std::uint64_t> deadline, std::int64_t timeout_result) {
  Thread& t = current();
  t.state = ThreadState::blocked;
  t.wait = why;
  t.deadline = deadline;
  t.timeout_result = timeout_result;
}

int Process::futex_wake(GuestAddr addr, int count) {
  int woken = 0;
  // Threads in creation order: the same waiters wake on every run.
  for (auto& t : threads_) {
    if (woken >= count) break;
    if (t->state == ThreadState::blocked && t->wait == WaitKind::futex && t->futex_addr == addr) {
      wake(*t, 0);
      ++woken;
    }
  }
  return woken;
}

void Process::wake_due_threads() {
  const std::uint64_t now = now_ns();
  for (auto& t : threads_)
    if (t->state == ThreadState::blocked && t->deadline && *t->deadline <= now) {
      if (t->wait == WaitKind::epoll) {
        kernel_cause_ = {KernelCause::Kind::wake, kSysEpollPwait, 0, t->tid};
        const int n = epoll_collect(*t);
        kernel_cause_ = {};
        wake(*t, n);
      } else {
        wake(*t, t->timeout_result);
      }
    }
}

void Process::recheck_epoll_waiters() {
  for (auto& t : threads_)
    if (t->state == ThreadState::blocked && t->wait == WaitKind::epoll) {
      kernel_cause_ = {KernelCause::Kind::wake, kSysEpollPwait, 0, t->tid};
      const int n = epoll_collect(*t);
      kernel_cause_ = {};
      if (n > 0) wake(*t, n);
    }
}

Thread* Process::pick_next() {
  for (int attempt = 0; attempt < 2; ++attempt) {
    wake_due_threads();
    recheck_waiters();
    const std::size_t n = threads_.size();
    for (std::size_t k = 1; k <= n; ++k) {
      const std::size_t i = (current_ + k) % n;
      if (threads_[i]->state == ThreadState::runnable) {
        switch_to(i);
        return threads_[i].get();
      }
    }
    // Nobody can run: jump the virtual clock to the earliest deadline.
    std::optional<std::uint64_t> earliest;
    for (auto& t : threads_)
      if (t->state == ThreadState::blocked && t->deadline)
        earliest = earliest ? std::min(*earliest, *t->deadline) : *t->deadline;
    if (wait_for_host(earliest)) {
      attempt = -1;  // something may be ready now: look again
      continue;
    }
    if (!earliest) return nullptr;
    if (*earliest > now_ns()) skipped_ns_ += *earliest - now_ns();
  }
  return nullptr;
}

void Process::switch_to(std::size_t index) {
  Thread& from = *threads_[current_];
  from.insns += insn_count_ - slice_start_count_;
  slice_start_count_ = insn_count_;
  if (index != current_) {
    // Saved for exited threads too: their last registers stay readable (regs_of).
    if (!from.context) from.context = uc_.new_context();
    uc_.save(*from.context);
    from.fs_base = uc_.reg(Reg::fs_base);
    from.after_transfer = after_transfer_;
    current_ = index;
    Thread& to = *threads_[index];
    schedule_.emplace_back(insn_count_, to.tid);
    uc_.restore(*to.context);
    uc_.set_reg(Reg::fs_base, to.fs_base);  // explicit, as docs/TRAPS.md advises
    after_transfer_ = to.after_transfer;
  }
  Thread& t = *threads_[current_];
  if (t.resume_result) {
    uc_.set_reg(Reg::rax, static_cast<std::uint64_t>(*t.resume_result));
    t.resume_result.reset();
  }
  slice_end_ = opts_.counting == Counting::none ? ~0ULL : insn_count_ + opts_.quantum;
  update_next_stop();
}

Thread& Process::clone_current(GuestAddr new_sp, std::optional<GuestAddr> tls) {
  auto t = std::make_unique<Thread>();
  t->tid = next_tid_++;
  Thread& parent = current();
  t->sigmask = parent.sigmask;
  // The child's registers: the parent's after the SYSCALL, with RAX = 0.
  const RegFile saved = uc_.regs();
  uc_.set_reg(Reg::rax, 0);
  if (new_sp) uc_.set_reg(Reg::rsp, new_sp);
  if (tls) uc_.set_reg(Reg::fs_base, *tls);
  t->context = uc_.new_context();
  uc_.save(*t->context);
  t->fs_base = uc_.reg(Reg::fs_base);
  uc_.set_regs(saved);
  ++threads_created_;
  threads_.push_back(std::move(t));
  return *threads_.back();
}

void Process::exit_current_thread(int status) {
  Thread& t = current();
  t.state = ThreadState::exited;
  if (t.clear_child_tid) {
    const std::uint32_t zero = 0;
    mem_.write(t.clear_child_tid, &zero, 4);
    futex_wake(t.clear_child_tid, 1);
  }
  bool any = false;
  for (auto& o : threads_) any |= o->state != ThreadState::exited;
  if (!any) exit_group(status);
}

void Process::exit_group(int status) {
  ended_ = true;
  exit_status_ = status & 0xff;
}

// ---------------------------------------------------------------- the loop

StopReason Process::watch_stop() {
  watch_hit_ = false;
  StopReason r{StopKind::watch};
  r.tid = current().tid;
  r.pc = watch_writer_;
  r.writer_insn = watch_writer_insn_;
  r.cause = watch_cause_;
  return r;
}

StopReason Process::interrupted_stop() {
  user_interrupt_.store(false, std::memory_order_relaxed);
  StopReason r{StopKind::interrupted};
  r.tid = current().tid;
  r.pc = uc_.reg(Reg::rip);
  return r;
}

StopReason Process::run() {
  if (spent_) return *spent_;
  if (ended_) return {StopKind::exited, exit_status_, 0, current().tid};
  if (deferred_fault_) {
    // The fault we stopped before (stop_on_signals): deliver it now.
    const PendingSignal s = *deferred_fault_;
    deferred_fault_.reset();
    kernel_cause_ = {KernelCause::Kind::signal_delivery, 0, s.sig, current().tid};
    auto stop = deliver(s, true);
    kernel_cause_ = {};
    if (stop) return *stop;
  }
  for (;;) {
    if (interrupted()) return interrupted_stop();  // asked while no thread could run
    Thread& t = current();
    if (t.state != ThreadState::runnable) {
      if (!pick_next()) {
        if (interrupted()) continue;
        StopReason r{StopKind::deadlock};
        r.tid = current().tid;
        r.pc = uc_.reg(Reg::rip);
        return r;
      }
      continue;
    }
    if (auto stop = deliver_pending_signals()) return *stop;
    if (current().state != ThreadState::runnable) continue;

    engine_stop_ = EngineStop::none;
    const GuestAddr pc = uc_.reg(Reg::rip);
    cur_pc_ = pc;
    const int err = uc_.start(pc);
    const EngineStop why = engine_stop_;
    engine_stop_ = EngineStop::none;
    // Unicorn refused the instruction itself (invalid opcode and the like):
    // delivered as #UD, SIGILL.
    const bool refused = err != 0 && why != EngineStop::interrupt && why != EngineStop::fault;
    if (refused) interrupt_ = 6;
    if (why == EngineStop::fault && fault_.access != MemAccess::fetch && opts_.counting == Counting::blocks &&
        !opts_.exact_faults) {
      // RIP is the block's start and the instructions before the faulting one
      // have run: which one faulted is not known, so neither is the count.
      StopReason r{StopKind::inexact_fault};
      r.tid = current().tid;
      r.pc = uc_.reg(Reg::rip);
      r.block_start = block_base_;
      ended_ = true;  // nothing more runs (signals are not queued, no call is caught)
      spent_ = r;     // and run() says so again, not that it exited
      return r;
    }
    // A data access that faulted, #UD, #DE and #GP leave the instruction not
    // done; a fetch fault is at the target of a transfer that completed.
    settle_count((why == EngineStop::fault && fault_.access != MemAccess::fetch) || refused ||
                 (why == EngineStop::interrupt && interrupt_ && exception_is_fault(*interrupt_)));

    if (why == EngineStop::fault || refused) {
      if (auto stop = handle_fault()) return *stop;
      continue;
    }
    switch (why) {
      case EngineStop::syscall:
        if (auto stop = handle_syscall()) return *stop;
        if (ended_) return {StopKind::exited, exit_status_, 0, current().tid};
        if (watch_hit_) return watch_stop();
        break;
      case EngineStop::watch:
        return watch_stop();
      case EngineStop::user_interrupt:
        return interrupted_stop();
      case EngineStop::quantum:
        if (auto stop = end_slice()) {
          if (stop->kind == StopKind::deadlock && interrupted()) continue;
          return *stop;
        }
        // Between two slices: what a stop here and a new run() would see.
        if (checkpoint_hook_ && checkpoint_every_ && insn_count_ >= next_checkpoint_) {
          next_checkpoint_ = insn_count_ + checkpoint_every_;
          checkpoint_hook_();
        }
        break;
      case EngineStop::arrange_exact:
        arrange_exact_stop();
        break;
      case EngineStop::arrange_tsc:
        hook_tsc_sites();
        break;
      case EngineStop::threshold: {
        StopReason r;
        r.tid = current().tid;
        r.pc = uc_.reg(Reg::rip);
        if (opts_.max_insns && insn_count_ >= opts_.max_insns) {
          r.kind = StopKind::insn_limit;
        } else {
          r.kind = StopKind::insn_reached;
          // At the end of a time slice the stop shows the thread that runs the next
          // instruction: the switch the next run() would make first, made now.
          if (slice_over()) {
            if (auto stop = end_slice()) return *stop;
            r.tid = current().tid;
            r.pc = uc_.reg(Reg::rip);
          }
        }
        return r;
      }
      case EngineStop::breakpoint: {
        resume_over_bp_ = cur_pc_;
        StopReason r{StopKind::breakpoint};
        r.tid = current().tid;
        r.pc = cur_pc_;
        return r;
      }
      case EngineStop::interrupt:
        if (auto stop = handle_fault()) return *stop;
        break;
      default:
        // Stopped with no reason recorded: treat as the end of the slice.
        break;
    }
  }
}

}  // namespace gostep
