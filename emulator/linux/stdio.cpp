// <stdio.h>: rename, renameat, renameat2 (RENAME_NOREPLACE, RENAME_EXCHANGE).
#include <cerrno>

#include "fs_common.h"

namespace gostep::linux_abi {
namespace {

SysResult do_rename(Process& p, std::int64_t olddir, GuestAddr oldpath, std::int64_t newdir, GuestAddr newpath,
                    std::uint64_t flags) {
  PathArg from, to;
  if (const int e = path_at(p, olddir, oldpath, vfs::ResolveFlags{false}, from); e < 0) return SysResult::ret(e);
  if (from.r.error) return SysResult::ret(-from.r.error);
  if (const int e = path_at(p, newdir, newpath, vfs::ResolveFlags{false}, to); e < 0) return SysResult::ret(e);
  if (to.r.error && !(to.r.error == ENOENT && to.r.last_missing)) return SysResult::ret(-to.r.error);
  if (from.r.name.empty() || to.r.name.empty()) return SysResult::ret(-EBUSY);  // "/", "." or ".."
  const bool from_dir = p.vfs().get(from.r.ino)->kind == vfs::NodeKind::dir;
  if (!from_dir && (from.r.trailing_slash || to.r.trailing_slash)) return SysResult::ret(-ENOTDIR);
  return SysResult::ret(p.vfs().rename(from.r.parent, from.r.name, to.r.parent, to.r.name,
                                       static_cast<unsigned>(flags), now_ts(p)));
}

}  // namespace

GOSTEP_SYSCALL(rename) {
  (void)t;
  return do_rename(p, kAtFdcwd, a.a[0], kAtFdcwd, a.a[1], 0);
}

GOSTEP_SYSCALL(renameat) {
  (void)t;
  return do_rename(p, static_cast<std::int64_t>(a.a[0]), a.a[1], static_cast<std::int64_t>(a.a[2]), a.a[3], 0);
}

GOSTEP_SYSCALL(renameat2) {
  (void)t;
  return do_rename(p, static_cast<std::int64_t>(a.a[0]), a.a[1], static_cast<std::int64_t>(a.a[2]), a.a[3], a.a[4]);
}

}  // namespace gostep::linux_abi
