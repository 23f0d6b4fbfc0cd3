// Threads that wait for a descriptor (a blocking read of an empty pipe, of
// the host's stdin, a write to a full pipe), waiting in real time for the
// host when nothing in the guest can run, and signals from outside.
#include <algorithm>
#include <csignal>

#include "linux/syscall_table.h"
#include "process.h"

namespace gostep {
namespace {
// The signals a user sends to `gostep run` and that reach the guest (DESIGN.md).
constexpr int kUserSignals[] = {SIGHUP, SIGINT, SIGQUIT, SIGTERM};
constexpr std::uint64_t bit(int sig) { return 1ULL << (sig - 1); }
}  // namespace

void Process::block_io(Thread& t, const SyscallArgs& a, bool on_stdin) {
  t.state = ThreadState::blocked;
  t.wait = WaitKind::io;
  t.deadline.reset();
  t.retry[0] = a.nr;
  std::copy(std::begin(a.a), std::end(a.a), t.retry.begin() + 1);
  t.retry_on_stdin = on_stdin;
}

// Runs each waiting read or write again (threads in creation order, so the
// same ones go first on every run): it completes, or blocks again.
void Process::recheck_io_waiters(bool fds_changed) {
  for (auto& tp : threads_) {
    Thread& t = *tp;
    if (t.state != ThreadState::blocked || t.wait != WaitKind::io) continue;
    if (t.retry_on_stdin ? !host_io_->stdin_ready() : !fds_changed) continue;
    SyscallArgs a;
    a.nr = t.retry[0];
    std::copy(t.retry.begin() + 1, t.retry.end(), std::begin(a.a));
    const SyscallInfo* info = find_syscall(a.nr);
    if (!info) continue;
    t.state = ThreadState::runnable;
    t.wait = WaitKind::none;
    kernel_cause_ = {KernelCause::Kind::wake, a.nr, 0, t.tid};
    const SysResult r = info->handler(*this, t, a);
    kernel_cause_ = {};
    if (r.kind == SysResult::Kind::value) {
      t.io_done = 0;
      wake(t, r.value);
    }
  }
}

void Process::recheck_waiters() {
  recheck_io_waiters(false);  // the host's stdin
  // A retried write may fill a pipe another waiter reads: go round until quiet.
  for (int round = 0; fd_changed_ && round < 16; ++round) {
    fd_changed_ = false;
    recheck_io_waiters(true);
    recheck_epoll_waiters();
  }
}

bool Process::wait_for_host(std::optional<std::uint64_t> earliest) {
  if (interrupted()) return false;
  bool for_stdin = false;
  for (const auto& t : threads_)
    for_stdin |= t->state == ThreadState::blocked && t->wait == WaitKind::io && t->retry_on_stdin;
  // Every thread waits with no deadline: in `run`, a guest with a handler for
  // a signal the user may send waits for it, as the native program would.
  bool for_signal = false;
  if (!earliest && opts_.wake_fd >= 0)
    for (int sig : kUserSignals) for_signal |= sigactions_[static_cast<std::size_t>(sig)].handler > 1;
  if (!for_stdin && !for_signal) return false;
  std::optional<std::uint64_t> timeout;
  if (earliest) timeout = *earliest > now_ns() ? *earliest - now_ns() : 0;
  const std::uint64_t waited = host_io_->wait(for_stdin, timeout);
  // While the guest waits for its user, virtual time follows real time (up to the next deadline).
  skipped_ns_ += timeout ? std::min(waited, *timeout) : waited;
  return true;
}

void Process::queue_user_signal(int sig) {
  if (sig < 1 || sig > 64 || ended_) return;
  user_signals_.push_back(UserSignal{sig, insn_count_});
  // A process-directed signal goes to the first thread that does not block it (as kill does).
  Thread* target = nullptr;
  for (const auto& t : threads_)
    if (t->state != ThreadState::exited && !(t->sigmask & bit(sig))) {
      target = t.get();
      break;
    }
  if (!target)
    for (const auto& t : threads_)
      if (t->state != ThreadState::exited) {
        target = t.get();
        break;
      }
  if (target) send_signal(*target, PendingSignal{sig, 0 /* SI_USER */, 0, 0, true});
}

bool Process::signal_pending(int sig) const {
  if (sig < 1 || sig > 64) return false;
  for (const auto& t : threads_)
    if (t->state != ThreadState::exited && (t->pending & bit(sig))) return true;
  return false;
}

}  // namespace gostep
