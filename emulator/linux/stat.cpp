// <sys/stat.h>: stat, lstat, fstat, newfstatat, statx, mkdir(at), chmod,
// fchmod(at), umask, utimensat. What stat shows of host files is decided in
// emulator/vfs/vfs.h (real sizes and permissions; gostep's times, owners,
// inode and device numbers), so that runs over the same contents agree.
#include <fcntl.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>

#include "fs_common.h"

namespace gostep::linux_abi {
namespace {

constexpr std::uint64_t kAtSymlinkNofollow = 0x100, kAtEmptyPath = 0x1000, kAtNoAutomount = 0x800;
constexpr std::uint64_t kAtStatxSyncMask = 0x6000;
constexpr std::uint32_t kStatxBasicStats = 0x7ff;
constexpr std::int64_t kUtimeNow = (1L << 30) - 1, kUtimeOmit = (1L << 30) - 2;

// Resolves (dirfd, path, flags) for the *at calls that take AT_EMPTY_PATH and
// AT_SYMLINK_NOFOLLOW; an empty path with AT_EMPTY_PATH names dirfd itself.
int stat_target(Process& p, const SyscallArgs& a, std::uint64_t flags, StatData& out) {
  vfs::ResolveFlags rf;
  rf.follow_last = !(flags & kAtSymlinkNofollow);
  PathArg pa;
  if (const int e = path_at(p, static_cast<std::int64_t>(a.a[0]), a.a[1], rf, pa, flags & kAtEmptyPath); e < 0)
    return e;
  if (pa.text.empty() && (flags & kAtEmptyPath)) {
    const auto fd = static_cast<std::int32_t>(a.a[0]);
    if (fd == kAtFdcwd) {
      out = stat_node(p, p.fs().cwd);
      return 0;
    }
    OpenFile* f = p.fds().get(fd);
    if (!f) return -EBADF;
    out = stat_desc(p, *f);
    return 0;
  }
  if (pa.r.error) return -pa.r.error;
  out = stat_node(p, pa.r.ino);
  return 0;
}

SysResult do_mkdir(Process& p, std::int64_t dirfd, GuestAddr path, std::uint32_t mode) {
  PathArg pa;
  if (const int e = path_at(p, dirfd, path, vfs::ResolveFlags{false}, pa); e < 0) return SysResult::ret(e);
  if (pa.r.error == 0) return SysResult::ret(-EEXIST);
  if (!(pa.r.error == ENOENT && pa.r.last_missing)) return SysResult::ret(-pa.r.error);
  const std::uint32_t perm = mode & (0777 | S_ISVTX) & ~p.fs().umask;
  return SysResult::ret(p.vfs().mkdir(pa.r.parent, pa.r.name, perm, now_ts(p)));
}

SysResult do_chmod(Process& p, std::int64_t dirfd, GuestAddr path, std::uint32_t mode) {
  PathArg pa;
  if (const int e = path_at(p, dirfd, path, {}, pa); e < 0) return SysResult::ret(e);
  if (pa.r.error) return SysResult::ret(-pa.r.error);
  return SysResult::ret(p.vfs().chmod(pa.r.ino, mode, now_ts(p)));
}

}  // namespace

GOSTEP_SYSCALL(fstat) {
  (void)t;
  OpenFile* f = p.fds().get(static_cast<int>(a.a[0]));
  if (!f) return SysResult::ret(-EBADF);
  return SysResult::ret(write_stat(p, a.a[1], stat_desc(p, *f)) ? 0 : -EFAULT);
}

GOSTEP_SYSCALL(newfstatat) {
  (void)t;
  const std::uint64_t flags = a.a[3];
  if (flags & ~(kAtSymlinkNofollow | kAtEmptyPath | kAtNoAutomount)) return SysResult::ret(-EINVAL);
  StatData s;
  if (const int e = stat_target(p, a, flags, s); e < 0) return SysResult::ret(e);
  return SysResult::ret(write_stat(p, a.a[2], s) ? 0 : -EFAULT);
}

GOSTEP_SYSCALL(stat) {
  SyscallArgs b;
  b.a[0] = static_cast<std::uint64_t>(kAtFdcwd), b.a[1] = a.a[0], b.a[2] = a.a[1], b.a[3] = 0;
  return sys_newfstatat(p, t, b);
}

GOSTEP_SYSCALL(lstat) {
  SyscallArgs b;
  b.a[0] = static_cast<std::uint64_t>(kAtFdcwd), b.a[1] = a.a[0], b.a[2] = a.a[1], b.a[3] = kAtSymlinkNofollow;
  return sys_newfstatat(p, t, b);
}

GOSTEP_SYSCALL(statx) {
  (void)t;
  const std::uint64_t flags = a.a[2];
  if (flags & ~(kAtSymlinkNofollow | kAtEmptyPath | kAtNoAutomount | kAtStatxSyncMask)) return SysResult::ret(-EINVAL);
  if ((flags & kAtStatxSyncMask) == kAtStatxSyncMask) return SysResult::ret(-EINVAL);
  StatData s;
  if (const int e = stat_target(p, a, flags, s); e < 0) return SysResult::ret(e);
  std::uint8_t b[256] = {};
  auto put64 = [&](std::size_t off, std::uint64_t v) { std::memcpy(b + off, &v, 8); };
  auto put32 = [&](std::size_t off, std::uint32_t v) { std::memcpy(b + off, &v, 4); };
  put32(0x00, kStatxBasicStats);
  put32(0x04, static_cast<std::uint32_t>(s.blksize));
  put32(0x10, static_cast<std::uint32_t>(s.nlink));
  put32(0x14, s.uid);
  put32(0x18, s.gid);
  const auto mode = static_cast<std::uint16_t>(s.mode);
  std::memcpy(b + 0x1c, &mode, 2);
  put64(0x20, s.ino);
  put64(0x28, s.size);
  put64(0x30, s.blocks);
  const vfs::Timespec* times[] = {&s.atime, nullptr, &s.ctime, &s.mtime};  // atime, btime, ctime, mtime
  for (std::size_t i = 0; i < 4; ++i) {
    if (!times[i]) continue;
    put64(0x40 + 16 * i, static_cast<std::uint64_t>(times[i]->sec));
    put32(0x48 + 16 * i, static_cast<std::uint32_t>(times[i]->nsec));
  }
  put32(0x80, static_cast<std::uint32_t>((s.rdev >> 8) & 0xfff));
  put32(0x84, static_cast<std::uint32_t>((s.rdev & 0xff) | ((s.rdev >> 12) & ~0xffULL)));
  put32(0x88, static_cast<std::uint32_t>((s.dev >> 8) & 0xfff));
  put32(0x8c, static_cast<std::uint32_t>((s.dev & 0xff) | ((s.dev >> 12) & ~0xffULL)));
  return SysResult::ret(p.memory().write(a.a[4], b, sizeof b) ? 0 : -EFAULT);
}

GOSTEP_SYSCALL(mkdirat) {
  (void)t;
  return do_mkdir(p, static_cast<std::int64_t>(a.a[0]), a.a[1], static_cast<std::uint32_t>(a.a[2]));
}

GOSTEP_SYSCALL(mkdir) {
  (void)t;
  return do_mkdir(p, kAtFdcwd, a.a[0], static_cast<std::uint32_t>(a.a[1]));
}

GOSTEP_SYSCALL(fchmod) {
  (void)t;
  OpenFile* f = p.fds().get(static_cast<int>(a.a[0]));
  if (!f) return SysResult::ret(-EBADF);
  if (f->kind != OpenFile::Kind::node && f->kind != OpenFile::Kind::proc_file)
    return SysResult::ret(f->kind == OpenFile::Kind::host_stdio ? -EPERM : 0);
  if (f->status_flags & O_PATH) return SysResult::ret(-EBADF);
  return SysResult::ret(p.vfs().chmod(f->ino, static_cast<std::uint32_t>(a.a[1]), now_ts(p)));
}

GOSTEP_SYSCALL(fchmodat) {
  (void)t;
  return do_chmod(p, static_cast<std::int64_t>(a.a[0]), a.a[1], static_cast<std::uint32_t>(a.a[2]));
}

GOSTEP_SYSCALL(chmod) {
  (void)t;
  return do_chmod(p, kAtFdcwd, a.a[0], static_cast<std::uint32_t>(a.a[1]));
}

GOSTEP_SYSCALL(umask) {
  (void)t;
  const std::uint32_t old = p.fs().umask;
  p.fs().umask = static_cast<std::uint32_t>(a.a[0]) & 0777;
  return SysResult::ret(old);
}

GOSTEP_SYSCALL(utimensat) {
  (void)t;
  const std::uint64_t flags = a.a[3];
  if (flags & ~(kAtSymlinkNofollow | kAtEmptyPath)) return SysResult::ret(-EINVAL);
  vfs::Ino ino = 0;
  if (a.a[1] == 0) {  // futimens: the descriptor itself
    const auto fd = static_cast<std::int32_t>(a.a[0]);
    OpenFile* f = fd == kAtFdcwd ? nullptr : p.fds().get(fd);
    if (!f) return SysResult::ret(-EBADF);
    if (f->kind != OpenFile::Kind::node && f->kind != OpenFile::Kind::proc_file) return SysResult::ret(0);
    ino = f->ino;
  } else {
    vfs::ResolveFlags rf;
    rf.follow_last = !(flags & kAtSymlinkNofollow);
    PathArg pa;
    if (const int e = path_at(p, static_cast<std::int64_t>(a.a[0]), a.a[1], rf, pa, flags & kAtEmptyPath); e < 0)
      return SysResult::ret(e);
    if (pa.r.error) return SysResult::ret(-pa.r.error);
    ino = pa.r.ino;
  }
  std::int64_t ts[4] = {0, kUtimeNow, 0, kUtimeNow};
  if (a.a[2] && !p.memory().read(a.a[2], ts, sizeof ts)) return SysResult::ret(-EFAULT);
  for (int i : {1, 3})
    if (ts[i] != kUtimeNow && ts[i] != kUtimeOmit && (ts[i] < 0 || ts[i] >= 1'000'000'000)) return SysResult::ret(-EINVAL);
  vfs::Node& n = *p.vfs().get(ino);
  // Explicit times need ownership; "now" ownership or write permission (utimensat(2)).
  const bool explicit_times = (ts[1] != kUtimeNow && ts[1] != kUtimeOmit) || (ts[3] != kUtimeNow && ts[3] != kUtimeOmit);
  if (n.uid != vfs::kUserUid && (explicit_times || !p.vfs().may(ino, static_cast<std::uint32_t>(vfs::Access::write))))
    return SysResult::ret(explicit_times ? -EPERM : -EACCES);
  const vfs::Timespec now = now_ts(p);
  vfs::Timespec* fields[2] = {&n.atime, &n.mtime};
  for (int i = 0; i < 2; ++i) {
    const std::int64_t sec = ts[2 * i], nsec = ts[2 * i + 1];
    if (nsec == kUtimeOmit) continue;
    *fields[i] = nsec == kUtimeNow ? now : vfs::Timespec{sec, nsec};
  }
  if (ts[1] != kUtimeOmit || ts[3] != kUtimeOmit) n.ctime = now;
  return SysResult::ret(0);
}

}  // namespace gostep::linux_abi
