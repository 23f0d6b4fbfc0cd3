// <unistd.h>, <sys/eventfd.h>: read, write, close, pipe2, eventfd2, on any
// descriptor. A blocking read of an empty pipe, eventfd or of the host's
// stdin, and a blocking write to a full pipe, block the calling thread only:
// the call is made again when a descriptor changes (Process::block_io).
#include <fcntl.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <vector>

#include "fs_common.h"

namespace gostep::linux_abi {

namespace {
constexpr std::uint64_t kMaxIo = 1 << 20;

bool may_block(const OpenFile& f) {
  if (f.status_flags & O_NONBLOCK) return false;
  return f.kind == OpenFile::Kind::pipe_read || f.kind == OpenFile::Kind::pipe_write ||
         f.kind == OpenFile::Kind::eventfd || reads_host_stdin(f);
}
}  // namespace

// read, readv: `read` fills `buf` (at most `count` bytes) or says why not.
SysResult finish_read(Process& p, Thread& t, const SyscallArgs& a, OpenFile& f, std::int64_t r) {
  if (r == -EAGAIN && may_block(f)) {
    p.block_io(t, a, reads_host_stdin(f));
    return SysResult::blocked();
  }
  return SysResult::ret(r);
}

SysResult finish_write(Process& p, Thread& t, const SyscallArgs& a, OpenFile& f, std::int64_t r,
                       std::uint64_t count, int count_arg) {
  if (r == -EPIPE) p.send_signal(t, PendingSignal{SIGPIPE, 0 /* SI_USER */, 0, p.pid()});
  // (count_arg < 0, writev: a partial write returns what it wrote.)
  const bool partial = count_arg >= 0 && r >= 0 && static_cast<std::uint64_t>(r) < count;
  if (may_block(f) && (r == -EAGAIN || partial)) {
    // Wait for room; a long pipe write goes on where it stopped.
    SyscallArgs rest = a;
    if (r > 0) {
      t.io_done += static_cast<std::uint64_t>(r);
      rest.a[1] += static_cast<std::uint64_t>(r);
      rest.a[static_cast<std::size_t>(count_arg)] -= static_cast<std::uint64_t>(r);
    }
    p.block_io(t, rest, false);
    return SysResult::blocked();
  }
  if (r < 0 && t.io_done) r = 0;  // an error after part of it was written: report that part
  if (r >= 0) r += static_cast<std::int64_t>(t.io_done);
  t.io_done = 0;
  return SysResult::ret(r);
}

GOSTEP_SYSCALL(read) {
  OpenFile* f = p.fds().get(static_cast<int>(a.a[0]));
  if (!f) return SysResult::ret(-EBADF);
  const std::uint64_t count = std::min(a.a[2], kMaxIo);
  std::vector<std::uint8_t> buf(count);
  const std::int64_t r = count ? read_desc(p, *f, buf.data(), count, std::nullopt) : 0;
  if (r > 0 && !p.memory().write(a.a[1], buf.data(), static_cast<std::uint64_t>(r))) return SysResult::ret(-EFAULT);
  return finish_read(p, t, a, *f, r);
}

GOSTEP_SYSCALL(write) {
  OpenFile* f = p.fds().get(static_cast<int>(a.a[0]));
  if (!f) return SysResult::ret(-EBADF);
  const std::uint64_t count = std::min(a.a[2], kMaxIo);
  std::vector<std::uint8_t> buf(count);
  if (!p.memory().read(a.a[1], buf.data(), count)) return SysResult::ret(-EFAULT);
  const std::int64_t r = count ? write_desc(p, *f, buf.data(), count, std::nullopt) : 0;
  return finish_write(p, t, a, *f, r, count, 2);
}

GOSTEP_SYSCALL(close) {
  (void)t;
  std::vector<OpenFile> released;
  if (!p.fds().close(static_cast<int>(a.a[0]), released)) return SysResult::ret(-EBADF);
  p.release(released);
  return SysResult::ret(0);
}

SysResult make_pipe(Process& p, GuestAddr out, std::uint64_t flags) {
  if (flags & ~static_cast<std::uint64_t>(O_NONBLOCK | O_CLOEXEC | O_DIRECT)) return SysResult::ret(-EINVAL);
  const PipeId id = p.fds().new_pipe();
  OpenFile r, w;
  r.kind = OpenFile::Kind::pipe_read;
  w.kind = OpenFile::Kind::pipe_write;
  r.pipe = w.pipe = id;
  r.status_flags = O_RDONLY | (static_cast<std::uint32_t>(flags) & O_NONBLOCK);
  w.status_flags = O_WRONLY | (static_cast<std::uint32_t>(flags) & O_NONBLOCK);
  const bool cloexec = flags & O_CLOEXEC;
  const int limit = fd_limit(p);
  std::vector<OpenFile> released;
  const int rfd = p.fds().add(r, cloexec, 0, limit);
  if (rfd < 0) return SysResult::ret(rfd);
  const int wfd = p.fds().add(w, cloexec, 0, limit);
  if (wfd < 0) {
    p.fds().close(rfd, released);
    p.release(released);
    return SysResult::ret(wfd);
  }
  const std::int32_t fds[2] = {rfd, wfd};
  if (!p.memory().write(out, fds, sizeof fds)) {
    p.fds().close(rfd, released);
    p.fds().close(wfd, released);
    p.release(released);
    return SysResult::ret(-EFAULT);
  }
  return SysResult::ret(0);
}

GOSTEP_SYSCALL(pipe2) {
  (void)t;
  return make_pipe(p, a.a[0], a.a[1]);
}

GOSTEP_SYSCALL(pipe) {
  (void)t;
  return make_pipe(p, a.a[0], 0);
}

GOSTEP_SYSCALL(eventfd2) {
  (void)t;
  constexpr std::uint64_t kSemaphore = 1;  // EFD_SEMAPHORE: not provided
  if (a.a[1] & ~static_cast<std::uint64_t>(O_NONBLOCK | O_CLOEXEC) || (a.a[1] & kSemaphore))
    return SysResult::ret(-EINVAL);
  OpenFile f;
  f.kind = OpenFile::Kind::eventfd;
  f.counter = a.a[0] & 0xffffffffu;
  f.status_flags = O_RDWR | (static_cast<std::uint32_t>(a.a[1]) & O_NONBLOCK);
  return SysResult::ret(p.fds().add(std::move(f), a.a[1] & O_CLOEXEC, 0, fd_limit(p)));
}

}  // namespace gostep::linux_abi
