// The emulated process: one ELF program, its memory, its threads and the
// Linux layer that answers its system calls. It runs the guest until
// something stops it and says why (rr's "why it stopped" style); it never
// formats text for people.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "address_space.h"
#include "elf_image.h"
#include "fd_table.h"
#include "initial_stack.h"
#include "thread.h"
#include "unicorn_engine.h"

namespace gostep {

struct ProcessOptions {
  std::vector<std::string> argv;  // argv[0] is the path as the user gave it
  std::vector<std::string> env;   // "K=V"; empty by default
  std::uint64_t seed = 0;         // AT_RANDOM and getrandom
  std::uint64_t quantum = 10'000; // instructions per time slice
  int ncpu = 2;                   // CPUs in the affinity mask
  std::uint64_t max_insns = 0;    // 0: no limit
  bool per_instruction_hook = true;  // off only for the benchmark baseline
  bool track_writes = false;      // memory-write hook: effects display and watchpoints (debug)
  int stdin_fd = 0;               // host fd read for the guest's fd 0; -1 reads as empty
  int stdout_fd = 1;              // host fd the guest's fd 1 writes to
  int stderr_fd = 2;              // host fd the guest's fd 2 writes to
};

enum class StopKind {
  exited,               // exit_group, or the last thread's exit
  killed,               // a signal with no handler ended it (exit 128+N)
  insn_limit,           // --max-insns reached
  deadlock,             // every thread is blocked and nothing can wake one
  unsupported_syscall,  // a call the Linux layer does not provide
  breakpoint,           // about to execute a breakpoint address
  watch,                // a watched range was written (the stop is after the writing instruction)
  syscall_caught,       // a system call named by catch_syscalls returned (the stop is after it)
  insn_reached,         // stop_before_insn reached
  guest_error,          // something gostep cannot continue from (bad clone flags...)
};

struct StopReason {
  StopKind kind = StopKind::exited;
  int exit_status = 0;   // exited
  int signal = 0;        // killed
  int tid = 0;           // the thread that stopped
  GuestAddr pc = 0;      // the instruction involved
  std::uint64_t syscall_nr = 0;  // unsupported_syscall
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
  GuestAddr pc = 0;                  // the instruction (or SYSCALL) that wrote
  bool by_kernel = false;
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

struct ProcessStats {
  std::uint64_t insns = 0;
  std::map<int, std::uint64_t> insns_by_tid;
  int threads_created = 0;
  std::uint64_t virtual_ns = 0;  // since start
  std::map<std::string, std::uint64_t> syscalls;  // by name
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

  // --- For the Linux layer (emulator/linux/*.cpp) ---
  std::uint64_t now_ns() const { return kMonotonicStart + insn_count_ + skipped_ns_; }
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
  // Something every blocked epoll_pwait should re-check (a pipe was written...).
  void fd_ready_changed() { fd_changed_ = true; }
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
  // What happens after the engine stops.
  std::optional<StopReason> handle_syscall();
  std::optional<StopReason> handle_fault();
  std::optional<StopReason> deliver_pending_signals();
  std::optional<StopReason> deliver(const PendingSignal& s, bool synchronous);
  StopReason fatal_signal(const PendingSignal& s);
  void update_next_stop();
  void on_insn(GuestAddr pc);
  void apply_tsc(GuestAddr pc);
  void on_write(GuestAddr addr, std::uint64_t size, bool by_kernel);

  const ElfImage& image_;
  ProcessOptions opts_;
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

  // Counting and stopping (the per-instruction hook).
  std::uint64_t insn_count_ = 0;
  std::uint64_t skipped_ns_ = 0;   // virtual time jumped over while all threads slept
  std::uint64_t slice_end_ = 0;
  std::uint64_t next_stop_ = 0;    // the hook stops when insn_count_ reaches this
  std::optional<std::uint64_t> stop_before_;
  std::unordered_set<GuestAddr> breakpoints_;
  std::optional<GuestAddr> resume_over_bp_;  // the breakpoint we stopped at, not hit again
  GuestAddr cur_pc_ = 0;
  GuestAddr tsc_pending_ = 0;  // the instruction after an RDTSC that just ran
  bool tsc_pending_rdtscp_ = false;
  std::uint64_t slice_start_count_ = 0;

  // Why the engine stopped.
  enum class EngineStop { none, syscall, quantum, threshold, breakpoint, fault, interrupt, block, watch };
  EngineStop engine_stop_ = EngineStop::none;
  struct Fault {
    GuestAddr addr = 0;
    MemAccess access = MemAccess::read;
    bool mapped = false;
  } fault_;
  std::uint32_t interrupt_ = 0;

  // Writes: the effect display's log and the watchpoints' ranges.
  bool log_writes_ = false;
  std::vector<MemWrite> write_log_;
  std::vector<std::pair<GuestAddr, std::uint64_t>> watch_ranges_;
  bool watch_hit_ = false;
  GuestAddr watch_writer_ = 0;
  std::vector<SyscallRecord> syscall_log_;
  std::unordered_set<std::uint64_t> caught_syscalls_;
  bool catch_all_syscalls_ = false;

  bool ended_ = false;
  int exit_status_ = 0;
  bool fd_changed_ = false;
  int threads_created_ = 0;
  std::map<std::string, std::uint64_t> syscall_counts_;
};

}  // namespace gostep
