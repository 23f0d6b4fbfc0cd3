// The emulated process: one ELF program, its memory, its threads and the
// Linux layer that answers its system calls. It runs the guest until
// something stops it and says why (rr's "why it stopped" style); it never
// formats text for people.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "address_space.h"
#include "block_cache.h"
#include "elf_image.h"
#include "fd_table.h"
#include "host_io.h"
#include "initial_stack.h"
#include "process_options.h"
#include "thread.h"
#include "unicorn_engine.h"
#include "vfs/vfs.h"

namespace gostep {

// What the Linux layer was doing when it wrote guest memory (watchpoints and the
// effect display name it instead of an instruction).
struct KernelCause {
  enum class Kind { none, syscall, signal_delivery, wake } kind = Kind::none;
  std::uint64_t syscall_nr = 0;  // syscall: the call; wake: the call the thread was blocked in
  int signal = 0;                // signal_delivery
  int tid = 0;                   // the thread it was for
};

enum class StopKind {
  exited,               // exit_group, or the last thread's exit
  killed,               // a signal with no handler ended it (exit 128+N)
  insn_limit,           // --max-insns reached
  memory_limit,         // the guest touched more memory than --max-memory
  deadlock,             // every thread is blocked and nothing can wake one
  unsupported_syscall,  // a call the Linux layer does not provide
  breakpoint,           // about to execute a breakpoint address
  watch,                // a watched range was written (the stop is after the writing instruction)
  syscall_caught,       // a system call named by catch_syscalls returned (the stop is after it)
  insn_reached,         // stop_before_insn or the thread instruction target reached
  guest_error,          // something gostep cannot continue from (bad clone flags...)
  interrupted,          // request_interrupt() (Ctrl-C in the debugger, a signal for the guest in `run`)
  before_exit,          // about to make exit_group (stop_before_exit), the SYSCALL not yet executed
  signal_received,      // about to deliver a signal named by stop_on_signals (not yet delivered)
  inexact_fault,        // a data fault with exact_faults off: `block_start` is the count before its
                        // block; the process cannot go on (ProgramRun re-executes)
};

struct StopReason {
  StopKind kind = StopKind::exited;
  int exit_status = 0;   // exited
  int signal = 0;        // killed
  int tid = 0;           // the thread that stopped
  GuestAddr pc = 0;      // the instruction involved
  std::uint64_t syscall_nr = 0;  // unsupported_syscall, syscall_caught, before_exit
  std::uint64_t writer_insn = 0; // watch: the index of the instruction (or SYSCALL) that wrote
  KernelCause cause;             // watch: the Linux layer's activity when it wrote (none: an instruction)
  std::uint64_t touched = 0;     // memory_limit: bytes of guest memory touched
  std::uint64_t block_start = 0; // inexact_fault: instructions executed before the faulting block
  std::string detail;    // e.g. "fault at 0x0 (read, unmapped)"
};

// The system call in progress, for the Linux layer's handlers.
struct SyscallArgs {
  std::uint64_t nr = 0;
  std::uint64_t a[6] = {};
};

// What a handler decided.
struct SysResult {
  enum class Kind { value, blocked, no_return, unsupported } kind = Kind::value;
  std::int64_t value = 0;
  static SysResult ret(std::int64_t v) { return {Kind::value, v}; }
  static SysResult blocked() { return {Kind::blocked, 0}; }
  static SysResult no_return() { return {Kind::no_return, 0}; }
  static SysResult unsupported() { return {Kind::unsupported, 0}; }
};

// One store into guest memory, by an instruction or by the Linux layer.
struct MemWrite {
  GuestAddr addr = 0;
  std::uint32_t size = 0;
  std::vector<std::uint8_t> before;  // the bytes it overwrote
  GuestAddr pc = 0;                  // the instruction (or SYSCALL) that wrote; 0 for signal frames
  std::uint64_t insn = 0;            // its index (1-based)
  int tid = 0;                       // the thread on the CPU
  bool by_kernel = false;
  KernelCause cause;                 // by_kernel: which call or signal delivery
};

// The last system call a thread made, for traces and the effect display.
struct SyscallRecord {
  int tid = 0;
  GuestAddr pc = 0;  // the SYSCALL instruction
  std::uint64_t nr = 0;
  std::uint64_t args[6] = {};
  std::int64_t result = 0;
  bool blocked = false;  // the result comes later, when the thread is woken
};

struct SigAction {
  GuestAddr handler = 0;  // 0 SIG_DFL, 1 SIG_IGN
  std::uint64_t flags = 0;
  GuestAddr restorer = 0;
  std::uint64_t mask = 0;
};

// A signal that came from outside the guest (a user's Ctrl-C, `queue-signal`),
// and the instruction count when it was queued: an input, like stdin's bytes.
struct UserSignal {
  int sig = 0;
  std::uint64_t insn = 0;  // instructions executed before it arrived
};

// The first path the guest looked for outside every granted directory.
struct OutsideLookup {
  std::string path;      // as the guest gave it
  std::string absolute;  // in the guest's tree
  bool relative = false;
};

struct ProcessStats {
  std::uint64_t insns = 0;
  std::map<int, std::uint64_t> insns_by_tid;
  int threads_created = 0;
  std::uint64_t virtual_ns = 0;  // since start
  std::map<std::string, std::uint64_t> syscalls;  // by name
  std::map<std::string, std::uint64_t> enosys;    // unsupported calls answered -ENOSYS (--enosys)
  std::vector<UserSignal> user_signals;
  std::uint64_t touched = 0;       // guest memory touched now (bytes; AddressSpace::touched_bytes)
  std::uint64_t touched_peak = 0;  // the most of it any measurement saw
};

class Process {
 public:
  Process(const ElfImage& image, ProcessOptions options);
  ~Process();
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  // Runs until the process ends or a stop condition holds.
  StopReason run();

  // Stop conditions.
  void stop_before_insn(std::optional<std::uint64_t> n);  // 1-based, across all threads
  // Stop (insn_reached) once thread `tid` has executed `n` instructions in all.
  void stop_at_thread_insns(std::optional<std::pair<int, std::uint64_t>> target);
  // Stop before the SYSCALL of exit_group executes (a debugger keeps the process).
  void stop_before_exit(bool on) { stop_before_exit_ = on; }
  // Stop before delivering these signals (bit sig-1); the next run delivers it.
  void stop_on_signals(std::uint64_t mask) { stop_signals_ = mask; }
  // Called before each instruction with the thread, the instruction's index (1-based)
  // and its pc (instruction counting only; time travel's scans of the past).
  using InsnObserver = std::function<void(int tid, std::uint64_t index, GuestAddr pc)>;
  void set_insn_observer(InsnObserver fn) { observer_ = std::move(fn); }
  // Who ran when: (instructions executed before it started, tid) for each stretch a
  // thread ran, in order (a new entry each time the CPU changes thread).
  const std::vector<std::pair<std::uint64_t, int>>& schedule() const { return schedule_; }
  // Async-signal-safe: the run stops before the next instruction (interrupted).
  void request_interrupt() { user_interrupt_.store(true, std::memory_order_relaxed); }
  void clear_interrupt() { user_interrupt_.store(false, std::memory_order_relaxed); }
  // From here on, data faults are exact (exact_faults off until now: the
  // re-execution has reached the block that faulted).
  void make_faults_exact();
  // The next run() does not stop at a breakpoint at `pc` (stepping off one).
  void skip_breakpoint_once(GuestAddr pc) { resume_over_bp_ = pc; }
  bool has_breakpoint(GuestAddr pc) const { return breakpoints_.count(pc) != 0; }
  void add_breakpoint(GuestAddr pc);
  void remove_breakpoint(GuestAddr pc);
  // Stop after any write into these ranges (needs track_writes).
  void set_watch_ranges(std::vector<std::pair<GuestAddr, std::uint64_t>> ranges);
  // Stop after these system calls (`catch syscall`); `all` catches every call.
  void catch_syscalls(std::unordered_set<std::uint64_t> numbers, bool all) {
    caught_syscalls_ = std::move(numbers);
    catch_all_syscalls_ = all;
  }
  // Record every write while on (needs track_writes for the guest's own stores).
  void set_write_log(bool on);
  std::vector<MemWrite> take_write_log();
  // System calls made since the last take (recorded always; cheap).
  std::vector<SyscallRecord> take_syscall_log();
  // Instructions thread `t` has executed so far.
  std::uint64_t thread_insns(const Thread& t) const;

  // State.
  UnicornEngine& engine() { return uc_; }
  AddressSpace& memory() { return mem_; }
  const ElfImage& image() const { return image_; }
  const ProcessOptions& options() const { return opts_; }
  const InitialStack& initial_stack() const { return stack_; }
  std::uint64_t insn_count() const { return insn_count_; }
  Thread& current() { return *threads_[current_]; }
  const std::vector<std::unique_ptr<Thread>>& threads() const { return threads_; }
  Thread* thread_by_tid(int tid);
  int pid() const { return kPid; }
  bool ended() const { return ended_; }
  ProcessStats stats() const;
  RegFile regs_of(Thread& t);  // registers of any thread, on the CPU or not

  // --- Time travel's checkpoints (emulator/process_snapshot.{h,cpp}) ---
  // Everything the guest's future depends on, at a moment between two
  // instructions: outside run(), or in the checkpoint hook. Instruction
  // counting only. Pages equal to `previous`'s share its copies.
  struct Snapshot;
  std::shared_ptr<const Snapshot> snapshot(const Snapshot* previous);
  // Back to `s` (a snapshot of this process). What the session set stays as
  // it is: breakpoints, watched ranges, caught calls, stop conditions, the
  // observer, the write log's switch; the logs themselves start empty.
  void restore(const Snapshot& s);
  // `fn` is called at a time-slice end, between two instructions, once at
  // least `every` instructions ran since the last call (0: never). The state
  // there is the state a stop there would leave (a snapshot may be taken).
  void set_checkpoint_hook(std::uint64_t every, std::function<void()> fn) {
    checkpoint_every_ = every;
    checkpoint_hook_ = std::move(fn);
    next_checkpoint_ = insn_count_ + every;
  }
  void set_checkpoint_every(std::uint64_t every) {
    checkpoint_every_ = every;
    next_checkpoint_ = insn_count_ + every;
  }

  // --- For the Linux layer (emulator/linux/*.cpp) ---
  std::uint64_t now_ns() const { return clock_at(insn_count_); }
  static constexpr std::uint64_t kRealtimeEpochNs = 1257894000ULL * 1'000'000'000ULL;  // 2009-11-10 23:00 UTC
  static constexpr std::uint64_t kMonotonicStart = 1'000'000'000ULL;
  FdTable& fds() { return fds_; }
  SigAction& sigaction(int sig) { return sigactions_[static_cast<std::size_t>(sig)]; }
  std::uint64_t next_random();
  std::array<std::uint64_t, 2>& rlimit(int resource) { return rlimits_[static_cast<std::size_t>(resource) % 16]; }
  // Blocks the current thread; the handler then returns SysResult::blocked().
  void block_current(WaitKind why, std::optional<std::uint64_t> deadline, std::int64_t timeout_result);
  // Wakes `t`, which will see `result` as its system call's return value.
  void wake(Thread& t, std::int64_t result);
  int futex_wake(GuestAddr addr, int count);
  // A new thread that starts with the current thread's registers, except these.
  Thread& clone_current(GuestAddr new_sp, std::optional<GuestAddr> tls);
  void exit_current_thread(int status);
  void exit_group(int status);
  // Queues a signal for thread `t` (tgkill), interrupting a blocking call.
  void send_signal(Thread& t, const PendingSignal& info);
  // rt_sigreturn: restores the frame at the current stack.
  bool sigreturn();
  // Something every blocked epoll_pwait and blocking read/write should re-check (a pipe was written...).
  void fd_ready_changed() { fd_changed_ = true; }
  // Blocks `t` in a read or write that cannot go on yet: the call is made
  // again when a descriptor changes (or, `on_stdin`, when the host's stdin is ready).
  void block_io(Thread& t, const SyscallArgs& a, bool on_stdin);
  // Queues a process-directed signal from outside the guest (SI_USER), to the
  // first thread that does not block it, and records it for --stats.
  void queue_user_signal(int sig);
  // Whether a thread still has `sig` pending (not delivered yet, or blocked).
  bool signal_pending(int sig) const;

  // --- The guest's file system (emulator/process_fs.cpp)
  vfs::Vfs& vfs() { return vfs_; }
  vfs::FsContext& fs() { return fs_; }
  HostIo& host() { return *host_io_; }
  // The contents of a /proc file, made now.
  std::string proc_contents(vfs::ProcFile which);
  // Releases what closed file descriptions held (a node, a pipe end's readiness).
  void release(std::vector<OpenFile>& released);
  // The hint of DESIGN.md's sandbox: a path the guest looked for outside every
  // grant, when it is still missing at the end.
  std::optional<OutsideLookup> outside_lookup();
  // Fills the epoll_pwait result for `t` now: the number of events, 0 if none.
  int epoll_collect(Thread& t);

 private:
  static constexpr int kPid = 1000;

  void setup_hooks();
  void load();
  // Scheduling.
  Thread* pick_next();
  void switch_to(std::size_t index);
  void wake_due_threads();
  void recheck_epoll_waiters();
  void recheck_io_waiters(bool fds_changed);
  void recheck_waiters();
  // Nobody can run: wait in real time for the host when a thread waits for stdin.
  bool wait_for_host(std::optional<std::uint64_t> earliest);
  bool interrupted() const { return user_interrupt_.load(std::memory_order_relaxed); }
  StopReason interrupted_stop();
  void setup_fs();
  // What happens after the engine stops.
  std::optional<StopReason> handle_syscall();
  std::optional<StopReason> handle_fault();
  std::optional<StopReason> deliver_pending_signals();
  std::optional<StopReason> deliver(const PendingSignal& s, bool synchronous);
  void restart_syscall(Thread& t);
  StopReason fatal_signal(const PendingSignal& s);
  void update_next_stop();
  std::optional<std::uint64_t> thread_target_remaining() const;
  StopReason watch_stop();
  std::optional<StopReason> check_memory();
  void on_insn(GuestAddr pc);
  static void on_block_thunk(void* self, GuestAddr start, std::uint32_t size);
  void on_block(GuestAddr start, std::uint32_t size);
  [[gnu::noinline]] const BlockCache::Slot& decode_block(GuestAddr start, std::uint32_t size);
  void stop_before_block(GuestAddr start);
  void on_address_stop(GuestAddr pc);
  void settle_count(bool instruction_failed);
  void arrange_exact_stop();
  void clear_exact_stop();
  std::uint64_t count_before(GuestAddr pc) const;
  bool slice_over() const { return after_transfer_ && insn_count_ >= slice_end_; }
  std::optional<StopReason> end_slice();
  void apply_tsc(GuestAddr pc);
  void hook_tsc_sites();
  void drop_tsc_hooks(GuestAddr begin, GuestAddr end);
  // The virtual clock once `count` instructions have run.
  std::uint64_t clock_at(std::uint64_t count) const { return kMonotonicStart + count + skipped_ns_; }
  // x86 exceptions reported with RIP on an instruction that did not complete:
  // #DE, #UD, #GP (the ones Unicorn raises for user code; #PF arrives as a
  // memory fault). #DB, #BP and INT n leave RIP after their instruction.
  static bool exception_is_fault(std::uint32_t intno) { return intno == 0 || intno == 6 || intno == 13; }
  void on_write(GuestAddr addr, std::uint64_t size, bool by_kernel);

  const ElfImage& image_;
  ProcessOptions opts_;
  std::shared_ptr<HostIo> host_io_;
  vfs::Vfs vfs_{nullptr};
  vfs::FsContext fs_;
  UnicornEngine uc_;
  AddressSpace mem_;
  FdTable fds_;
  InitialStack stack_;
  std::vector<std::unique_ptr<Thread>> threads_;
  std::size_t current_ = 0;
  int next_tid_ = kPid;
  std::array<SigAction, 65> sigactions_{};
  std::uint64_t random_state_ = 0;
  std::array<std::array<std::uint64_t, 2>, 16> rlimits_;

  // Counting and stopping (process_exec.cpp). Outside a hook insn_count_ is
  // exact; inside a translated block under block counting it already counts
  // the whole block, and count_before(pc) is exact.
  std::uint64_t insn_count_ = 0;
  std::uint64_t skipped_ns_ = 0;   // virtual time jumped over while all threads slept
  std::uint64_t slice_end_ = 0;    // the slice ends at the first boundary at or after this count
  std::uint64_t next_stop_ = ~0ULL;  // stop exactly when insn_count_ reaches this (stops asked for)
  // The current thread's last completed instruction transferred control: the
  // next instruction starts a basic block, where a time slice may end.
  bool after_transfer_ = true;
  bool have_last_ = false;         // instruction counting: cur_pc_ started, not settled yet
  bool last_is_transfer_ = false;  // ...and it is a transfer
  BlockCache blocks_;
  const Block* cur_block_ = nullptr;  // the block running (or run last)
  bool cur_ends_with_transfer_ = false;
  std::uint64_t block_base_ = 0;      // block counting: insn_count_ when cur_block_ started
  bool block_entered_ = false;        // ...and it started since the engine was started
  std::optional<GuestAddr> stopped_before_block_;  // the engine stopped at this block's start
  GuestAddr exact_stop_at_ = 0;       // block counting: the address hooked for next_stop_
  std::optional<std::uint64_t> exact_stop_hook_;
  std::unordered_map<GuestAddr, std::uint64_t> breakpoint_hooks_;  // block counting: address -> hook
  std::optional<std::uint64_t> stop_before_;
  std::optional<std::pair<int, std::uint64_t>> thread_target_;
  bool stop_before_exit_ = false;
  std::optional<GuestAddr> resume_over_exit_;  // the exit_group we stopped before
  std::uint64_t stop_signals_ = 0;
  int resume_with_signal_ = 0;                 // the pending signal we stopped before
  std::atomic<bool> user_interrupt_{false};
  KernelCause kernel_cause_;                   // what the Linux layer is doing now
  GuestAddr syscall_pc_ = 0;                   // the SYSCALL it answers
  std::optional<PendingSignal> deferred_fault_;  // stopped before delivering it
  std::unordered_set<GuestAddr> breakpoints_;
  InsnObserver observer_;
  std::vector<std::pair<std::uint64_t, int>> schedule_;
  std::optional<GuestAddr> resume_over_bp_;  // the breakpoint we stopped at, not hit again
  GuestAddr cur_pc_ = 0;
  GuestAddr tsc_pending_ = 0;  // the instruction after an RDTSC that just ran
  bool tsc_pending_rdtscp_ = false;
  // RDTSC/RDTSCP sites hooked so far (hook_tsc_sites): site -> its hooks. The
  // hooks are the engine's, not the guest's: a restored snapshot keeps them.
  std::unordered_map<GuestAddr, std::vector<std::uint64_t>> tsc_hooks_;
  std::vector<TscInsn> tsc_found_;  // those of the block decoded last
  bool arrange_tsc_ = false;        // ...and some are not hooked yet
  std::uint64_t slice_start_count_ = 0;
  std::uint64_t checkpoint_every_ = 0;
  std::uint64_t next_checkpoint_ = 0;
  std::function<void()> checkpoint_hook_;

  // Touched memory (--max-memory), measured at time-slice ends when the guest
  // may have crossed the limit since the last measurement (check_memory).
  std::uint64_t mem_base_count_ = 0;      // insn_count_ at the last measurement
  std::uint64_t mem_budget_pages_ = 0;    // pages still allowed then
  std::uint64_t kernel_pages_ = 0;        // pages the Linux layer wrote since
  std::uint64_t touched_peak_ = 0;

  // Why the engine stopped.
  enum class EngineStop {
    none, syscall, quantum, threshold, breakpoint, fault, interrupt, watch, user_interrupt,
    arrange_exact,  // block counting: next_stop_ falls inside the block about to run
    arrange_tsc,    // the block about to run has an RDTSC not hooked yet
  };
  EngineStop engine_stop_ = EngineStop::none;
  struct Fault {
    GuestAddr addr = 0;
    MemAccess access = MemAccess::read;
    bool mapped = false;
  } fault_;
  std::optional<std::uint32_t> interrupt_;  // the CPU exception being handled (0 is #DE, divide error)

  // Writes: the effect display's log and the watchpoints' ranges.
  bool log_writes_ = false;
  std::vector<MemWrite> write_log_;
  std::vector<std::pair<GuestAddr, std::uint64_t>> watch_ranges_;
  bool watch_hit_ = false;
  GuestAddr watch_writer_ = 0;
  std::uint64_t watch_writer_insn_ = 0;
  KernelCause watch_cause_;
  std::vector<SyscallRecord> syscall_log_;
  std::unordered_set<std::uint64_t> caught_syscalls_;
  bool catch_all_syscalls_ = false;

  bool ended_ = false;
  std::optional<StopReason> spent_;  // the inexact fault that ended it (exact_faults off)
  int exit_status_ = 0;
  bool fd_changed_ = false;
  int threads_created_ = 0;
  std::map<std::string, std::uint64_t> syscall_counts_;
  std::map<std::string, std::uint64_t> enosys_counts_;
  std::vector<UserSignal> user_signals_;
};

}  // namespace gostep
