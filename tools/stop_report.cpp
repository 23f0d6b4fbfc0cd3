#include "stop_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <csignal>
#include <vector>

#include "emulator/linux/syscall_table.h"
#include "text_util.h"

namespace gostep {
namespace {

std::string where(const engine::StopPlace& s) {
  const std::string at = fmt::format("{:#x}", s.pc);
  // No name for the address: say it once.
  return fmt::format("  thread {}, at {}{}: {}", s.tid, at, s.function == at ? "" : " " + s.function,
                     s.instruction.empty() ? "(no code there)" : s.instruction);
}

// The place of a stop that names one thread.
std::string where(const engine::RunEnd& e) { return e.places.empty() ? std::string() : where(e.places.front()); }

// 4294967296 -> "4G", 1536 MiB -> "1536M" (what --max-memory accepts back),
// 89309184 -> "85.2M".
std::string human_bytes(std::uint64_t n) {
  const char* units[] = {"", "K", "M", "G", "T"};
  int exact = 0;
  std::uint64_t e = n;
  while (exact < 4 && e >= 1024 && e % 1024 == 0) {
    e /= 1024;
    ++exact;
  }
  int u = 0;
  double v = static_cast<double>(n);
  while (u < 4 && v >= 1024) {
    v /= 1024;
    ++u;
  }
  if (exact == u) return fmt::format("{}{}", e, units[u]);
  return fmt::format("{:.1f}{}", v, units[u]);
}

}  // namespace

std::string signal_name(int sig) {
  static const char* const names[] = {
      nullptr,   "SIGHUP",  "SIGINT",    "SIGQUIT", "SIGILL",   "SIGTRAP", "SIGABRT", "SIGBUS",
      "SIGFPE",  "SIGKILL", "SIGUSR1",   "SIGSEGV", "SIGUSR2",  "SIGPIPE", "SIGALRM", "SIGTERM",
      "SIGSTKFLT", "SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP",  "SIGTTIN", "SIGTTOU", "SIGURG",
      "SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO",   "SIGPWR",  "SIGSYS"};
  if (sig > 0 && sig < 32) return names[sig];
  return fmt::format("SIGRT{}", sig);
}

int exit_status_for(const StopReason& r) {
  switch (r.kind) {
    case StopKind::exited: return r.exit_status;
    case StopKind::killed: return 128 + r.signal;
    default: return 124;
  }
}

std::string stop_report(const engine::RunEnd& e) {
  const StopReason& r = e.reason;
  switch (r.kind) {
    case StopKind::exited:
    case StopKind::breakpoint:
    case StopKind::insn_reached:
    case StopKind::watch:
    case StopKind::syscall_caught:
    case StopKind::interrupted:
    case StopKind::before_exit:
    case StopKind::signal_received:
      return "";
    case StopKind::insn_limit:
      return fmt::format("gostep: stopped the guest after {} instructions (--max-insns); if it needs more, "
                         "raise --max-insns\n{}\n",
                         with_commas(e.stats.insns), where(e));
    case StopKind::memory_limit:
      return fmt::format("gostep: stopped the guest after it touched {} of memory ({} bytes), more than "
                         "--max-memory {} allows; if it needs more, raise it (e.g. --max-memory {})\n{}\n",
                         human_bytes(r.touched), with_commas(r.touched), human_bytes(e.max_memory),
                         human_bytes(e.max_memory * 2), where(e));
    case StopKind::deadlock: {
      std::string s = "gostep: every guest thread is blocked and nothing can wake one (deadlock); stopped\n";
      for (const engine::StopPlace& t : e.places) {
        s += where(t);
        s += t.wait == WaitKind::futex ? fmt::format(" (futex wait on {:#x})\n", t.futex_addr)
             : t.wait == WaitKind::epoll ? " (epoll_pwait with no timeout)\n"
                                         : "\n";
      }
      return s;
    }
    case StopKind::unsupported_syscall:
      return fmt::format("gostep: the guest made system call {} ({}), which gostep's Linux layer does not "
                         "provide; stopped (docs/syscalls.md lists what it provides; --enosys answers ENOSYS "
                         "instead)\n{}\n",
                         r.syscall_nr, syscall_name(r.syscall_nr), where(e));
    case StopKind::killed: {
      // A signal the user sent ends the guest as it would end the native program: no more to say.
      const auto& user = e.stats.user_signals;
      if (std::any_of(user.begin(), user.end(), [&](const UserSignal& u) { return u.sig == r.signal; }))
        return fmt::format("gostep: the guest was ended by signal {} ({}), which the user sent\n", r.signal,
                           signal_name(r.signal));
      return fmt::format("gostep: the guest died of signal {} ({}){}, for which it installed no handler\n{}\n",
                         r.signal, signal_name(r.signal), r.detail.empty() ? "" : ": " + r.detail,
                         where(e));
    }
    case StopKind::guest_error:
      return fmt::format("gostep: {}\n{}\n", r.detail, where(e));
    case StopKind::inexact_fault:  // engine::ProgramRun re-executes; never the end of a run
      return "";
  }
  return "";
}

std::string sandbox_hint(const engine::RunEnd& e, bool any_grant) {
  const std::optional<OutsideLookup>& o = e.outside;
  if (!o) return "";
  // Relative with no grant: the user meant gostep's own working directory.
  std::string dir = ".";
  if (!o->relative || any_grant) {
    const auto slash = o->absolute.rfind('/');
    dir = slash == 0 ? "/" : o->absolute.substr(0, slash);
  }
  return fmt::format("gostep: the program looked for {}, which is outside the directories it may see: add --dir {}\n",
                     o->path, dir);
}

std::string enosys_report(const ProcessStats& s) {
  if (s.enosys.empty()) return "";
  std::string list;
  for (const auto& [name, n] : s.enosys) {
    if (!list.empty()) list += ", ";
    list += n == 1 ? name : fmt::format("{} ({} times)", name, n);
  }
  return fmt::format("gostep: system calls gostep does not provide returned ENOSYS (--enosys): {}\n", list);
}

std::string stats_report(const ProcessStats& s, double wall_seconds, std::uint64_t reexecuted) {
  std::string out = "gostep: --stats\n";
  out += fmt::format("  instructions     {}\n", with_commas(s.insns));
  for (const auto& [tid, n] : s.insns_by_tid) out += fmt::format("    thread {:<7}  {}\n", tid, with_commas(n));
  out += fmt::format("  threads created  {}\n", s.threads_created);
  out += fmt::format("  virtual time     {}.{:06} ms\n", s.virtual_ns / 1'000'000, s.virtual_ns % 1'000'000);
  out += fmt::format("  memory touched   {} KiB\n", with_commas(s.touched / 1024));
  std::vector<std::pair<std::string, std::uint64_t>> calls(s.syscalls.begin(), s.syscalls.end());
  std::stable_sort(calls.begin(), calls.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  std::uint64_t total = 0;
  for (const auto& c : calls) total += c.second;
  out += fmt::format("  system calls     {}\n", with_commas(total));
  for (const auto& [name, n] : calls) out += fmt::format("    {:<18} {}\n", name, n);
  for (const auto& [name, n] : s.enosys) out += fmt::format("  ENOSYS (--enosys) {} x{}\n", name, n);
  for (const UserSignal& u : s.user_signals)
    out += fmt::format("  signal from user {} before instruction {}\n", signal_name(u.sig), with_commas(u.insn + 1));
  if (reexecuted)
    out += fmt::format("  run again        {} instruction{} (to find the instruction of a fault exactly)\n",
                       with_commas(reexecuted), reexecuted == 1 ? "" : "s");
  out += fmt::format("  wall time        {:.3f} s\n", wall_seconds);
  out += fmt::format("  speed            {:.2f} M instructions/s\n",
                     wall_seconds > 0 ? static_cast<double>(s.insns) / wall_seconds / 1e6 : 0.0);
  return out;
}

}  // namespace gostep
