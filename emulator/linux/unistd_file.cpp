// <unistd.h>, the calls on open files and their owners: lseek, truncate,
// ftruncate, fsync, fdatasync, chown and friends (owners change only in the
// tree, never on the host).
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include "fs_common.h"

namespace gostep::linux_abi {
namespace {

constexpr std::uint64_t kAtSymlinkNofollow = 0x100, kAtEmptyPath = 0x1000;

SysResult do_chown(Process& p, std::int64_t dirfd, GuestAddr path, std::uint64_t uid, std::uint64_t gid,
                   std::uint64_t flags) {
  if (flags & ~(kAtSymlinkNofollow | kAtEmptyPath)) return SysResult::ret(-EINVAL);
  vfs::ResolveFlags rf;
  rf.follow_last = !(flags & kAtSymlinkNofollow);
  PathArg pa;
  if (const int e = path_at(p, dirfd, path, rf, pa, flags & kAtEmptyPath); e < 0) return SysResult::ret(e);
  if (pa.r.error) return SysResult::ret(-pa.r.error);
  return SysResult::ret(p.vfs().chown(pa.r.ino, static_cast<std::uint32_t>(uid), static_cast<std::uint32_t>(gid),
                                      now_ts(p)));
}

}  // namespace

GOSTEP_SYSCALL(lseek) {
  (void)t;
  OpenFile* f = p.fds().get(static_cast<int>(a.a[0]));
  if (!f) return SysResult::ret(-EBADF);
  if (f->kind != OpenFile::Kind::node && f->kind != OpenFile::Kind::proc_file) return SysResult::ret(-ESPIPE);
  const auto off = static_cast<std::int64_t>(a.a[1]);
  const vfs::Node* n = p.vfs().get(f->ino);
  if (!n) return SysResult::ret(-EBADF);
  if (n->device != vfs::Device::none) return SysResult::ret(0);  // /dev/null and friends: always at 0
  const auto size = static_cast<std::int64_t>(f->kind == OpenFile::Kind::proc_file ? f->contents.size()
                                                                                   : p.vfs().size_of(*n));
  std::int64_t pos = 0;
  switch (a.a[2]) {
    case SEEK_SET: pos = off; break;
    case SEEK_CUR: pos = static_cast<std::int64_t>(f->offset) + off; break;
    case SEEK_END: pos = size + off; break;
    case SEEK_DATA:  // the whole file is data: no holes in gostep's files
      if (off < 0 || off >= size) return SysResult::ret(-ENXIO);
      pos = off;
      break;
    case SEEK_HOLE:
      if (off < 0 || off >= size) return SysResult::ret(-ENXIO);
      pos = size;
      break;
    default: return SysResult::ret(-EINVAL);
  }
  if (pos < 0) return SysResult::ret(-EINVAL);
  if (n->kind == vfs::NodeKind::dir) {
    // A directory's offset is an index into the listing; seeking to 0 reads it again (rewinddir).
    if (pos == 0) f->listed = false;
  }
  f->offset = static_cast<std::uint64_t>(pos);
  return SysResult::ret(pos);
}

GOSTEP_SYSCALL(ftruncate) {
  (void)t;
  OpenFile* f = p.fds().get(static_cast<int>(a.a[0]));
  if (!f) return SysResult::ret(-EBADF);
  const auto len = static_cast<std::int64_t>(a.a[1]);
  if (len < 0) return SysResult::ret(-EINVAL);
  if (f->kind != OpenFile::Kind::node || (f->status_flags & O_ACCMODE) == O_RDONLY || (f->status_flags & O_PATH))
    return SysResult::ret(-EINVAL);
  return SysResult::ret(p.vfs().truncate(f->ino, static_cast<std::uint64_t>(len), now_ts(p)));
}

GOSTEP_SYSCALL(truncate) {
  (void)t;
  const auto len = static_cast<std::int64_t>(a.a[1]);
  if (len < 0) return SysResult::ret(-EINVAL);
  PathArg pa;
  if (const int e = path_at(p, kAtFdcwd, a.a[0], {}, pa); e < 0) return SysResult::ret(e);
  if (pa.r.error) return SysResult::ret(-pa.r.error);
  const vfs::Node& n = *p.vfs().get(pa.r.ino);
  if (n.kind == vfs::NodeKind::dir) return SysResult::ret(-EISDIR);
  if (!p.vfs().may(pa.r.ino, static_cast<std::uint32_t>(vfs::Access::write))) return SysResult::ret(-EACCES);
  return SysResult::ret(p.vfs().truncate(pa.r.ino, static_cast<std::uint64_t>(len), now_ts(p)));
}

// gostep's files are in memory or written through at once: nothing to flush.
// Like Linux, pipes, terminals and the like refuse (EINVAL).
GOSTEP_SYSCALL(fsync) {
  (void)t;
  OpenFile* f = p.fds().get(static_cast<int>(a.a[0]));
  if (!f) return SysResult::ret(-EBADF);
  if (f->kind == OpenFile::Kind::host_stdio && p.host().stream_kind(f->stream) == StreamKind::file)
    return SysResult::ret(0);
  return SysResult::ret(f->kind == OpenFile::Kind::node || f->kind == OpenFile::Kind::proc_file ? 0 : -EINVAL);
}

GOSTEP_SYSCALL(fdatasync) { return sys_fsync(p, t, a); }

GOSTEP_SYSCALL(fchown) {
  (void)t;
  OpenFile* f = p.fds().get(static_cast<int>(a.a[0]));
  if (!f) return SysResult::ret(-EBADF);
  if (f->kind != OpenFile::Kind::node && f->kind != OpenFile::Kind::proc_file) return SysResult::ret(-EPERM);
  return SysResult::ret(p.vfs().chown(f->ino, static_cast<std::uint32_t>(a.a[1]), static_cast<std::uint32_t>(a.a[2]),
                                      now_ts(p)));
}

GOSTEP_SYSCALL(fchownat) {
  (void)t;
  return do_chown(p, static_cast<std::int64_t>(a.a[0]), a.a[1], a.a[2], a.a[3], a.a[4]);
}

GOSTEP_SYSCALL(chown) {
  (void)t;
  return do_chown(p, kAtFdcwd, a.a[0], a.a[1], a.a[2], 0);
}

GOSTEP_SYSCALL(lchown) {
  (void)t;
  return do_chown(p, kAtFdcwd, a.a[0], a.a[1], a.a[2], kAtSymlinkNofollow);
}

}  // namespace gostep::linux_abi
