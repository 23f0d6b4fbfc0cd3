// Runs a program with a pseudo-terminal as its stdin, stdout and stderr, as
// in a terminal window: what it prints (and the terminal's echo of what was
// typed) comes back, with its exit status and the terminal's settings at the end.
#pragma once

#include <spawn.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <poll.h>
#include <termios.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <vector>

#include "subprocess.h"

namespace gostep::test {

struct PtyResult {
  int status = -1;
  std::string text;          // everything the terminal showed
  bool echo_after = false;   // ECHO was on when the program ended
};

// `input` is typed once the program has started (a lone "\x04" is end of file).
inline PtyResult run_in_pty(const std::vector<std::string>& argv, const std::string& input, int timeout_seconds = 60) {
  const int master = ::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (master < 0 || ::grantpt(master) || ::unlockpt(master)) throw std::runtime_error("no pseudo-terminal");
  const std::string slave_name = ::ptsname(master);
  const int slave = ::open(slave_name.c_str(), O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (slave < 0) throw std::runtime_error("cannot open " + slave_name);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  for (int fd = 0; fd < 3; ++fd) posix_spawn_file_actions_adddup2(&fa, slave, fd);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  const int rc = ::posix_spawn(&pid, argv.at(0).c_str(), &fa, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) throw std::runtime_error("posix_spawn failed");
  PtyResult r;
  if (!input.empty()) {
    ::usleep(200 * 1000);  // typed after the start, as a person would
    [[maybe_unused]] auto n = ::write(master, input.data(), input.size());
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_seconds);
  int ws = 0;
  bool exited = false;
  for (;;) {
    pollfd p{master, POLLIN, 0};
    if (::poll(&p, 1, 100) > 0) {
      char buf[4096];
      const ssize_t n = ::read(master, buf, sizeof buf);
      if (n > 0) r.text.append(buf, static_cast<std::size_t>(n));
    } else if (exited) {
      break;  // the program is gone and the terminal has nothing more
    }
    if (!exited && ::waitpid(pid, &ws, WNOHANG) == pid) exited = true;
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &ws, 0);
      break;
    }
  }
  r.status = WIFEXITED(ws) ? WEXITSTATUS(ws) : WIFSIGNALED(ws) ? 128 + WTERMSIG(ws) : -1;
  termios t{};
  if (::tcgetattr(slave, &t) == 0) r.echo_after = t.c_lflag & ECHO;
  ::close(slave);
  ::close(master);
  return r;
}

}  // namespace gostep::test
