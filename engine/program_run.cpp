#include "program_run.h"

#include <chrono>
#include <csignal>
#include <utility>

#include "run_to_count.h"

namespace gostep::engine {
namespace {

// Instructions between two looks at the size of the host-answer log.
constexpr std::uint64_t kLogCheckEvery = 1'000'000;

std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

ProgramRun::ProgramRun(const std::string& path, ProcessOptions options)
    : ProgramRun(load_elf(path), std::move(options)) {}

ProgramRun::ProgramRun(ElfImage image, ProcessOptions options) : image_(std::move(image)), opts_(std::move(options)) {
  opts_.counting = Counting::blocks;
  opts_.exact_faults = false;
  replay_ = replay_through(opts_);
  start_process();
}

ProgramRun::~ProgramRun() { live_.store(nullptr); }

void ProgramRun::start_process() {
  live_.store(nullptr);
  proc_.reset();
  proc_ = std::make_unique<Process>(image_, opts_);
  proc_->set_checkpoint_hook(kLogCheckEvery, [this] { watch_log(); });
  live_.store(proc_.get());
  // A signal that came while there was no process to stop.
  if (interrupt_pending_.load()) proc_->request_interrupt();
}

void ProgramRun::request_interrupt() {
  interrupt_pending_.store(true);
  if (Process* p = live_.load()) p->request_interrupt();
}

// Between two time slices: a log grown too big is dropped, and from here on
// faults are exact without a re-execution.
void ProgramRun::watch_log() {
  if (!can_reexecute_ || replay_->held_bytes() <= kMaxLogBytes) return;
  proc_->make_faults_exact();
  replay_->stop_logging();
  can_reexecute_ = false;
}

// DESIGN.md: a second SIGINT within a second, while the guest has not taken
// the first (still pending or blocked) or ignores SIGINT, stops gostep.
bool ProgramRun::host_signal(int sig) {
  if (sig == SIGINT) {
    const std::int64_t now = now_ns();
    const bool recent = last_sigint_ns_ && now - *last_sigint_ns_ < 1'000'000'000;
    last_sigint_ns_ = now;
    if (recent && (proc_->signal_pending(SIGINT) || proc_->sigaction(SIGINT).handler == 1 /* SIG_IGN */))
      return true;
  }
  proc_->queue_user_signal(sig);
  return false;
}

bool ProgramRun::run_to(std::uint64_t n, StopReason& end, const TakeSignals& take_signals) {
  // Signals queued at the same count are queued together, as they came.
  if (proc_->insn_count() >= n) return true;
  const StopReason r = run_to_count(*proc_, n, [&](const StopReason& stop) {
    if (stop.kind != StopKind::interrupted) return false;
    interrupt_pending_.store(false);
    for (int sig : take_signals()) deferred_.push_back(sig);
    return true;
  });
  if (r.kind == StopKind::insn_reached) return true;
  end = r;
  return false;
}

bool ProgramRun::reexecute(std::uint64_t block_start, StopReason& end, const TakeSignals& take_signals) {
  const std::vector<UserSignal> signals = proc_->stats().user_signals;
  reexecuted_ += block_start;
  start_process();
  replay_->begin_run(/*replay_output=*/true);
  for (const UserSignal& u : signals) {
    if (!run_to(u.insn, end, take_signals)) return false;
    proc_->queue_user_signal(u.sig);
  }
  if (!run_to(block_start, end, take_signals)) return false;
  proc_->make_faults_exact();
  return true;
}

RunEnd ProgramRun::run(const TakeSignals& take_signals) {
  StopReason r;
  for (;;) {
    for (int sig : std::exchange(deferred_, {}))
      if (host_signal(sig)) {
        RunEnd e = finish(r);
        e.second_sigint = true;
        return e;
      }
    r = proc_->run();
    if (r.kind == StopKind::inexact_fault) {
      if (!reexecute(r.block_start, r, take_signals)) break;
      continue;
    }
    if (r.kind != StopKind::interrupted) break;
    interrupt_pending_.store(false);
    for (int sig : take_signals()) deferred_.push_back(sig);
  }
  return finish(r);
}

RunEnd ProgramRun::finish(const StopReason& r) {
  live_.store(nullptr);
  RunEnd e = end_of(*proc_, r);
  e.reexecuted = reexecuted_;
  return e;
}

}  // namespace gostep::engine
