#include "host_signals.h"

#include "engine/program_run.h"

#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <csignal>
#include <stdexcept>

namespace gostep {
namespace {

constexpr int kForwarded[] = {SIGHUP, SIGINT, SIGQUIT, SIGTERM};

std::atomic<engine::ProgramRun*> g_run{nullptr};
std::array<std::atomic<int>, 32> g_count{};
int g_pipe[2] = {-1, -1};
struct sigaction g_saved[std::size(kForwarded)];

void on_signal(int sig) {
  const int saved = errno;
  if (sig > 0 && sig < 32) g_count[static_cast<std::size_t>(sig)].fetch_add(1);
  if (engine::ProgramRun* r = g_run.load()) r->request_interrupt();
  const char b = 1;
  [[maybe_unused]] const ssize_t n = ::write(g_pipe[1], &b, 1);
  errno = saved;
}

}  // namespace

HostSignals::HostSignals() {
  if (::pipe2(g_pipe, O_CLOEXEC | O_NONBLOCK) != 0) throw std::runtime_error("pipe2 failed");
  for (auto& c : g_count) c.store(0);
  g_run.store(nullptr);
  struct sigaction sa = {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;  // no SA_RESTART: a blocking host call (a wait) returns at once
  for (std::size_t i = 0; i < std::size(kForwarded); ++i) ::sigaction(kForwarded[i], &sa, &g_saved[i]);
}

HostSignals::~HostSignals() {
  g_run.store(nullptr);
  for (std::size_t i = 0; i < std::size(kForwarded); ++i) ::sigaction(kForwarded[i], &g_saved[i], nullptr);
  ::close(g_pipe[0]);
  ::close(g_pipe[1]);
  g_pipe[0] = g_pipe[1] = -1;
}

void HostSignals::attach(engine::ProgramRun* run) { g_run.store(run); }

int HostSignals::wake_fd() const { return g_pipe[0]; }

std::vector<int> HostSignals::take() {
  char junk[64];
  while (::read(g_pipe[0], junk, sizeof junk) > 0) {
  }
  std::vector<int> out;
  for (int sig : kForwarded)
    for (int n = g_count[static_cast<std::size_t>(sig)].exchange(0); n > 0; --n) out.push_back(sig);
  return out;
}

}  // namespace gostep
