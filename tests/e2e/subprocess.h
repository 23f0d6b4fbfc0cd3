// Runs a program as a child process (posix_spawn, pipes for stdin, stdout and
// stderr) with a timeout, and returns what it wrote and how it ended.
#pragma once

#include <spawn.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

extern char** environ;

namespace gostep::test {

struct RunResult {
  int status = -1;  // the exit status, or 128 + N if signal N ended it (as a shell reports it)
  bool timed_out = false;
  std::string out;
  std::string err;
};

struct RunSpec {
  std::vector<std::string> argv;            // argv[0] is also the program's path
  std::optional<std::vector<std::string>> env;  // nullopt: this process's environment
  std::string stdin_data;
  std::string stdin_file;  // when set, stdin is this file (not a pipe) and stdin_data is ignored
  std::string cwd;         // when set, the working directory of the child
  int timeout_seconds = 120;
  // Signals to send the program while it runs: {milliseconds after the start, signal}, in order.
  std::vector<std::pair<int, int>> signals;
};

inline RunResult run_program(const RunSpec& spec) {
  ::signal(SIGPIPE, SIG_IGN);  // a child that does not read its stdin must not kill us
  int in[2], out[2], err[2];
  if (::pipe2(in, O_CLOEXEC) || ::pipe2(out, O_CLOEXEC) || ::pipe2(err, O_CLOEXEC))
    throw std::runtime_error("pipe2 failed");
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  if (spec.stdin_file.empty()) {
    posix_spawn_file_actions_adddup2(&fa, in[0], 0);
  } else {
    posix_spawn_file_actions_addopen(&fa, 0, spec.stdin_file.c_str(), O_RDONLY, 0);
  }
  if (!spec.cwd.empty()) posix_spawn_file_actions_addchdir_np(&fa, spec.cwd.c_str());
  posix_spawn_file_actions_adddup2(&fa, out[1], 1);
  posix_spawn_file_actions_adddup2(&fa, err[1], 2);

  std::vector<char*> argv;
  for (const auto& a : spec.argv) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  std::vector<char*> envp;
  if (spec.env) {
    for (const auto& e : *spec.env) envp.push_back(const_cast<char*>(e.c_str()));
    envp.push_back(nullptr);
  }
  pid_t pid = 0;
  const int rc = ::posix_spawn(&pid, spec.argv.at(0).c_str(), &fa, nullptr, argv.data(),
                               spec.env ? envp.data() : environ);
  posix_spawn_file_actions_destroy(&fa);
  ::close(in[0]);
  ::close(out[1]);
  ::close(err[1]);
  if (rc != 0) {
    ::close(in[1]);
    ::close(out[0]);
    ::close(err[0]);
    throw std::runtime_error("posix_spawn " + spec.argv[0] + ": " + std::strerror(rc));
  }

  RunResult r;
  ::fcntl(in[1], F_SETFL, O_NONBLOCK);
  std::size_t written = 0;
  int in_fd = in[1];
  if (spec.stdin_data.empty() || !spec.stdin_file.empty()) {
    ::close(in_fd);
    in_fd = -1;
  }
  int out_fd = out[0], err_fd = err[0];
  const auto start = std::chrono::steady_clock::now();
  const auto deadline = start + std::chrono::seconds(spec.timeout_seconds);
  std::size_t next_signal = 0;
  while (out_fd >= 0 || err_fd >= 0) {
    const auto now = std::chrono::steady_clock::now();
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now);
    if (left.count() <= 0) {
      r.timed_out = true;
      ::kill(pid, SIGKILL);
      break;
    }
    long wait_ms = left.count();
    while (next_signal < spec.signals.size()) {
      const auto at = start + std::chrono::milliseconds(spec.signals[next_signal].first);
      if (at > now) {
        wait_ms = std::min<long>(wait_ms, std::chrono::duration_cast<std::chrono::milliseconds>(at - now).count() + 1);
        break;
      }
      ::kill(pid, spec.signals[next_signal++].second);
    }
    pollfd fds[3] = {{out_fd, POLLIN, 0}, {err_fd, POLLIN, 0}, {in_fd, POLLOUT, 0}};
    if (::poll(fds, 3, static_cast<int>(wait_ms)) < 0 && errno != EINTR) break;
    char buf[65536];
    for (int k = 0; k < 2; ++k) {
      int& fd = k == 0 ? out_fd : err_fd;
      if (fd < 0 || !(fds[k].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      const ssize_t n = ::read(fd, buf, sizeof buf);
      if (n > 0) {
        (k == 0 ? r.out : r.err).append(buf, static_cast<std::size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        ::close(fd);
        fd = -1;
      }
    }
    if (in_fd >= 0 && (fds[2].revents & (POLLOUT | POLLERR | POLLHUP))) {
      const ssize_t n = ::write(in_fd, spec.stdin_data.data() + written, spec.stdin_data.size() - written);
      if (n > 0) written += static_cast<std::size_t>(n);
      if ((n < 0 && errno != EAGAIN && errno != EINTR) || written == spec.stdin_data.size()) {
        ::close(in_fd);
        in_fd = -1;
      }
    }
  }
  for (int fd : {in_fd, out_fd, err_fd})
    if (fd >= 0) ::close(fd);
  int ws = 0;
  while (::waitpid(pid, &ws, 0) < 0 && errno == EINTR) {
  }
  r.status = WIFEXITED(ws) ? WEXITSTATUS(ws) : WIFSIGNALED(ws) ? 128 + WTERMSIG(ws) : -1;
  return r;
}

// Runs `gostep run PROG [options...] [-- args...]` with this process's environment.
inline RunResult run_gostep(const std::vector<std::string>& args, const std::string& stdin_data = "") {
  RunSpec s;
  s.argv = {GOSTEP_BINARY};
  s.argv.insert(s.argv.end(), args.begin(), args.end());
  s.stdin_data = stdin_data;
  return run_program(s);
}

inline int count_lines(const std::string& s) {
  int n = 0;
  for (char c : s) n += c == '\n';
  return n;
}

}  // namespace gostep::test
