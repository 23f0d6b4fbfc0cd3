// <sys/epoll.h>: enough of epoll for Go's netpoller, which is also how its
// timers sleep (epoll_pwait with a timeout) and wake (a pipe write).
#include <sys/epoll.h>

#include <cerrno>
#include <cstring>

#include <fcntl.h>

#include "fs_common.h"

namespace gostep::linux_abi {
namespace {

std::uint32_t readiness(Process& p, const OpenFile& f) {
  switch (f.kind) {
    case OpenFile::Kind::pipe_read: {
      const Pipe& pipe = *p.fds().pipe(f.pipe);
      return (pipe.data.empty() ? 0u : static_cast<std::uint32_t>(EPOLLIN)) |
             (pipe.writers ? 0u : static_cast<std::uint32_t>(EPOLLHUP));
    }
    case OpenFile::Kind::pipe_write: {
      const Pipe& pipe = *p.fds().pipe(f.pipe);
      if (!pipe.readers) return EPOLLERR;
      return pipe.data.size() < kPipeCapacity ? static_cast<std::uint32_t>(EPOLLOUT) : 0u;
    }
    case OpenFile::Kind::eventfd:
      return (f.counter ? static_cast<std::uint32_t>(EPOLLIN) : 0u) | EPOLLOUT;
    case OpenFile::Kind::host_stdio:
      if (f.stream != 0) return EPOLLOUT;
      return p.host().stdin_ready() ? static_cast<std::uint32_t>(EPOLLIN) : 0u;
    default:
      return 0;
  }
}

}  // namespace

void arm_epoll_interests(Process& p, const OpenFile* f) {
  for (auto& [id, file] : p.fds().descriptions()) {
    if (file.kind != OpenFile::Kind::epoll) continue;
    for (auto& in : file.epoll.interests) {
      const OpenFile* target = p.fds().get(in.fd);
      if (target == f) in.armed = true;
    }
  }
}

GOSTEP_SYSCALL(epoll_create1) {
  (void)t;
  if (a.a[0] & ~static_cast<std::uint64_t>(EPOLL_CLOEXEC)) return SysResult::ret(-EINVAL);
  OpenFile f;
  f.kind = OpenFile::Kind::epoll;
  f.status_flags = O_RDWR;
  return SysResult::ret(p.fds().add(std::move(f), a.a[0] & EPOLL_CLOEXEC, 0, fd_limit(p)));
}

GOSTEP_SYSCALL(epoll_ctl) {
  (void)t;
  OpenFile* ep = p.fds().get(static_cast<int>(a.a[0]));
  const int fd = static_cast<int>(a.a[2]);
  const OpenFile* target = p.fds().get(fd);
  if (!ep || !target) return SysResult::ret(-EBADF);
  if (ep->kind != OpenFile::Kind::epoll || a.a[0] == a.a[2]) return SysResult::ret(-EINVAL);
  // Regular files and directories are always ready: Linux refuses to watch them
  // (and Go's os package then reads them with plain blocking calls).
  if (target->kind == OpenFile::Kind::node || target->kind == OpenFile::Kind::proc_file) return SysResult::ret(-EPERM);
  auto& list = ep->epoll.interests;
  auto it = list.begin();
  while (it != list.end() && it->fd != fd) ++it;
  std::uint8_t ev[12] = {};  // struct epoll_event is packed on x86-64
  if (a.a[1] != EPOLL_CTL_DEL && !p.memory().read(a.a[3], ev, sizeof ev)) return SysResult::ret(-EFAULT);
  EpollInterest in;
  in.fd = fd;
  std::memcpy(&in.events, ev, 4);
  std::memcpy(&in.data, ev + 4, 8);
  switch (a.a[1]) {
    case EPOLL_CTL_ADD:
      if (it != list.end()) return SysResult::ret(-EEXIST);
      list.push_back(in);
      break;
    case EPOLL_CTL_MOD:
      if (it == list.end()) return SysResult::ret(-ENOENT);
      *it = in;
      break;
    case EPOLL_CTL_DEL:
      if (it == list.end()) return SysResult::ret(-ENOENT);
      list.erase(it);
      break;
    default:
      return SysResult::ret(-EINVAL);
  }
  p.fd_ready_changed();
  return SysResult::ret(0);
}

GOSTEP_SYSCALL(epoll_pwait) {
  OpenFile* ep = p.fds().get(static_cast<int>(a.a[0]));
  if (!ep) return SysResult::ret(-EBADF);
  if (ep->kind != OpenFile::Kind::epoll) return SysResult::ret(-EINVAL);
  const int max = static_cast<int>(a.a[2]);
  if (max <= 0) return SysResult::ret(-EINVAL);
  t.epoll_fd = static_cast<int>(a.a[0]);
  t.epoll_events = a.a[1];
  t.epoll_max = max;
  const int n = p.epoll_collect(t);
  const int timeout_ms = static_cast<int>(a.a[3]);
  if (n != 0 || timeout_ms == 0) return SysResult::ret(n);
  std::optional<std::uint64_t> deadline;
  if (timeout_ms > 0) deadline = p.now_ns() + static_cast<std::uint64_t>(timeout_ms) * 1'000'000ULL;
  p.block_current(WaitKind::epoll, deadline, 0);
  return SysResult::blocked();
}

}  // namespace gostep::linux_abi

namespace gostep {

int Process::epoll_collect(Thread& t) {
  OpenFile* ep = fds_.get(t.epoll_fd);
  if (!ep || ep->kind != OpenFile::Kind::epoll) return -EBADF;
  int n = 0;
  for (auto& in : ep->epoll.interests) {
    if (n >= t.epoll_max) break;
    const OpenFile* f = fds_.get(in.fd);
    if (!f) continue;
    const std::uint32_t ready = linux_abi::readiness(*this, *f) & (in.events | EPOLLERR | EPOLLHUP);
    if (!ready) continue;
    if (in.events & EPOLLET) {
      if (!in.armed) continue;
      in.armed = false;
    }
    std::uint8_t ev[12];
    std::memcpy(ev, &ready, 4);
    std::memcpy(ev + 4, &in.data, 8);
    if (!mem_.write(t.epoll_events + 12 * static_cast<std::uint64_t>(n), ev, sizeof ev)) return -EFAULT;
    ++n;
  }
  return n;
}

}  // namespace gostep
