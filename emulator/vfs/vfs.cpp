#include "vfs.h"

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace gostep::vfs {
namespace {
constexpr std::uint64_t kMaxMemoryFile = 1ULL << 30;  // gostep's memory is not a disk: ENOSPC past 1 GiB
std::string join(const std::string& rel, const std::string& name) { return rel.empty() ? name : rel + "/" + name; }
}  // namespace

Vfs::Vfs(HostIo* host) : host_(host) {
  Node r;
  r.kind = NodeKind::dir;
  r.perm = 0755;
  r.uid = kUserUid;
  r.gid = kUserGid;
  r.nlink = 2;
  root_ = next_ino_++;
  r.parent = root_;
  nodes_[root_] = r;
}

const Node* Vfs::node(Ino ino) { return get(ino); }

Node* Vfs::get(Ino ino) {
  auto it = nodes_.find(ino);
  return it == nodes_.end() ? nullptr : &it->second;
}

std::optional<Ino> Vfs::child(Ino dir, const std::string& name) {
  const auto& e = entries(dir);
  auto it = e.find(name);
  if (it == e.end()) return std::nullopt;
  return it->second;
}

bool Vfs::searchable(Ino dir) { return may(dir, static_cast<std::uint32_t>(Access::exec)); }

bool Vfs::may(Ino ino, std::uint32_t mask) {
  const Node* n = get(ino);
  if (!n) return false;
  const std::uint32_t bits = n->uid == kUserUid ? (n->perm >> 6) & 7 : n->gid == kUserGid ? (n->perm >> 3) & 7 : n->perm & 7;
  return (bits & mask) == mask;
}

std::uint64_t Vfs::dev_of(const Node& n) const {
  return n.fs >= 0 ? kGrantDev + static_cast<std::uint64_t>(n.fs) : kMemoryDev;
}

std::uint64_t Vfs::size_of(const Node& n) const {
  switch (n.kind) {
    case NodeKind::dir: return 4096;
    case NodeKind::symlink: return n.target.size();
    case NodeKind::file:
      if (n.proc != ProcFile::none) return 0;  // as Linux shows /proc files
      return n.host.grant >= 0 ? n.host_size : n.data.size();
    default: return 0;
  }
}

int Vfs::fs_of(Ino ino) const {
  auto it = nodes_.find(ino);
  return it == nodes_.end() ? -1 : it->second.fs;
}

// ------------------------------------------------------------- building

Ino Vfs::add_node(Ino parent, const std::string& name, Node n) {
  const Ino ino = next_ino_++;
  if (parent) {
    Node& p = nodes_.at(parent);
    p.entries[name] = ino;
    if (n.kind == NodeKind::dir) {
      ++p.nlink;
      n.parent = parent;
    }
  }
  if (n.kind == NodeKind::dir && !parent) n.parent = ino;
  nodes_[ino] = std::move(n);
  return ino;
}

Ino Vfs::add_dir(Ino parent, const std::string& name, std::uint32_t perm, std::uint32_t uid, Timespec t) {
  Node n;
  n.kind = NodeKind::dir;
  n.perm = perm;
  n.uid = n.gid = uid;
  n.nlink = 2;
  n.atime = n.mtime = n.ctime = t;
  n.fs = nodes_.at(parent).fs;
  return add_node(parent, name, std::move(n));
}

Ino Vfs::add_file(Ino parent, const std::string& name, std::string contents, std::uint32_t perm, Timespec t) {
  Node n;
  n.kind = NodeKind::file;
  n.perm = perm;
  n.data.assign(contents.begin(), contents.end());
  n.atime = n.mtime = n.ctime = t;
  return add_node(parent, name, std::move(n));
}

Ino Vfs::add_symlink(Ino parent, const std::string& name, std::string target, Timespec t) {
  Node n;
  n.kind = NodeKind::symlink;
  n.perm = 0777;
  n.target = std::move(target);
  n.atime = n.mtime = n.ctime = t;
  return add_node(parent, name, std::move(n));
}

Node Vfs::make_from_host(const HostDirEntry& e, int grant, const std::string& rel, Timespec t) const {
  Node n;
  n.kind = e.info.kind;
  n.perm = e.info.perm & 07777;
  n.uid = kUserUid;
  n.gid = kUserGid;
  n.atime = n.mtime = n.ctime = t;
  n.host = HostRef{grant, rel};
  n.fs = grant;
  switch (n.kind) {
    case NodeKind::dir: n.listed = false; n.nlink = 2; break;
    case NodeKind::file: n.host_size = e.info.size; break;
    case NodeKind::symlink: n.target = e.link_target; n.host = {}; break;
    default: n.other_type = e.info.type_bits; n.host = {}; break;
  }
  return n;
}

int Vfs::grant(const std::string& host_dir, const std::string& guest_dir, bool rw, Timespec t) {
  if (!host_) return -ENOSYS;
  if (guest_dir.empty() || guest_dir[0] != '/') return -EINVAL;
  start_ = t;
  const int id = host_->add_root(host_dir);
  if (id < 0) return id;
  HostFileInfo info;
  if (const int r = host_->info(id, "", info); r < 0) return r;
  if (info.kind != NodeKind::dir) return -ENOTDIR;
  // Make the directories on the way, in memory (a grant inside another grant
  // is grafted onto its tree; the host is not touched).
  std::vector<std::string> parts;
  for (std::size_t i = 0; i < guest_dir.size();) {
    while (i < guest_dir.size() && guest_dir[i] == '/') ++i;
    std::size_t j = guest_dir.find('/', i);
    if (j == std::string::npos) j = guest_dir.size();
    if (j > i) parts.push_back(guest_dir.substr(i, j - i));
    i = j;
  }
  if (parts.empty()) return -EBUSY;  // "/" itself
  Ino cur = root_;
  for (std::size_t k = 0; k + 1 < parts.size(); ++k) {
    if (parts[k] == "." || parts[k] == "..") return -EINVAL;
    if (auto c = child(cur, parts[k])) {
      if (nodes_.at(*c).kind != NodeKind::dir) return -ENOTDIR;
      cur = *c;
    } else {
      cur = add_dir(cur, parts[k], 0755, kUserUid, t);
    }
  }
  const std::string& name = parts.back();
  if (name == "." || name == "..") return -EINVAL;
  Node& parent = nodes_.at(cur);
  (void)entries(cur);
  if (auto old = parent.entries.find(name); old != parent.entries.end()) {
    // The grant hides what was there (an in-memory /tmp, say).
    if (nodes_.at(old->second).kind == NodeKind::dir) --parent.nlink;
    parent.entries.erase(old);
  }
  const int g = static_cast<int>(grants_.size());
  HostDirEntry e;
  e.info = info;
  Node n = make_from_host(e, g, "", t);
  const Ino r = add_node(cur, name, std::move(n));
  grants_.push_back(Grant{host_dir, guest_dir, rw, id, r});
  return 0;
}

void Vfs::list_host_dir(Ino dir) {
  Node& d = nodes_.at(dir);
  if (d.listed) return;
  d.listed = true;
  if (!host_ || d.host.grant < 0) return;
  const Grant& g = grants_.at(static_cast<std::size_t>(d.host.grant));
  std::vector<HostDirEntry> list;
  if (host_->list(g.host_root, d.host.rel, list) < 0) return;  // unreadable on the host: empty here
  std::sort(list.begin(), list.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  const int grant = d.host.grant;
  const std::string rel = d.host.rel;
  for (const HostDirEntry& e : list) {
    if (nodes_.at(dir).entries.count(e.name)) continue;  // a grant grafted here wins
    add_node(dir, e.name, make_from_host(e, grant, join(rel, e.name), start_));
  }
}

const std::map<std::string, Ino>& Vfs::entries(Ino dir) {
  list_host_dir(dir);
  return nodes_.at(dir).entries;
}

std::optional<std::string> Vfs::path_of(Ino dir) {
  std::vector<std::string> names;
  Ino cur = dir;
  for (int depth = 0; cur != root_; ++depth) {
    const Node* n = get(cur);
    if (!n || depth > 4096) return std::nullopt;
    const Node& p = nodes_.at(n->parent);
    auto it = std::find_if(p.entries.begin(), p.entries.end(), [&](const auto& e) { return e.second == cur; });
    if (it == p.entries.end()) return std::nullopt;  // removed
    names.push_back(it->first);
    cur = n->parent;
  }
  std::string path;
  for (auto it = names.rbegin(); it != names.rend(); ++it) path += "/" + *it;
  return path.empty() ? "/" : path;
}

void Vfs::opened(Ino ino) {
  if (Node* n = get(ino)) ++n->open_count;
}

void Vfs::closed(Ino ino) {
  Node* n = get(ino);
  if (!n || n->open_count == 0) return;
  --n->open_count;
  drop_if_unused(ino);
}

void Vfs::drop_if_unused(Ino ino) {
  const Node* n = get(ino);
  if (n && n->nlink == 0 && n->open_count == 0) nodes_.erase(ino);
}

// ------------------------------------------------------------- contents

int Vfs::copy_up(Ino ino) {
  Node& n = nodes_.at(ino);
  if (n.host.grant < 0 || writes_through(n)) return 0;
  const Grant& g = grants_.at(static_cast<std::size_t>(n.host.grant));
  std::vector<std::uint8_t> data;
  std::uint8_t buf[65536];
  for (;;) {
    const std::int64_t r = host_->pread(g.host_root, n.host.rel, data.size(), buf, sizeof buf);
    if (r < 0) return static_cast<int>(r);
    if (r == 0) break;
    data.insert(data.end(), buf, buf + r);
    if (data.size() > kMaxMemoryFile) return -ENOSPC;
  }
  n.data = std::move(data);
  n.host = {};
  return 0;
}

std::int64_t Vfs::read(Ino ino, std::uint64_t offset, void* buf, std::uint64_t len) {
  const Node& n = nodes_.at(ino);
  if (n.kind == NodeKind::dir) return -EISDIR;
  if (n.kind != NodeKind::file) return -EINVAL;
  if (n.host.grant >= 0) {
    const Grant& g = grants_.at(static_cast<std::size_t>(n.host.grant));
    return host_->pread(g.host_root, n.host.rel, offset, buf, len);
  }
  if (offset >= n.data.size()) return 0;
  const std::uint64_t k = std::min<std::uint64_t>(len, n.data.size() - offset);
  std::memcpy(buf, n.data.data() + offset, k);
  return static_cast<std::int64_t>(k);
}

std::int64_t Vfs::write(Ino ino, std::uint64_t offset, const void* buf, std::uint64_t len, Timespec now) {
  Node& n = nodes_.at(ino);
  if (n.kind != NodeKind::file) return -EINVAL;
  std::int64_t done = 0;
  if (writes_through(n)) {
    const Grant& g = grants_.at(static_cast<std::size_t>(n.host.grant));
    done = host_->pwrite(g.host_root, n.host.rel, offset, buf, len);
    if (done < 0) return done;
    n.host_size = std::max<std::uint64_t>(n.host_size, offset + static_cast<std::uint64_t>(done));
  } else {
    if (const int r = copy_up(ino); r < 0) return r;
    if (offset + len > kMaxMemoryFile || offset + len < offset) return -ENOSPC;
    if (offset + len > n.data.size()) n.data.resize(offset + len);
    if (len) std::memcpy(n.data.data() + offset, buf, len);
    done = static_cast<std::int64_t>(len);
  }
  if (done > 0) n.mtime = n.ctime = now;
  return done;
}

int Vfs::truncate(Ino ino, std::uint64_t size, Timespec now) {
  Node& n = nodes_.at(ino);
  if (n.kind == NodeKind::dir) return -EISDIR;
  if (n.kind != NodeKind::file || n.proc != ProcFile::none) return -EINVAL;
  if (writes_through(n)) {
    const Grant& g = grants_.at(static_cast<std::size_t>(n.host.grant));
    if (const int r = host_->truncate(g.host_root, n.host.rel, size); r < 0) return r;
    n.host_size = size;
  } else {
    if (size > kMaxMemoryFile) return -ENOSPC;
    if (const int r = copy_up(ino); r < 0) return r;
    n.data.resize(size);
  }
  n.mtime = n.ctime = now;
  return 0;
}

}  // namespace gostep::vfs
