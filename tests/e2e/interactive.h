// A child process a test talks to while it runs: wait for text on its stdout,
// write to its stdin, send it signals, then collect the rest and its status.
#pragma once

#include <spawn.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>
#include <string>
#include <vector>

#include "subprocess.h"

namespace gostep::test {

class Interactive {
 public:
  // stdin_fd >= 0: the child's stdin is that descriptor (a terminal, say) instead of a pipe.
  explicit Interactive(const std::vector<std::string>& argv, int stdin_fd = -1) {
    ::signal(SIGPIPE, SIG_IGN);
    int in[2], out[2], err[2];
    if (::pipe2(in, O_CLOEXEC) || ::pipe2(out, O_CLOEXEC) || ::pipe2(err, O_CLOEXEC))
      throw std::runtime_error("pipe2 failed");
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, stdin_fd >= 0 ? stdin_fd : in[0], 0);
    posix_spawn_file_actions_adddup2(&fa, out[1], 1);
    posix_spawn_file_actions_adddup2(&fa, err[1], 2);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    const int rc = ::posix_spawn(&pid_, argv.at(0).c_str(), &fa, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    ::close(in[0]);
    ::close(out[1]);
    ::close(err[1]);
    if (rc != 0) throw std::runtime_error("posix_spawn failed");
    in_ = in[1];
    if (stdin_fd >= 0) close_stdin();
    out_ = out[0];
    err_ = err[0];
  }
  ~Interactive() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      int ws;
      ::waitpid(pid_, &ws, 0);
    }
    for (int fd : {in_, out_, err_})
      if (fd >= 0) ::close(fd);
  }
  Interactive(const Interactive&) = delete;
  Interactive& operator=(const Interactive&) = delete;

  // Reads until `text` is in stdout (true) or the time is up or the child closed it (false).
  bool wait_for(const std::string& text, int timeout_ms = 30000) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while (r_.out.find(text) == std::string::npos) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0 || (out_ < 0 && err_ < 0)) return false;
      pump(static_cast<int>(left.count()));
    }
    return true;
  }
  void write_stdin(const std::string& s) {
    if (in_ >= 0) [[maybe_unused]] auto n = ::write(in_, s.data(), s.size());
  }
  void close_stdin() {
    if (in_ >= 0) ::close(in_);
    in_ = -1;
  }
  void signal(int sig) { ::kill(pid_, sig); }
  pid_t pid() const { return pid_; }
  const std::string& out() const { return r_.out; }

  RunResult finish(int timeout_seconds = 60) {
    close_stdin();
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_seconds);
    while (out_ >= 0 || err_ >= 0) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) {
        r_.timed_out = true;
        ::kill(pid_, SIGKILL);
        break;
      }
      pump(static_cast<int>(left.count()));
    }
    int ws = 0;
    while (::waitpid(pid_, &ws, 0) < 0 && errno == EINTR) {
    }
    pid_ = -1;
    r_.status = WIFEXITED(ws) ? WEXITSTATUS(ws) : WIFSIGNALED(ws) ? 128 + WTERMSIG(ws) : -1;
    return r_;
  }

 private:
  void pump(int timeout_ms) {
    pollfd fds[2] = {{out_, POLLIN, 0}, {err_, POLLIN, 0}};
    if (::poll(fds, 2, timeout_ms) < 0) return;
    char buf[65536];
    for (int k = 0; k < 2; ++k) {
      int& fd = k == 0 ? out_ : err_;
      if (fd < 0 || !(fds[k].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      const ssize_t n = ::read(fd, buf, sizeof buf);
      if (n > 0) {
        (k == 0 ? r_.out : r_.err).append(buf, static_cast<std::size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        ::close(fd);
        fd = -1;
      }
    }
  }

  pid_t pid_ = -1;
  int in_ = -1, out_ = -1, err_ = -1;
  RunResult r_;
};

}  // namespace gostep::test
