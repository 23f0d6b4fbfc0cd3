// The Process's counting and stopping: instruction counts, the stop
// conditions (instruction numbers, breakpoints, --max-insns, --max-memory) and
// the RDTSC fix-up. docs/ARCHITECTURE.md, "Threads and time".
#include <algorithm>

#include "process.h"

namespace gostep {

void Process::stop_before_insn(std::optional<std::uint64_t> n) {
  stop_before_ = n;
  update_next_stop();
}

void Process::add_breakpoint(GuestAddr pc) {
  // Checked by the per-instruction hook (on_insn) against this set, so a new
  // breakpoint needs no flush of Unicorn's translated code.
  breakpoints_.insert(pc);
}

void Process::remove_breakpoint(GuestAddr pc) {
  breakpoints_.erase(pc);
}

void Process::stop_at_thread_insns(std::optional<std::pair<int, std::uint64_t>> target) {
  thread_target_ = target;
  update_next_stop();
}

// Instructions the current thread still has to run before its target; nullopt
// when the target is another thread's (or there is none).
std::optional<std::uint64_t> Process::thread_target_remaining() const {
  if (!thread_target_ || threads_.empty() || threads_[current_]->tid != thread_target_->first) return std::nullopt;
  const std::uint64_t done = threads_[current_]->insns + (insn_count_ - slice_start_count_);
  return thread_target_->second > done ? thread_target_->second - done : 0;
}

void Process::update_next_stop() {
  std::uint64_t n = slice_end_;
  if (opts_.max_insns) n = std::min(n, opts_.max_insns);
  if (stop_before_) n = std::min(n, *stop_before_ > 0 ? *stop_before_ - 1 : 0);
  if (const auto left = thread_target_remaining()) n = std::min(n, insn_count_ + *left);
  next_stop_ = n;
}

// The instruction after an RDTSC/RDTSCP: load EDX:EAX from the virtual clock.
void Process::apply_tsc(GuestAddr pc) {
  if (tsc_pending_ != pc) return;
  tsc_pending_ = 0;
  const std::uint64_t tsc = now_ns();
  uc_.set_reg(Reg::rax, tsc & 0xffffffffu);
  uc_.set_reg(Reg::rdx, tsc >> 32);
  if (tsc_pending_rdtscp_) uc_.set_reg(Reg::rcx, 0);  // IA32_TSC_AUX: CPU 0
}

// Runs before every instruction. Must not throw and must stay cheap.
void Process::on_insn(GuestAddr pc) {
  if (tsc_pending_) apply_tsc(pc);
  if (watch_hit_) {
    engine_stop_ = EngineStop::watch;
    uc_.stop();
    return;
  }
  if (user_interrupt_.load(std::memory_order_relaxed)) {
    cur_pc_ = pc;
    engine_stop_ = EngineStop::user_interrupt;
    uc_.stop();
    return;
  }
  if (insn_count_ >= next_stop_) {
    const auto left = thread_target_remaining();
    const bool asked = (opts_.max_insns && insn_count_ >= opts_.max_insns) ||
                       (stop_before_ && insn_count_ + 1 >= *stop_before_) || (left && *left == 0);
    engine_stop_ = insn_count_ >= slice_end_ && !asked ? EngineStop::quantum : EngineStop::threshold;
    uc_.stop();
    return;
  }
  if (!breakpoints_.empty() && breakpoints_.count(pc)) {
    if (resume_over_bp_ != pc) {
      cur_pc_ = pc;
      engine_stop_ = EngineStop::breakpoint;
      uc_.stop();
      return;
    }
  }
  resume_over_bp_.reset();
  cur_pc_ = pc;
  if (observer_) observer_(threads_[current_]->tid, insn_count_ + 1, pc);
  ++insn_count_;
}

// Measures touched memory when the guest may have crossed --max-memory since
// the last measurement: no instruction touches more than 4 new pages (a
// string move straddling pages), and the Linux layer's writes are counted as
// they happen. Called at time-slice ends only, so the stop is deterministic;
// at least kMinInterval instructions apart, so a guest near the limit does
// not pay a measurement per slice (it may overshoot by that much).
std::optional<StopReason> Process::check_memory() {
  constexpr std::uint64_t kMinInterval = 1 << 16;
  if (!opts_.max_memory) return std::nullopt;
  const std::uint64_t ran = insn_count_ - mem_base_count_;
  if (ran < kMinInterval || 4 * ran + kernel_pages_ < mem_budget_pages_) return std::nullopt;
  const std::uint64_t touched = mem_.touched_bytes();
  touched_peak_ = std::max(touched_peak_, touched);
  if (touched > opts_.max_memory) {
    StopReason r{StopKind::memory_limit};
    r.tid = current().tid;
    r.pc = uc_.reg(Reg::rip);
    r.touched = touched;
    return r;
  }
  mem_base_count_ = insn_count_;
  mem_budget_pages_ = (opts_.max_memory - touched) / kPageSize;
  kernel_pages_ = 0;
  return std::nullopt;
}

}  // namespace gostep
