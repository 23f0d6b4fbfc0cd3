// Changes the guest makes to its file system: new files, directories and
// links, removals, renames, permissions. Each checks what Linux checks for an
// unprivileged user (the guest is never root), then changes the host when the
// node is in a read-write grant, then the tree.
#include <cerrno>

#include "vfs.h"

namespace gostep::vfs {
namespace {
constexpr unsigned kRenameNoreplace = 1, kRenameExchange = 2, kRenameWhiteout = 4;
constexpr std::uint32_t kWriteSearch = static_cast<std::uint32_t>(Access::write) | static_cast<std::uint32_t>(Access::exec);

std::string join(const std::string& rel, const std::string& name) { return rel.empty() ? name : rel + "/" + name; }
}  // namespace

HostRef Vfs::host_child(const Node& dir, const std::string& name) const {
  if (dir.host.grant < 0) return {};
  return HostRef{dir.host.grant, join(dir.host.rel, name)};
}

std::int64_t Vfs::create_file(Ino dir, const std::string& name, std::uint32_t perm, Timespec now) {
  Node* d = get(dir);
  if (!d || d->kind != NodeKind::dir) return -ENOTDIR;
  if (entries(dir).count(name)) return -EEXIST;
  if (!may(dir, kWriteSearch)) return -EACCES;
  Node n;
  n.kind = NodeKind::file;
  n.perm = perm & 07777;
  n.uid = kUserUid;
  n.gid = kUserGid;
  n.atime = n.mtime = n.ctime = now;
  n.fs = d->fs;
  if (writes_through(*d)) {
    n.host = host_child(*d, name);
    const Grant& g = grants_.at(static_cast<std::size_t>(d->host.grant));
    if (const int r = host_->create(g.host_root, n.host.rel, n.perm); r < 0) return r;
  }
  d->mtime = d->ctime = now;
  return static_cast<std::int64_t>(add_node(dir, name, std::move(n)));
}

int Vfs::mkdir(Ino dir, const std::string& name, std::uint32_t perm, Timespec now) {
  Node* d = get(dir);
  if (!d || d->kind != NodeKind::dir) return -ENOTDIR;
  if (entries(dir).count(name)) return -EEXIST;
  if (!may(dir, kWriteSearch)) return -EACCES;
  Node n;
  n.kind = NodeKind::dir;
  n.perm = perm & 07777;
  n.uid = kUserUid;
  n.gid = kUserGid;
  n.nlink = 2;
  n.atime = n.mtime = n.ctime = now;
  n.fs = d->fs;
  if (writes_through(*d)) {
    n.host = host_child(*d, name);
    const Grant& g = grants_.at(static_cast<std::size_t>(d->host.grant));
    if (const int r = host_->mkdir(g.host_root, n.host.rel, n.perm); r < 0) return r;
  }
  d->mtime = d->ctime = now;
  add_node(dir, name, std::move(n));
  return 0;
}

int Vfs::symlink(Ino dir, const std::string& name, const std::string& target, Timespec now) {
  Node* d = get(dir);
  if (!d || d->kind != NodeKind::dir) return -ENOTDIR;
  if (entries(dir).count(name)) return -EEXIST;
  if (!may(dir, kWriteSearch)) return -EACCES;
  if (writes_through(*d)) {
    const Grant& g = grants_.at(static_cast<std::size_t>(d->host.grant));
    if (const int r = host_->symlink(g.host_root, target, host_child(*d, name).rel); r < 0) return r;
  }
  d->mtime = d->ctime = now;
  Node n;
  n.kind = NodeKind::symlink;
  n.perm = 0777;
  n.uid = kUserUid;
  n.gid = kUserGid;
  n.target = target;
  n.atime = n.mtime = n.ctime = now;
  n.fs = d->fs;
  add_node(dir, name, std::move(n));
  return 0;
}

int Vfs::link(Ino target, Ino dir, const std::string& name, Timespec now) {
  Node* d = get(dir);
  Node* t = get(target);
  if (!d || !t || d->kind != NodeKind::dir) return -ENOTDIR;
  if (t->kind == NodeKind::dir) return -EPERM;
  if (t->nlink == 0) return -ENOENT;
  if (entries(dir).count(name)) return -EEXIST;
  if (t->fs != d->fs || t->proc != ProcFile::none) return -EXDEV;
  if (!may(dir, kWriteSearch)) return -EACCES;
  if (writes_through(*d) && t->host.grant >= 0) {
    const Grant& g = grants_.at(static_cast<std::size_t>(d->host.grant));
    if (const int r = host_->link(g.host_root, t->host.rel, host_child(*d, name).rel); r < 0) return r;
  }
  d->entries[name] = target;
  d->mtime = d->ctime = now;
  ++t->nlink;
  t->ctime = now;
  return 0;
}

int Vfs::remove(Ino dir, const std::string& name, bool want_dir, Timespec now) {
  Node* d = get(dir);
  if (!d || d->kind != NodeKind::dir) return -ENOTDIR;
  auto it = entries(dir).find(name);
  if (it == d->entries.end()) return -ENOENT;
  const Ino ino = it->second;
  Node& n = nodes_.at(ino);
  if (want_dir) {
    if (n.kind != NodeKind::dir) return -ENOTDIR;
    for (const Grant& g : grants_)
      if (g.root == ino) return -EBUSY;
    if (!entries(ino).empty()) return -ENOTEMPTY;
  } else if (n.kind == NodeKind::dir) {
    return -EISDIR;
  }
  if (!may(dir, kWriteSearch)) return -EACCES;
  if ((d->perm & 01000) && d->uid != kUserUid && n.uid != kUserUid) return -EPERM;  // sticky
  if (writes_through(*d)) {
    const Grant& g = grants_.at(static_cast<std::size_t>(d->host.grant));
    if (const int r = host_->remove(g.host_root, host_child(*d, name).rel, want_dir); r < 0) return r;
  }
  d->entries.erase(name);
  d->mtime = d->ctime = now;
  if (n.kind == NodeKind::dir) {
    --d->nlink;
    n.nlink = 0;
  } else {
    --n.nlink;
  }
  n.ctime = now;
  drop_if_unused(ino);
  return 0;
}

void Vfs::rehome(Ino ino, const std::string& old_rel, const std::string& new_rel) {
  Node& n = nodes_.at(ino);
  if (n.host.grant >= 0 && (n.host.rel == old_rel || n.host.rel.rfind(old_rel + "/", 0) == 0))
    n.host.rel = new_rel + n.host.rel.substr(old_rel.size());
  if (n.kind == NodeKind::dir)
    for (const auto& [name, c] : n.entries)
      if (nodes_.at(c).kind == NodeKind::dir || nodes_.at(c).host.grant >= 0) rehome(c, old_rel, new_rel);
}

int Vfs::rename(Ino from_dir, const std::string& from, Ino to_dir, const std::string& to, unsigned flags,
                Timespec now) {
  if (flags & ~(kRenameNoreplace | kRenameExchange | kRenameWhiteout)) return -EINVAL;
  if ((flags & kRenameWhiteout) || ((flags & kRenameNoreplace) && (flags & kRenameExchange))) return -EINVAL;
  Node* fd = get(from_dir);
  Node* td = get(to_dir);
  if (!fd || !td || fd->kind != NodeKind::dir || td->kind != NodeKind::dir) return -ENOTDIR;
  auto src_it = entries(from_dir).find(from);
  if (src_it == fd->entries.end()) return -ENOENT;
  const Ino src = src_it->second;
  const auto& to_entries = entries(to_dir);
  auto dst_it = to_entries.find(to);
  const Ino dst = dst_it == to_entries.end() ? 0 : dst_it->second;  // 0: no such name
  Node& s = nodes_.at(src);
  for (const Grant& g : grants_)
    if (g.root == src || (dst && g.root == dst)) return -EBUSY;  // a mount point
  if (s.fs != td->fs || fd->fs != td->fs) return -EXDEV;
  if (!may(from_dir, kWriteSearch) || !may(to_dir, kWriteSearch)) return -EACCES;
  // A directory cannot move below itself.
  for (Ino a = to_dir;; a = nodes_.at(a).parent) {
    if (a == src) return -EINVAL;
    if (a == root_) break;
  }
  if (dst == src) return 0;  // two names of one file: nothing to do, as Linux does
  const bool exchange = flags & kRenameExchange;
  if (exchange && !dst) return -ENOENT;
  if (dst && (flags & kRenameNoreplace)) return -EEXIST;
  if (dst && !exchange) {
    const Node& d = nodes_.at(dst);
    if (s.kind == NodeKind::dir && d.kind != NodeKind::dir) return -ENOTDIR;
    if (s.kind != NodeKind::dir && d.kind == NodeKind::dir) return -EISDIR;
    if (d.kind == NodeKind::dir) {
      for (Ino a = src;; a = nodes_.at(a).parent) {  // nor may it replace one of its ancestors
        if (a == dst) return -ENOTEMPTY;
        if (a == root_) break;
      }
      if (!entries(dst).empty()) return -ENOTEMPTY;
    }
  }
  const std::string from_rel = join(fd->host.rel, from), to_rel = join(td->host.rel, to);
  if (writes_through(*fd)) {
    const Grant& g = grants_.at(static_cast<std::size_t>(fd->host.grant));
    if (const int r = host_->rename(g.host_root, from_rel, to_rel, exchange); r < 0) return r;
  }
  if (exchange) {
    fd->entries[from] = dst;
    td->entries[to] = src;
    Node& d = nodes_.at(dst);
    if (s.kind == NodeKind::dir) s.parent = to_dir;
    if (d.kind == NodeKind::dir) d.parent = from_dir;
    if (s.kind == NodeKind::dir && d.kind != NodeKind::dir) --fd->nlink, ++td->nlink;
    if (d.kind == NodeKind::dir && s.kind != NodeKind::dir) ++fd->nlink, --td->nlink;
    if (writes_through(*fd)) {
      const std::string tmp = "\x01gostep-exchange";
      rehome(src, from_rel, tmp);
      rehome(dst, to_rel, from_rel);
      rehome(src, tmp, to_rel);
    }
    s.ctime = d.ctime = fd->mtime = fd->ctime = td->mtime = td->ctime = now;
    return 0;
  }
  if (dst) {
    Node& d = nodes_.at(dst);
    if (d.kind == NodeKind::dir) {
      --td->nlink;
      d.nlink = 0;
    } else {
      --d.nlink;
    }
    d.ctime = now;
    td->entries.erase(to);
    drop_if_unused(dst);
  }
  fd->entries.erase(from);
  td->entries[to] = src;
  if (s.kind == NodeKind::dir) {
    --fd->nlink;
    ++td->nlink;
    s.parent = to_dir;
  }
  if (writes_through(*fd)) rehome(src, from_rel, to_rel);
  s.ctime = fd->mtime = fd->ctime = td->mtime = td->ctime = now;
  return 0;
}

int Vfs::chmod(Ino ino, std::uint32_t perm, Timespec now) {
  Node* n = get(ino);
  if (!n) return -ENOENT;
  if (n->uid != kUserUid) return -EPERM;
  if (n->kind == NodeKind::symlink) return -EOPNOTSUPP;
  if (writes_through(*n)) {
    const Grant& g = grants_.at(static_cast<std::size_t>(n->host.grant));
    if (const int r = host_->chmod(g.host_root, n->host.rel, perm & 07777); r < 0) return r;
  }
  n->perm = perm & 07777;
  n->ctime = now;
  return 0;
}

int Vfs::chown(Ino ino, std::uint32_t uid, std::uint32_t gid, Timespec now) {
  Node* n = get(ino);
  if (!n) return -ENOENT;
  // An unprivileged user may "change" the owner only to itself, and the group
  // only to one of its own (chown(2)); owners live in the tree, never on the host.
  constexpr std::uint32_t kKeep = ~0u;
  if (uid != kKeep && uid != n->uid) return -EPERM;
  if (gid != kKeep && (n->uid != kUserUid || gid != kUserGid)) return -EPERM;
  if (gid != kKeep) n->gid = gid;
  n->ctime = now;
  return 0;
}

}  // namespace gostep::vfs
