#include "engine/effects.h"

#include <algorithm>
#include <map>

#include "engine/target.h"

namespace gostep::engine {

EffectRecorder::EffectRecorder(Target& target, int tid) : t_(target), tid_(tid) {
  Process& p = t_.session().process();
  fx_.tid = tid;
  fx_.before = t_.registers(tid);
  fx_.pc = fx_.before[Reg::rip];
  fx_.insn = t_.next_insn();
  start_count_ = p.insn_count();
  if (t_.session().model()) before_ = t_.runtime_state(tid);
  p.take_write_log();
  p.take_syscall_log();
  p.set_write_log(true);
}

EffectRecorder::~EffectRecorder() { t_.session().process().set_write_log(false); }

Effects EffectRecorder::common() {
  Process& p = t_.session().process();
  Effects fx = fx_;
  fx.after = t_.registers(tid_);
  fx.insns = p.insn_count() - start_count_;
  for (const auto& c : p.take_syscall_log())
    if (c.tid == tid_) fx.syscalls.push_back(c);
  if (before_) fx.fields = model::RuntimeModel::diff(*before_, t_.runtime_state(tid_));
  return fx;
}

Effects EffectRecorder::instruction() {
  Effects fx = common();
  Process& p = t_.session().process();
  for (auto& w : p.take_write_log()) {
    // Other threads' stores (they ran while this one waited) are not this instruction's.
    const int who = w.by_kernel ? w.cause.tid : w.tid;
    if (who != tid_) continue;
    WrittenRange e;
    e.addr = w.addr;
    e.before = std::move(w.before);
    e.after.resize(e.before.size());
    t_.read_memory(w.addr, e.after.data(), e.after.size());
    e.symbol = t_.describe_data(w.addr);
    e.by_kernel = w.by_kernel;
    e.cause = w.cause;
    e.pc = w.pc;
    fx.writes.push_back(std::move(e));
  }
  return fx;
}

Effects EffectRecorder::net() {
  Effects fx = common();
  fx.net = true;
  Process& p = t_.session().process();
  // The first value of every byte written, then the 8-byte words they fall in.
  std::map<GuestAddr, std::uint8_t> first;
  std::map<GuestAddr, const MemWrite*> last_writer;
  const auto log = p.take_write_log();
  for (const auto& w : log) {
    for (std::size_t i = 0; i < w.before.size(); ++i) first.emplace(w.addr + i, w.before[i]);
    for (GuestAddr a = w.addr & ~GuestAddr{7}; a < w.addr + w.before.size(); a += 8) last_writer[a] = &w;
  }
  for (auto it = first.begin(); it != first.end();) {
    const GuestAddr word = it->first & ~GuestAddr{7};
    WrittenRange e;
    e.addr = word;
    e.after.resize(8);
    const bool readable = t_.read_memory(word, e.after.data(), 8);
    e.before = e.after;
    for (; it != first.end() && (it->first & ~GuestAddr{7}) == word; ++it) e.before[it->first - word] = it->second;
    if (!readable || e.before == e.after) continue;  // unmapped since, or written back to what it was
    e.symbol = t_.describe_data(word);
    if (e.symbol.empty()) {
      ++fx.unnamed_writes;
      continue;
    }
    if (const MemWrite* w = last_writer[word]) {
      e.by_kernel = w->by_kernel;
      e.cause = w->cause;
      e.pc = w->pc;
    }
    fx.writes.push_back(std::move(e));
  }
  return fx;
}

}  // namespace gostep::engine
