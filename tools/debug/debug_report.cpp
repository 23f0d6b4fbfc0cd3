// What a stop looks like at the prompt (gdb's wording where gdb has one): the
// effects of what ran, the breakpoints, watchpoints, catchpoints and signals
// that stopped it, and the location line that names thread, place and
// instruction index.
#include <fmt/format.h>

#include <algorithm>
#include <csignal>
#include <cstring>

#include "debugger.h"
#include "emulator/disassembler.h"
#include "emulator/linux/syscall_table.h"
#include "engine/json.h"
#include "tools/stop_report.h"
#include "tools/text_util.h"
#include "value_format.h"

namespace gostep {
namespace {

std::string hex(std::uint64_t v) { return fmt::format("{:#x}", v); }

std::string bytes_hex(const std::vector<std::uint8_t>& b) {
  if (b.size() <= 8) {
    std::uint64_t v = 0;
    std::memcpy(&v, b.data(), b.size());
    return hex(v);
  }
  std::string s;
  for (std::size_t i = 0; i < b.size() && i < 32; ++i) s += fmt::format("{:02x}", b[i]);
  return s + (b.size() > 32 ? "..." : "");
}

std::string signal_description(int sig) {
  switch (sig) {
    case SIGSEGV: return "Segmentation fault";
    case SIGFPE: return "Arithmetic exception";
    case SIGILL: return "Illegal instruction";
    case SIGBUS: return "Bus error";
    case SIGABRT: return "Aborted";
    case SIGTRAP: return "Trace/breakpoint trap";
    case SIGINT: return "Interrupt";
    case SIGTERM: return "Terminated";
    case SIGQUIT: return "Quit";
    case SIGHUP: return "Hangup";
    default: return signal_name(sig);
  }
}

// "by the kernel: arch_prctl", "by the kernel: signal frame for SIGURG".
std::string kernel_words(const KernelCause& c) {
  switch (c.kind) {
    case KernelCause::Kind::syscall: return fmt::format("by the kernel: {}", syscall_name(c.syscall_nr));
    case KernelCause::Kind::wake: return fmt::format("by the kernel: {} result for woken thread {}", syscall_name(c.syscall_nr), c.tid);
    case KernelCause::Kind::signal_delivery:
      return fmt::format("by the kernel: {} signal frame for thread {}", signal_name(c.signal), c.tid);
    case KernelCause::Kind::none: break;
  }
  return "by the kernel";
}

std::string syscall_line(const SyscallRecord& c) {
  const SyscallInfo* info = find_syscall(c.nr);
  std::string args;
  if (info)
    for (std::size_t i = 0; i < 6 && info->args[i]; ++i) args += fmt::format("{}{}={}", i ? ", " : "", info->args[i], hex(c.args[i]));
  const std::string name = info ? info->name : syscall_name(c.nr);
  const std::string result = c.blocked ? "blocks"
                                       : fmt::format("= {}", c.result < 0 && c.result > -4096 ? std::to_string(c.result)
                                                                                              : hex(static_cast<std::uint64_t>(c.result)));
  return fmt::format("   syscall {}({}) {}\n", name, args, result);
}

}  // namespace

std::string Debugger::location_line(int tid, bool with_source) {
  const auto th = t_.thread(tid);
  if (!th) return "";
  const GuestAddr pc = th->pc;
  std::string s = fmt::format("{:#x} in {}", pc, t_.symbols().describe_code(pc));
  // Inside an inlined call, name it first (gdb names the inlined function).
  if (const model::Pclntab* tab = t_.session().pclntab())
    if (const auto f = tab->function_at(pc))
      if (const auto inl = tab->inlined_at(*f, pc); !inl.empty())
        s = fmt::format("{:#x} in {} (inlined in {})", pc, inl.front().function, t_.symbols().describe_code(pc));
  const auto src = t_.symbols().source(pc);
  if (src) s += fmt::format(" at {}", src->short_form());
  // Every stop names its thread and the instruction about to run (usable as insn:N),
  // and, in the past, how far the recording goes.
  const std::uint64_t recorded = t_.recording().recorded();
  if (t_.next_insn() <= recorded)
    s += fmt::format("   [thread {}, insn {} of {} recorded]", tid, t_.next_insn(), with_commas(recorded));
  else
    s += fmt::format("   [thread {}, insn {}]", tid, t_.next_insn());
  if (with_source && src)
    if (auto text = sources_.line(src->full_path, src->line)) s += fmt::format("\n{}\t{}", src->line, *text);
  return s + "\n";
}

std::string Debugger::writer_line(const engine::WatchHit& w) {
  if (w.cause.kind != KernelCause::Kind::none) {
    std::string s = fmt::format("Written {}", kernel_words(w.cause));
    if (w.writer_pc) s += fmt::format(", at {:#x} {}", w.writer_pc, t_.symbols().describe_code(w.writer_pc));
    return s + fmt::format("  [insn {}]\n", w.writer_insn);
  }
  std::uint8_t code[16] = {};
  t_.read_memory(w.writer_pc, code, sizeof code);
  std::string src;
  if (auto l = t_.symbols().source(w.writer_pc)) src = "  (" + l->short_form() + ")";
  return fmt::format("Written by {:#x} {}: {}{}  [thread {}, insn {}]\n", w.writer_pc,
                     t_.symbols().describe_code(w.writer_pc), disassemble_one(code, w.writer_pc), src, w.writer_tid,
                     w.writer_insn);
}

// One instruction's effects, or a call's net effect: what ran (with its source
// line beside Capstone's disassembly), then each register, runtime field and
// memory word it changed, and the system calls it made.
void Debugger::report_effects(const engine::Effects& fx, bool net, bool undone) {
  if (!show_effects_) return;
  std::uint8_t code[16] = {};
  t_.read_memory(fx.pc, code, sizeof code);
  std::string disasm = disassemble_one(code, fx.pc);
  if (!att_syntax_) {
    static const Disassembler intel(Disassembler::Syntax::intel);
    if (auto in = intel.decode(code, fx.pc)) disasm = in->text();
  }
  std::string s = fmt::format("   {:#x} {}   {}", fx.pc, t_.symbols().describe_code(fx.pc), disasm);
  if (net) s += fmt::format("   (net effect: {} instructions)", with_commas(fx.insns));
  if (undone) s += "   (undone)";
  s += "\n";
  if (auto src = t_.symbols().source(fx.pc)) {
    auto text = sources_.line(src->full_path, src->line);
    s += fmt::format("   {}{}\n", src->short_form(), text ? "   " + *text : "");
  }
  for (int r = 0; r < kRegCount; ++r) {
    const Reg reg = static_cast<Reg>(r);
    if (reg == Reg::rip || fx.before[reg] == fx.after[reg]) continue;
    // Undone, the change runs the other way: what it had become, back to what it was.
    const auto from = undone ? fx.after[reg] : fx.before[reg], to = undone ? fx.before[reg] : fx.after[reg];
    s += fmt::format("   {:<8}{} -> {}\n", reg_name(reg), hex(from), paint_(Paint::changed, hex(to)));
  }
  // A call can write hundreds of named words: the first few, then counts (all of them are in the JSON).
  constexpr std::size_t kNamedShown = 12;
  const std::size_t shown = net ? std::min(fx.writes.size(), kNamedShown) : fx.writes.size();
  for (std::size_t i = 0; i < shown; ++i) {
    const auto& w = fx.writes[i];
    s += fmt::format("   mem     {}{}: {} -> {}{}\n", hex(w.addr), w.symbol.empty() ? "" : " " + w.symbol,
                     bytes_hex(undone ? w.after : w.before), paint_(Paint::changed, bytes_hex(undone ? w.before : w.after)),
                     w.by_kernel ? " (" + kernel_words(w.cause) + ")" : "");
  }
  if (shown < fx.writes.size())
    s += fmt::format("   mem     and {} more named word{}\n", fx.writes.size() - shown, fx.writes.size() - shown == 1 ? "" : "s");
  if (fx.unnamed_writes)
    s += fmt::format("   mem     {}{} other word{} written\n", fx.writes.empty() ? "" : "and ", with_commas(fx.unnamed_writes),
                     fx.unnamed_writes == 1 ? "" : "s");
  for (const auto& f : fx.fields)
    s += fmt::format("   field   {}: {} -> {}\n", f.path, undone ? f.after : f.before, paint_(Paint::changed, undone ? f.before : f.after));
  for (const auto& c : fx.syscalls) s += syscall_line(c);
  say(s);
}

void Debugger::report(const engine::StopEvent& ev) {
  using engine::StopCause;
  Process& p = t_.session().process();  // read-only: the exit reports name threads and instructions
  if (ev.blocked)
    say(fmt::format("thread {} is blocked in {}: running the others until it runs\n", ev.blocked_tid, *ev.blocked));
  if (ev.note.rfind("Will ignore", 0) == 0) say(ev.note + "\n");
  for (const auto& fx : ev.steps) report_effects(fx, fx.net, ev.reverse);
  if (ev.net) report_effects(*ev.net, true);
  engine::stop_event_into(result_, ev, t_);
  if (ev.has(StopCause::exited)) {
    say(ev.exit_status == 0 ? fmt::format("[Inferior 1 (process {}) exited normally]\n", t_.pid())
                            : fmt::format("[Inferior 1 (process {}) exited with code {:02o}]\n", t_.pid(), ev.exit_status));
    return;
  }
  if (ev.has(StopCause::killed) || ev.has(StopCause::stopped_by_gostep) || ev.has(StopCause::deadlock)) {
    say(stop_report(engine::end_of(p, ev.reason)));
    if (ev.has(StopCause::killed)) return;
  }
  if (ev.has(StopCause::before_exit))
    say(fmt::format("The program is about to end: thread {} is making exit_group; stopped before it "
                    "(\"continue\" lets it exit).\n", ev.tid));
  if (ev.thread_changed) say(paint_(Paint::current, fmt::format("[Switching to thread {}]", ev.tid)) + "\n");
  std::string lead;
  for (const auto& b : ev.breakpoints)
    lead = fmt::format("\n{} {}, ", b.temporary ? "Temporary breakpoint" : "Breakpoint", b.number);
  const PeekMemory peek = [this](std::uint64_t a, void* out, std::uint64_t n) { return t_.read_memory(a, out, n); };
  for (const auto& w : ev.watchpoints) {
    if (w.scope_ended) {  // gdb's words
      say(fmt::format("\nWatchpoint {} deleted because the program has left the block in\n"
                      "which its expression is valid.\n", w.number));
      continue;
    }
    const std::string old_v = w.old_value ? format_value(*w.old_value, 0, peek) : "<unreadable>";
    const std::string new_v = w.new_value ? format_value(*w.new_value, 0, peek) : "<unreadable>";
    say(fmt::format("\nWatchpoint {}: {}\n\n", w.number, w.expr));
    say(wrap("Old value = " + old_v, width()) + wrap("New value = " + paint_(Paint::changed, new_v), width()));
    say(writer_line(w));
  }
  if (ev.catchpoint)
    lead = fmt::format("\nCatchpoint {} (returned from syscall {}), ", ev.catchpoint->number,
                       syscall_name(ev.catchpoint->syscall_nr));
  if (ev.has(StopCause::signal))
    say(fmt::format("\nThread {} received signal {}, {}.\n", ev.tid, signal_name(ev.signal), signal_description(ev.signal)));
  if (ev.has(StopCause::interrupted)) say("\nInterrupted (Ctrl-C).\n");
  if (ev.has(StopCause::history_start)) say("\nNo more reverse-execution history.\n");
  // finish's "returned from" goes without saying after "Run till exit from".
  if (!ev.note.empty() && ev.note.rfind("Will ignore", 0) != 0 && !ev.has(StopCause::location_reached))
    say("(" + ev.note + ")\n");
  if (t_.ended()) return;
  say(lead + location_line(ev.tid));
  show_displays();
}

}  // namespace gostep
