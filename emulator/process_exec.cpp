// The Process's counting and stopping, in both counting modes: instruction
// counts, the boundaries where a time slice may end, the stop conditions
// (instruction numbers, breakpoints, --max-insns, --max-memory) and the RDTSC
// fix-up. docs/ARCHITECTURE.md, "Counting and time slices", says why.
#include <fmt/format.h>

#include <algorithm>
#include <vector>

#include "process.h"

namespace gostep {

void Process::make_faults_exact() {
  if (opts_.exact_faults) return;
  opts_.exact_faults = true;
  if (opts_.counting != Counting::blocks) return;
  uc_.add_precise_fault_hooks(opts_.track_writes);
  // Drop the code translated without the hooks, mapping by mapping.
  for (const Mapping& m : mem_.mappings())
    if (m.prot & kProtExec) uc_.invalidate_code(m.start, m.end);
}

void Process::stop_before_insn(std::optional<std::uint64_t> n) {
  stop_before_ = n;
  update_next_stop();
}

void Process::add_breakpoint(GuestAddr pc) {
  // Instruction counting checks every address against the set, so a new
  // breakpoint needs no flush of translated code. Block counting puts a hook
  // on the address and drops the code translated there, to get it.
  if (!breakpoints_.insert(pc).second || opts_.counting != Counting::blocks) return;
  breakpoint_hooks_[pc] = uc_.add_address_hook(pc, [this](GuestAddr a) { on_address_stop(a); });
  uc_.invalidate_code(pc, pc + 1);
}

void Process::remove_breakpoint(GuestAddr pc) {
  breakpoints_.erase(pc);
  auto it = breakpoint_hooks_.find(pc);
  if (it == breakpoint_hooks_.end()) return;
  uc_.remove_address_hook(it->second);
  breakpoint_hooks_.erase(it);
  uc_.invalidate_code(pc, pc + 1);
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
  std::uint64_t n = ~0ULL;
  if (opts_.max_insns) n = std::min(n, opts_.max_insns);
  if (stop_before_) n = std::min(n, *stop_before_ > 0 ? *stop_before_ - 1 : 0);
  if (const auto left = thread_target_remaining()) n = std::min(n, insn_count_ + *left);
  if (n != next_stop_) clear_exact_stop();
  next_stop_ = n;
}

// The instruction after an RDTSC/RDTSCP: load EDX:EAX from the virtual clock,
// which counts the RDTSC itself.
void Process::apply_tsc(GuestAddr pc) {
  if (tsc_pending_ != pc) return;
  tsc_pending_ = 0;
  const std::uint64_t tsc = clock_at(count_before(pc));
  uc_.set_reg(Reg::rax, tsc & 0xffffffffu);
  uc_.set_reg(Reg::rdx, tsc >> 32);
  if (tsc_pending_rdtscp_) uc_.set_reg(Reg::rcx, 0);  // IA32_TSC_AUX: CPU 0
}

// The RDTSC/RDTSCP instructions of a block just decoded, not hooked yet: hook
// each (note it ran) and, under block counting, the instruction after it
// (apply the clock there), and drop the code translated without the hooks.
// Sites are found as blocks are decoded, not by scanning the program for
// their bytes: each UC_HOOK_CODE hook costs Unicorn a look at every
// instruction it translates, and Go's text holds ~20 byte pairs 0F 31, most
// of them inside other instructions.
void Process::hook_tsc_sites() {
  arrange_tsc_ = false;
  for (const TscInsn& site : tsc_found_) {
    if (tsc_hooks_.count(site.addr)) continue;
    const GuestAddr after = site.addr + site.length;
    const bool rdtscp = site.rdtscp;
    std::vector<std::uint64_t>& ids = tsc_hooks_[site.addr];
    ids.push_back(uc_.add_address_hook(site.addr, [this, after, rdtscp](GuestAddr) {
      tsc_pending_ = after;
      tsc_pending_rdtscp_ = rdtscp;
    }));
    // With the per-instruction hook, on_insn applies the fix-up first thing at
    // `after`, before it may stop there (Unicorn skips later hooks of an
    // instruction once one stops, so a separate hook could miss it); under
    // block counting on_block does when `after` starts a block.
    if (opts_.counting == Counting::blocks)
      ids.push_back(uc_.add_address_hook(after, [this](GuestAddr pc) { apply_tsc(pc); }));
    // Every translated block holding the site or `after` (one that starts
    // at `after` has no need of the hook: on_block applies the fix-up).
    uc_.invalidate_code(site.addr, after + 1);
  }
}

// Code memory went away, or a restored checkpoint changed it: its sites may
// hold other code now.
void Process::drop_tsc_hooks(GuestAddr begin, GuestAddr end) {
  for (auto it = tsc_hooks_.begin(); it != tsc_hooks_.end();) {
    if (it->first < begin || it->first >= end) {
      ++it;
      continue;
    }
    for (const std::uint64_t id : it->second) uc_.remove_address_hook(id);
    it = tsc_hooks_.erase(it);
  }
}

// ------------------------------------------------- instruction counting

// Runs before every instruction. Must stay cheap.
void Process::on_insn(GuestAddr pc) {
  if (tsc_pending_) apply_tsc(pc);
  // The instruction started last has completed.
  if (have_last_) after_transfer_ = last_is_transfer_;
  have_last_ = false;
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
    engine_stop_ = EngineStop::threshold;
    uc_.stop();
    return;
  }
  if (slice_over()) {
    engine_stop_ = EngineStop::quantum;
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
  have_last_ = true;
  // Only a block's last instruction can transfer control (Unicorn ends a
  // block after every transfer), and the block hook ran before this one.
  last_is_transfer_ = cur_block_ && cur_block_->ends_with_transfer && pc == cur_block_->last_insn();
  ++insn_count_;
}

// ------------------------------------------------------- block counting

void Process::on_block_thunk(void* self, GuestAddr start, std::uint32_t size) {
  static_cast<Process*>(self)->on_block(start, size);
}

// A block not seen before (or since the cache was cleared): decode it.
const BlockCache::Slot& Process::decode_block(GuestAddr start, std::uint32_t size) {
  tsc_found_.clear();
  const Mapping* m = mem_.find(start);
  const BlockCache::Slot* s = nullptr;
  if (m && start + size <= m->end) {
    s = &blocks_.add(start, size, m->host + (start - m->start), tsc_found_);
  } else {
    // A block across two mappings.
    std::vector<std::uint8_t> code(size);
    if (!mem_.peek(start, code.data(), size))
      throw EmulatorError(fmt::format("Unicorn translated a block at {:#x} outside guest memory", start));
    s = &blocks_.add(start, size, code.data(), tsc_found_);
  }
  for (const TscInsn& t : tsc_found_) arrange_tsc_ |= !tsc_hooks_.count(t.addr);
  return *s;
}

// Runs before every translated block. Under block counting it counts the
// whole block at once and decides at the block's start everything on_insn
// would decide at its first instruction; a stop inside the block is a hook on
// that one address (arrange_exact_stop). The hottest code in gostep: the
// common path reads one cache line of the block cache.
void Process::on_block(GuestAddr start, std::uint32_t size) {
  const BlockCache::Slot* found = blocks_.find(start, size);
  const BlockCache::Slot& b = found ? *found : decode_block(start, size);
  if (opts_.counting == Counting::instructions) {
    if (arrange_tsc_) {
      engine_stop_ = EngineStop::arrange_tsc;
      return stop_before_block(start);
    }
    cur_block_ = b.block;  // on_insn counts; the block says where transfers are
    return;
  }
  // The block that ran before this one (in this start of the engine) ran to its end.
  if (block_entered_) {
    after_transfer_ = cur_ends_with_transfer_;
    block_entered_ = false;
    resume_over_bp_.reset();  // the instruction we resumed at has run
  }
  if (tsc_pending_) apply_tsc(start);  // before any stop, as on_insn does
  // A stop here is before the block: nothing of it runs.
  if (arrange_tsc_) {
    engine_stop_ = EngineStop::arrange_tsc;
    return stop_before_block(start);
  }
  if (user_interrupt_.load(std::memory_order_relaxed)) {
    cur_pc_ = start;
    engine_stop_ = EngineStop::user_interrupt;
    return stop_before_block(start);
  }
  if (insn_count_ + b.count > next_stop_) {
    if (insn_count_ >= next_stop_) {
      engine_stop_ = EngineStop::threshold;
      return stop_before_block(start);
    }
    if (exact_stop_at_ != b.block->insn_addr(static_cast<std::uint32_t>(next_stop_ - insn_count_))) {
      cur_block_ = b.block;
      engine_stop_ = EngineStop::arrange_exact;
      return stop_before_block(start);
    }
  }
  if (slice_over()) {
    engine_stop_ = EngineStop::quantum;
    return stop_before_block(start);
  }
  block_base_ = insn_count_;
  insn_count_ += b.count;
  cur_block_ = b.block;
  cur_ends_with_transfer_ = b.ends_with_transfer;
  block_entered_ = true;
}

// RIP is not the block's start when Unicorn chained into it from the block
// before (docs/TRAPS.md): settle_count sets it.
void Process::stop_before_block(GuestAddr start) {
  stopped_before_block_ = start;
  uc_.stop();
}

// Block counting: the hook on a breakpoint, or on the instruction where
// next_stop_ falls. Unicorn stops before the instruction it is on.
void Process::on_address_stop(GuestAddr pc) {
  if (!block_entered_) return;
  if (pc == exact_stop_at_ && count_before(pc) == next_stop_) {
    engine_stop_ = EngineStop::threshold;
    uc_.stop();
    return;
  }
  if (!breakpoints_.count(pc)) return;
  if (resume_over_bp_ == pc) {
    resume_over_bp_.reset();
    return;
  }
  cur_pc_ = pc;
  engine_stop_ = EngineStop::breakpoint;
  uc_.stop();
}

std::uint64_t Process::count_before(GuestAddr pc) const {
  if (opts_.counting != Counting::blocks || !block_entered_) return insn_count_;
  return block_base_ + cur_block_->executed_before(pc);
}

// next_stop_ falls inside the block about to run: put a hook on the
// instruction where it falls and have the block translated again with it.
void Process::arrange_exact_stop() {
  clear_exact_stop();
  exact_stop_at_ = cur_block_->insn_addr(static_cast<std::uint32_t>(next_stop_ - insn_count_));
  exact_stop_hook_ = uc_.add_address_hook(exact_stop_at_, [this](GuestAddr a) { on_address_stop(a); });
  uc_.invalidate_code(cur_block_->start, cur_block_->start + cur_block_->size);
}

void Process::clear_exact_stop() {
  if (!exact_stop_hook_) return;
  uc_.remove_address_hook(*exact_stop_hook_);
  uc_.invalidate_code(exact_stop_at_, exact_stop_at_ + 1);  // hot code loses the hook's call
  exact_stop_hook_.reset();
  exact_stop_at_ = 0;
}

// After the engine stopped: makes insn_count_ exact, RIP the next instruction
// to run, and settles whether the last completed instruction transferred
// control. `instruction_failed`: the instruction at RIP did not complete (a
// data fault, #DE, #UD, #GP).
void Process::settle_count(bool instruction_failed) {
  if (stopped_before_block_) {
    uc_.set_reg(Reg::rip, *stopped_before_block_);
    stopped_before_block_.reset();
    block_entered_ = false;
    return;  // exact already: the block before ran to its end, this one not at all
  }
  if (opts_.counting == Counting::instructions) {
    if (instruction_failed && have_last_) {
      --insn_count_;  // counted before it ran; it did not complete
      uc_.set_reg(Reg::rip, cur_pc_);
    } else if (have_last_) {
      after_transfer_ = last_is_transfer_;
    }
    have_last_ = false;
    return;
  }
  if (opts_.counting != Counting::blocks || !block_entered_) return;
  // Stopped inside or at the end of the block: RIP is exact there (faults
  // too, with HookPlan::precise_faults), and the instructions before it ran.
  const std::uint32_t k = cur_block_->executed_before(uc_.reg(Reg::rip));
  insn_count_ = block_base_ + k;
  if (k == cur_block_->count)
    after_transfer_ = cur_ends_with_transfer_;
  else if (k > 0)
    after_transfer_ = false;  // only a block's last instruction transfers control
  block_entered_ = false;
}

// ---------------------------------------------------------- time slices

// The slice is over (at the first instruction boundary after a transfer at or
// past its end): measure memory when due, and switch threads.
std::optional<StopReason> Process::end_slice() {
  if (auto stop = check_memory()) return stop;
  if (!pick_next()) {
    StopReason r{StopKind::deadlock};
    r.tid = current().tid;
    r.pc = uc_.reg(Reg::rip);
    return r;
  }
  return std::nullopt;
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
