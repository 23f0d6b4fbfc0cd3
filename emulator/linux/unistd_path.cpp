// <unistd.h>, the calls on names: getcwd, chdir, fchdir, unlink(at), rmdir,
// link(at), symlink(at), readlink(at), access, faccessat(2).
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "fs_common.h"

namespace gostep::linux_abi {
namespace {

constexpr std::uint64_t kAtSymlinkNofollow = 0x100, kAtRemovedir = 0x200, kAtSymlinkFollow = 0x400,
                        kAtEmptyPath = 0x1000, kAtEaccess = 0x200;

SysResult do_unlink(Process& p, std::int64_t dirfd, GuestAddr path, bool dir) {
  PathArg pa;
  if (const int e = path_at(p, dirfd, path, vfs::ResolveFlags{false}, pa); e < 0) return SysResult::ret(e);
  const vfs::Resolved& r = pa.r;
  if (r.error) return SysResult::ret(-r.error);
  if (r.name.empty()) {  // "/", "." or ".."
    if (!dir) return SysResult::ret(-EISDIR);
    const std::string& s = pa.text;
    const bool dot = s == "." || (s.size() >= 2 && s.compare(s.size() - 2, 2, "/.") == 0);
    return SysResult::ret(r.ino == p.vfs().root() && !dot ? -EBUSY : dot ? -EINVAL : -ENOTEMPTY);
  }
  return SysResult::ret(p.vfs().remove(r.parent, r.name, dir, now_ts(p)));
}

SysResult do_link(Process& p, std::int64_t olddir, GuestAddr oldpath, std::int64_t newdir, GuestAddr newpath,
                  std::uint64_t flags) {
  if (flags & ~(kAtSymlinkFollow | kAtEmptyPath)) return SysResult::ret(-EINVAL);
  PathArg from, to;
  vfs::ResolveFlags rf;
  rf.follow_last = flags & kAtSymlinkFollow;
  if (const int e = path_at(p, olddir, oldpath, rf, from, flags & kAtEmptyPath); e < 0) return SysResult::ret(e);
  if (from.r.error) return SysResult::ret(-from.r.error);
  if (from.text.empty()) {  // AT_EMPTY_PATH: the file open at olddir
    OpenFile* f = p.fds().get(static_cast<std::int32_t>(olddir));
    if (!f || f->kind != OpenFile::Kind::node) return SysResult::ret(-EBADF);
    from.r.ino = f->ino;
  }
  if (const int e = path_at(p, newdir, newpath, vfs::ResolveFlags{false}, to); e < 0) return SysResult::ret(e);
  if (to.r.error == 0) return SysResult::ret(-EEXIST);
  if (!(to.r.error == ENOENT && to.r.last_missing)) return SysResult::ret(-to.r.error);
  return SysResult::ret(p.vfs().link(from.r.ino, to.r.parent, to.r.name, now_ts(p)));
}

SysResult do_symlink(Process& p, GuestAddr target_addr, std::int64_t dirfd, GuestAddr path) {
  std::string target;
  if (!p.memory().read_string(target_addr, target, vfs::kPathMax))
    return SysResult::ret(target.size() >= vfs::kPathMax ? -ENAMETOOLONG : -EFAULT);
  if (target.empty()) return SysResult::ret(-ENOENT);
  PathArg pa;
  if (const int e = path_at(p, dirfd, path, vfs::ResolveFlags{false}, pa); e < 0) return SysResult::ret(e);
  if (pa.r.error == 0) return SysResult::ret(-EEXIST);
  if (!(pa.r.error == ENOENT && pa.r.last_missing)) return SysResult::ret(-pa.r.error);
  return SysResult::ret(p.vfs().symlink(pa.r.parent, pa.r.name, target, now_ts(p)));
}

SysResult do_readlink(Process& p, std::int64_t dirfd, GuestAddr path, GuestAddr buf, std::int64_t size) {
  if (size <= 0) return SysResult::ret(-EINVAL);
  PathArg pa;
  if (const int e = path_at(p, dirfd, path, vfs::ResolveFlags{false}, pa); e < 0) return SysResult::ret(e);
  if (pa.r.error) return SysResult::ret(-pa.r.error);
  const vfs::Node& n = *p.vfs().get(pa.r.ino);
  if (n.kind != vfs::NodeKind::symlink) return SysResult::ret(-EINVAL);
  const std::uint64_t k = std::min<std::uint64_t>(n.target.size(), static_cast<std::uint64_t>(size));
  if (!p.memory().write(buf, n.target.data(), k)) return SysResult::ret(-EFAULT);
  return SysResult::ret(static_cast<std::int64_t>(k));
}

SysResult do_access(Process& p, std::int64_t dirfd, GuestAddr path, std::uint64_t mode, std::uint64_t flags) {
  if (mode & ~static_cast<std::uint64_t>(7)) return SysResult::ret(-EINVAL);
  if (flags & ~(kAtSymlinkNofollow | kAtEaccess | kAtEmptyPath)) return SysResult::ret(-EINVAL);
  vfs::ResolveFlags rf;
  rf.follow_last = !(flags & kAtSymlinkNofollow);
  PathArg pa;
  if (const int e = path_at(p, dirfd, path, rf, pa, flags & kAtEmptyPath); e < 0) return SysResult::ret(e);
  if (pa.r.error) return SysResult::ret(-pa.r.error);
  if (mode && !p.vfs().may(pa.r.ino, static_cast<std::uint32_t>(mode))) return SysResult::ret(-EACCES);
  return SysResult::ret(0);
}

}  // namespace

GOSTEP_SYSCALL(getcwd) {
  (void)t;
  const std::optional<std::string> path = p.vfs().path_of(p.fs().cwd);
  if (!path) return SysResult::ret(-ENOENT);  // the working directory was removed
  if (path->size() + 1 > a.a[1]) return SysResult::ret(-ERANGE);
  if (!p.memory().write(a.a[0], path->c_str(), path->size() + 1)) return SysResult::ret(-EFAULT);
  return SysResult::ret(static_cast<std::int64_t>(path->size() + 1));
}

GOSTEP_SYSCALL(chdir) {
  (void)t;
  PathArg pa;
  if (const int e = path_at(p, kAtFdcwd, a.a[0], {}, pa); e < 0) return SysResult::ret(e);
  if (pa.r.error) return SysResult::ret(-pa.r.error);
  if (p.vfs().get(pa.r.ino)->kind != vfs::NodeKind::dir) return SysResult::ret(-ENOTDIR);
  if (!p.vfs().searchable(pa.r.ino)) return SysResult::ret(-EACCES);
  p.fs().cwd = pa.r.ino;
  return SysResult::ret(0);
}

GOSTEP_SYSCALL(fchdir) {
  (void)t;
  OpenFile* f = p.fds().get(static_cast<int>(a.a[0]));
  if (!f) return SysResult::ret(-EBADF);
  const vfs::Node* n = f->kind == OpenFile::Kind::node ? p.vfs().get(f->ino) : nullptr;
  if (!n || n->kind != vfs::NodeKind::dir) return SysResult::ret(-ENOTDIR);
  if (!p.vfs().searchable(f->ino)) return SysResult::ret(-EACCES);
  p.fs().cwd = f->ino;
  return SysResult::ret(0);
}

GOSTEP_SYSCALL(unlinkat) {
  (void)t;
  if (a.a[2] & ~kAtRemovedir) return SysResult::ret(-EINVAL);
  return do_unlink(p, static_cast<std::int64_t>(a.a[0]), a.a[1], a.a[2] & kAtRemovedir);
}

GOSTEP_SYSCALL(unlink) {
  (void)t;
  return do_unlink(p, kAtFdcwd, a.a[0], false);
}

GOSTEP_SYSCALL(rmdir) {
  (void)t;
  return do_unlink(p, kAtFdcwd, a.a[0], true);
}

GOSTEP_SYSCALL(linkat) {
  (void)t;
  return do_link(p, static_cast<std::int64_t>(a.a[0]), a.a[1], static_cast<std::int64_t>(a.a[2]), a.a[3], a.a[4]);
}

GOSTEP_SYSCALL(link) {
  (void)t;
  return do_link(p, kAtFdcwd, a.a[0], kAtFdcwd, a.a[1], 0);
}

GOSTEP_SYSCALL(symlinkat) {
  (void)t;
  return do_symlink(p, a.a[0], static_cast<std::int64_t>(a.a[1]), a.a[2]);
}

GOSTEP_SYSCALL(symlink) {
  (void)t;
  return do_symlink(p, a.a[0], kAtFdcwd, a.a[1]);
}

GOSTEP_SYSCALL(readlinkat) {
  (void)t;
  return do_readlink(p, static_cast<std::int64_t>(a.a[0]), a.a[1], a.a[2], static_cast<std::int32_t>(a.a[3]));
}

GOSTEP_SYSCALL(readlink) {
  (void)t;
  return do_readlink(p, kAtFdcwd, a.a[0], a.a[1], static_cast<std::int32_t>(a.a[2]));
}

GOSTEP_SYSCALL(faccessat) {
  (void)t;
  return do_access(p, static_cast<std::int64_t>(a.a[0]), a.a[1], a.a[2], 0);
}

GOSTEP_SYSCALL(faccessat2) {
  (void)t;
  return do_access(p, static_cast<std::int64_t>(a.a[0]), a.a[1], a.a[2], a.a[3]);
}

GOSTEP_SYSCALL(access) {
  (void)t;
  return do_access(p, kAtFdcwd, a.a[0], a.a[1], 0);
}

}  // namespace gostep::linux_abi
