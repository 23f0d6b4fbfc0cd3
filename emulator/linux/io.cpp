// <unistd.h>, <fcntl.h>, <sys/eventfd.h>: read, write, open(at), close,
// fcntl, readlinkat, pipe2, eventfd2. Only fds 0-2 reach the host; no host
// file is ever opened: a few virtual files answer what the runtime reads.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

#include "handlers.h"

namespace gostep::linux_abi {

void arm_epoll_interests(Process& p, const OpenFile* f);  // epoll.cpp

namespace {

constexpr std::uint64_t kMaxIo = 1 << 20;

// The files a Go program may read at start, with fixed contents.
const char* virtual_file(const std::string& path) {
  if (path == "/sys/kernel/mm/transparent_hugepage/hpage_pmd_size") return "2097152\n";
  return nullptr;
}

SysResult open_path(Process& p, const std::string& path, std::uint64_t flags) {
  const char* contents = virtual_file(path);
  if (!contents) return SysResult::ret((flags & O_CREAT) ? -EACCES : -ENOENT);
  if ((flags & O_ACCMODE) != O_RDONLY) return SysResult::ret(-EACCES);
  auto f = std::make_shared<OpenFile>();
  f->kind = OpenFile::Kind::virtual_file;
  f->contents = contents;
  f->status_flags = static_cast<std::uint32_t>(flags & ~static_cast<std::uint64_t>(O_CLOEXEC));
  f->cloexec = flags & O_CLOEXEC;
  return SysResult::ret(p.fds().add(f));
}

}  // namespace

GOSTEP_SYSCALL(read) {
  (void)t;
  OpenFile* f = p.fds().get(static_cast<int>(a.a[0]));
  if (!f) return SysResult::ret(-EBADF);
  const std::uint64_t count = std::min(a.a[2], kMaxIo);
  std::vector<std::uint8_t> buf(count);
  std::int64_t n = 0;
  switch (f->kind) {
    case OpenFile::Kind::host_stdio: {
      if (f->host_fd != 0) return SysResult::ret(-EBADF);
      if (p.options().stdin_fd < 0 || count == 0) return SysResult::ret(0);
      const ssize_t r = ::read(p.options().stdin_fd, buf.data(), count);
      if (r < 0) return SysResult::ret(-errno);
      n = r;
      break;
    }
    case OpenFile::Kind::virtual_file: {
      const std::size_t left = f->contents.size() - std::min(f->offset, f->contents.size());
      n = static_cast<std::int64_t>(std::min<std::uint64_t>(count, left));
      std::memcpy(buf.data(), f->contents.data() + f->offset, static_cast<std::size_t>(n));
      f->offset += static_cast<std::size_t>(n);
      break;
    }
    case OpenFile::Kind::pipe_read: {
      auto& pipe = *f->pipe;
      if (pipe.data.empty()) return SysResult::ret(pipe.write_open ? -EAGAIN : 0);
      n = static_cast<std::int64_t>(std::min<std::uint64_t>(count, pipe.data.size()));
      std::copy_n(pipe.data.begin(), n, buf.begin());
      pipe.data.erase(pipe.data.begin(), pipe.data.begin() + n);
      break;
    }
    case OpenFile::Kind::eventfd: {
      if (count < 8) return SysResult::ret(-EINVAL);
      if (f->counter == 0) return SysResult::ret(-EAGAIN);
      std::memcpy(buf.data(), &f->counter, 8);
      f->counter = 0;
      n = 8;
      break;
    }
    default:
      return SysResult::ret(-EINVAL);
  }
  if (n > 0 && !p.memory().write(a.a[1], buf.data(), static_cast<std::uint64_t>(n))) return SysResult::ret(-EFAULT);
  return SysResult::ret(n);
}

GOSTEP_SYSCALL(write) {
  (void)t;
  OpenFile* f = p.fds().get(static_cast<int>(a.a[0]));
  if (!f) return SysResult::ret(-EBADF);
  const std::uint64_t count = std::min(a.a[2], kMaxIo);
  std::vector<std::uint8_t> buf(count);
  if (!p.memory().read(a.a[1], buf.data(), count)) return SysResult::ret(-EFAULT);
  switch (f->kind) {
    case OpenFile::Kind::host_stdio: {
      if (f->host_fd == 0) return SysResult::ret(-EBADF);
      const int host = f->host_fd == 1 ? p.options().stdout_fd : p.options().stderr_fd;
      std::uint64_t done = 0;
      while (done < count) {
        const ssize_t r = ::write(host, buf.data() + done, count - done);
        if (r < 0) {
          if (errno == EINTR) continue;
          return SysResult::ret(done ? static_cast<std::int64_t>(done) : -errno);
        }
        done += static_cast<std::uint64_t>(r);
      }
      return SysResult::ret(static_cast<std::int64_t>(count));
    }
    case OpenFile::Kind::pipe_write: {
      auto& pipe = *f->pipe;
      if (!pipe.read_open) return SysResult::ret(-EPIPE);
      pipe.data.insert(pipe.data.end(), buf.begin(), buf.end());
      for (const auto& [fd, other] : p.fds().all())
        if (other->pipe == f->pipe && other->kind == OpenFile::Kind::pipe_read) arm_epoll_interests(p, other.get());
      p.fd_ready_changed();
      return SysResult::ret(static_cast<std::int64_t>(count));
    }
    case OpenFile::Kind::eventfd: {
      if (count < 8) return SysResult::ret(-EINVAL);
      std::uint64_t v;
      std::memcpy(&v, buf.data(), 8);
      if (v == ~0ULL) return SysResult::ret(-EINVAL);
      f->counter += v;
      arm_epoll_interests(p, f);
      p.fd_ready_changed();
      return SysResult::ret(8);
    }
    default:
      return SysResult::ret(-EBADF);
  }
}

GOSTEP_SYSCALL(openat) {
  (void)t;
  std::string path;
  if (!p.memory().read_string(a.a[1], path)) return SysResult::ret(-EFAULT);
  return open_path(p, path, a.a[2]);
}

GOSTEP_SYSCALL(open) {
  (void)t;
  std::string path;
  if (!p.memory().read_string(a.a[0], path)) return SysResult::ret(-EFAULT);
  return open_path(p, path, a.a[1]);
}

GOSTEP_SYSCALL(close) {
  (void)t;
  return SysResult::ret(p.fds().close(static_cast<int>(a.a[0])) ? 0 : -EBADF);
}

GOSTEP_SYSCALL(fcntl) {
  (void)t;
  const int fd = static_cast<int>(a.a[0]);
  OpenFile* f = p.fds().get(fd);
  if (!f) return SysResult::ret(-EBADF);
  switch (a.a[1]) {
    case F_GETFL: return SysResult::ret(f->status_flags);
    case F_SETFL:
      f->status_flags = (f->status_flags & O_ACCMODE) | (static_cast<std::uint32_t>(a.a[2]) & ~O_ACCMODE);
      return SysResult::ret(0);
    case F_GETFD: return SysResult::ret(f->cloexec ? FD_CLOEXEC : 0);
    case F_SETFD: f->cloexec = a.a[2] & FD_CLOEXEC; return SysResult::ret(0);
    case F_DUPFD:
    case F_DUPFD_CLOEXEC: {
      auto shared = p.fds().all().at(fd);
      return SysResult::ret(p.fds().add(shared));
    }
    default: return SysResult::ret(-EINVAL);
  }
}

GOSTEP_SYSCALL(readlinkat) {
  (void)t;
  std::string path;
  if (!p.memory().read_string(a.a[1], path)) return SysResult::ret(-EFAULT);
  if (path != "/proc/self/exe") return SysResult::ret(-ENOENT);
  const std::string& target = p.options().argv.empty() ? p.image().path : p.options().argv[0];
  const std::uint64_t n = std::min<std::uint64_t>(target.size(), a.a[3]);
  if (!p.memory().write(a.a[2], target.data(), n)) return SysResult::ret(-EFAULT);
  return SysResult::ret(static_cast<std::int64_t>(n));
}

GOSTEP_SYSCALL(pipe2) {
  (void)t;
  auto pipe = std::make_shared<Pipe>();
  auto r = std::make_shared<OpenFile>();
  auto w = std::make_shared<OpenFile>();
  r->kind = OpenFile::Kind::pipe_read;
  w->kind = OpenFile::Kind::pipe_write;
  r->pipe = w->pipe = pipe;
  r->status_flags = O_RDONLY | (static_cast<std::uint32_t>(a.a[1]) & O_NONBLOCK);
  w->status_flags = O_WRONLY | (static_cast<std::uint32_t>(a.a[1]) & O_NONBLOCK);
  r->cloexec = w->cloexec = a.a[1] & O_CLOEXEC;
  const std::int32_t fds[2] = {p.fds().add(r), p.fds().add(w)};
  if (!p.memory().write(a.a[0], fds, sizeof fds)) {
    p.fds().close(fds[0]);
    p.fds().close(fds[1]);
    return SysResult::ret(-EFAULT);
  }
  return SysResult::ret(0);
}

GOSTEP_SYSCALL(eventfd2) {
  (void)t;
  auto f = std::make_shared<OpenFile>();
  f->kind = OpenFile::Kind::eventfd;
  f->counter = a.a[0] & 0xffffffffu;
  f->status_flags = O_RDWR | (static_cast<std::uint32_t>(a.a[1]) & O_NONBLOCK);
  f->cloexec = a.a[1] & O_CLOEXEC;
  return SysResult::ret(p.fds().add(f));
}

// io.Copy between two *os.File tries copy_file_range first (Go 1.19,
// internal/poll/copy_file_range_linux.go). Linux refuses it with EINVAL when
// either file is not a regular file, as no guest file is here (stdio goes
// through gostep), and Go then copies with read and write.
GOSTEP_SYSCALL(copy_file_range) {
  (void)t;
  if (!p.fds().get(static_cast<int>(a.a[0])) || !p.fds().get(static_cast<int>(a.a[2])))
    return SysResult::ret(-EBADF);
  return SysResult::ret(-EINVAL);
}

}  // namespace gostep::linux_abi
