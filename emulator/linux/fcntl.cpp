// <fcntl.h>: open, openat, creat, fcntl, and the dup family (dup, dup2,
// dup3), over the guest's own file system (emulator/vfs/).
#include <fcntl.h>

#include <algorithm>
#include <cerrno>
#include <vector>

#include "fs_common.h"

namespace gostep::linux_abi {

int fd_limit(Process& p) { return static_cast<int>(std::min<std::uint64_t>(p.rlimit(7)[0], 1 << 20)); }

namespace {

constexpr std::uint32_t kKeptFlags = O_ACCMODE | O_APPEND | O_NONBLOCK | O_DSYNC | O_SYNC | O_DIRECT | O_NOATIME |
                                     O_PATH | O_ASYNC;
constexpr std::uint32_t kSettableFlags = O_APPEND | O_NONBLOCK | O_ASYNC | O_DIRECT | O_NOATIME;
constexpr std::uint32_t kLargefile = 0100000;  // what F_GETFL shows for every file on x86-64

SysResult do_open(Process& p, std::int64_t dirfd, GuestAddr path, std::uint64_t flags64, std::uint32_t mode,
                  vfs::ResolveFlags rf = {}) {
  const auto flags = static_cast<std::uint32_t>(flags64);
  const std::uint32_t acc = flags & O_ACCMODE;
  if (acc == O_ACCMODE && !(flags & O_PATH)) return SysResult::ret(-EINVAL);
  if ((flags & O_TMPFILE) == O_TMPFILE) return SysResult::ret(-EOPNOTSUPP);
  const bool excl_create = (flags & O_CREAT) && (flags & O_EXCL);
  rf.follow_last = !(flags & O_NOFOLLOW) && !excl_create;
  PathArg pa;
  if (const int e = path_at(p, dirfd, path, rf, pa); e < 0) return SysResult::ret(e);
  vfs::Vfs& v = p.vfs();
  const vfs::Resolved& r = pa.r;
  vfs::Ino ino = r.ino;
  bool created = false;
  if (r.error) {
    if (!(r.error == ENOENT && r.last_missing && (flags & O_CREAT))) return SysResult::ret(-r.error);
    if (r.trailing_slash) return SysResult::ret(-EISDIR);
    const std::int64_t c = v.create_file(r.parent, r.name, mode & ~p.fs().umask & 07777, now_ts(p));
    if (c < 0) return SysResult::ret(c);
    ino = static_cast<vfs::Ino>(c);
    created = true;
  } else if (excl_create) {
    return SysResult::ret(-EEXIST);
  }
  const vfs::Node& n = *v.get(ino);
  if (!created) {
    if (n.kind == vfs::NodeKind::symlink) return SysResult::ret(-ELOOP);  // O_NOFOLLOW on a link
    if ((flags & O_DIRECTORY) && n.kind != vfs::NodeKind::dir) return SysResult::ret(-ENOTDIR);
    if (n.kind == vfs::NodeKind::dir && !(flags & O_PATH) && (acc != O_RDONLY || (flags & O_CREAT)))
      return SysResult::ret(-EISDIR);
    if (n.kind == vfs::NodeKind::other) return SysResult::ret(-ENXIO);  // a host FIFO or socket: never opened
    if (!(flags & O_PATH)) {
      std::uint32_t want = 0;
      if (acc == O_RDONLY || acc == O_RDWR) want |= static_cast<std::uint32_t>(vfs::Access::read);
      if (acc == O_WRONLY || acc == O_RDWR || (flags & O_TRUNC)) want |= static_cast<std::uint32_t>(vfs::Access::write);
      if (want && !v.may(ino, want)) return SysResult::ret(-EACCES);
    }
    if ((flags & O_TRUNC) && !(flags & O_PATH) && n.kind == vfs::NodeKind::file && n.proc == vfs::ProcFile::none)
      if (const int e = v.truncate(ino, 0, now_ts(p)); e < 0) return SysResult::ret(e);
  }
  OpenFile f;
  f.ino = ino;
  f.status_flags = (flags & kKeptFlags) | kLargefile;
  if (n.proc != vfs::ProcFile::none && !(flags & O_PATH)) {
    f.kind = OpenFile::Kind::proc_file;
    f.contents = p.proc_contents(n.proc);
  }
  v.opened(ino);
  const int fd = p.fds().add(std::move(f), flags & O_CLOEXEC, 0, fd_limit(p));
  if (fd < 0) v.closed(ino);
  return SysResult::ret(fd);
}

}  // namespace

GOSTEP_SYSCALL(openat) {
  (void)t;
  return do_open(p, static_cast<std::int64_t>(a.a[0]), a.a[1], a.a[2], static_cast<std::uint32_t>(a.a[3]));
}

GOSTEP_SYSCALL(open) {
  (void)t;
  return do_open(p, kAtFdcwd, a.a[0], a.a[1], static_cast<std::uint32_t>(a.a[2]));
}

// openat2 (Linux 5.6): openat with RESOLVE_* restrictions on the walk
// (linux/openat2.h). Escapes fail as they do on Linux: EXDEV under
// RESOLVE_BENEATH, ELOOP for links under RESOLVE_NO_SYMLINKS, and without
// restrictions the ENOENT every path outside the guest's tree gives.
GOSTEP_SYSCALL(openat2) {
  (void)t;
  constexpr std::uint64_t kNoXdev = 0x01, kNoMagiclinks = 0x02, kNoSymlinks = 0x04, kBeneath = 0x08,
                          kInRoot = 0x10, kCached = 0x20;
  const std::uint64_t size = a.a[3];
  if (size < 24 || size > 4096) return SysResult::ret(-EINVAL);
  std::uint64_t how[3];
  if (!p.memory().read(a.a[2], how, sizeof how)) return SysResult::ret(-EFAULT);
  std::vector<std::uint8_t> rest(size - 24);
  if (!rest.empty() && !p.memory().read(a.a[2] + 24, rest.data(), rest.size())) return SysResult::ret(-EFAULT);
  for (std::uint8_t b : rest)
    if (b) return SysResult::ret(-E2BIG);  // a newer struct open_how with fields gostep does not know
  const std::uint64_t flags = how[0], mode = how[1], resolve = how[2];
  if (flags >> 32 || mode & ~static_cast<std::uint64_t>(07777)) return SysResult::ret(-EINVAL);
  if (mode && !(flags & O_CREAT)) return SysResult::ret(-EINVAL);
  if (resolve & ~(kNoXdev | kNoMagiclinks | kNoSymlinks | kBeneath | kInRoot | kCached)) return SysResult::ret(-EINVAL);
  if ((resolve & kBeneath) && (resolve & kInRoot)) return SysResult::ret(-EINVAL);
  vfs::ResolveFlags rf;
  rf.no_xdev = resolve & kNoXdev;
  rf.no_magiclinks = resolve & kNoMagiclinks;
  rf.no_symlinks = resolve & kNoSymlinks;
  rf.beneath = resolve & kBeneath;
  rf.in_root = resolve & kInRoot;
  return do_open(p, static_cast<std::int64_t>(a.a[0]), a.a[1], flags, static_cast<std::uint32_t>(mode), rf);
}

GOSTEP_SYSCALL(creat) {
  (void)t;
  return do_open(p, kAtFdcwd, a.a[0], O_CREAT | O_WRONLY | O_TRUNC, static_cast<std::uint32_t>(a.a[1]));
}

GOSTEP_SYSCALL(fcntl) {
  (void)t;
  const int fd = static_cast<int>(a.a[0]);
  OpenFile* f = p.fds().get(fd);
  if (!f) return SysResult::ret(-EBADF);
  switch (a.a[1]) {
    case F_GETFL: return SysResult::ret(f->status_flags);
    case F_SETFL:
      f->status_flags = (f->status_flags & ~kSettableFlags) | (static_cast<std::uint32_t>(a.a[2]) & kSettableFlags);
      p.fd_ready_changed();  // a waiting reader of a descriptor made non-blocking does not wait on
      return SysResult::ret(0);
    case F_GETFD: return SysResult::ret(p.fds().cloexec(fd) ? FD_CLOEXEC : 0);
    case F_SETFD: p.fds().set_cloexec(fd, a.a[2] & FD_CLOEXEC); return SysResult::ret(0);
    case F_DUPFD:
    case F_DUPFD_CLOEXEC: {
      const auto min = static_cast<std::int64_t>(static_cast<std::int32_t>(a.a[2]));
      if (min < 0 || min >= fd_limit(p)) return SysResult::ret(-EINVAL);
      return SysResult::ret(p.fds().dup(fd, static_cast<int>(min), a.a[1] == F_DUPFD_CLOEXEC, fd_limit(p)));
    }
    case F_GETLK: {
      // No other process exists to hold a lock: report the range unlocked.
      const std::int16_t unlocked = F_UNLCK;
      return SysResult::ret(p.memory().write(a.a[2], &unlocked, 2) ? 0 : -EFAULT);
    }
    case F_SETLK:
    case F_SETLKW:
      return SysResult::ret(0);
    case F_GETPIPE_SZ:
    case F_SETPIPE_SZ:
      if (f->kind != OpenFile::Kind::pipe_read && f->kind != OpenFile::Kind::pipe_write) return SysResult::ret(-EBADF);
      return SysResult::ret(static_cast<std::int64_t>(kPipeCapacity));
    default: return SysResult::ret(-EINVAL);
  }
}

GOSTEP_SYSCALL(dup) {
  (void)t;
  return SysResult::ret(p.fds().dup(static_cast<int>(a.a[0]), 0, false, fd_limit(p)));
}

SysResult dup_to(Process& p, int oldfd, int newfd, bool cloexec) {
  if (!p.fds().get(oldfd)) return SysResult::ret(-EBADF);
  if (newfd < 0 || newfd >= fd_limit(p)) return SysResult::ret(-EBADF);
  std::vector<OpenFile> released;
  const int r = p.fds().dup_to(oldfd, newfd, cloexec, released);
  p.release(released);
  return SysResult::ret(r);
}

GOSTEP_SYSCALL(dup2) {
  (void)t;
  const int oldfd = static_cast<int>(a.a[0]), newfd = static_cast<int>(a.a[1]);
  if (oldfd == newfd) return SysResult::ret(p.fds().get(oldfd) ? newfd : -EBADF);
  return dup_to(p, oldfd, newfd, false);
}

GOSTEP_SYSCALL(dup3) {
  (void)t;
  const int oldfd = static_cast<int>(a.a[0]), newfd = static_cast<int>(a.a[1]);
  if (a.a[2] & ~static_cast<std::uint64_t>(O_CLOEXEC) || oldfd == newfd) return SysResult::ret(-EINVAL);
  return dup_to(p, oldfd, newfd, a.a[2] & O_CLOEXEC);
}

}  // namespace gostep::linux_abi
