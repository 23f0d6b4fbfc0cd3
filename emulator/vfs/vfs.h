// The guest's file system: gostep's own tree (vfs/node.h) with the host
// directories the user granted (--dir) grafted in. Read-only grants get a
// private overlay: the first change to a host file copies it into memory,
// removals and renames change only the tree, and the host is never written.
// Read-write grants write through to the host as well.
//
// What a guest sees of host files is decided here, so that runs over the
// same directory contents are identical: real sizes, permission bits and
// link targets; times, owners, inode and device numbers are gostep's (see
// docs/ARCHITECTURE.md, "The file system").
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "../host_io.h"
#include "node.h"
#include "path_resolve.h"

namespace gostep::vfs {

// The guest's one user (DESIGN.md: a fixed user).
inline constexpr std::uint32_t kUserUid = 1000;
inline constexpr std::uint32_t kUserGid = 1000;
inline constexpr const char* kUserName = "gopher";
inline constexpr const char* kUserHome = "/home/gopher";

// st_dev of gostep's in-memory file system; grant i is kGrantDev + i.
inline constexpr std::uint64_t kMemoryDev = 0x1c;
inline constexpr std::uint64_t kGrantDev = 0x801;

struct Grant {
  std::string host_dir;   // absolute host path
  std::string guest_dir;  // absolute guest path
  bool rw = false;
  int host_root = -1;     // HostIo's id for host_dir
  Ino root = 0;
  bool operator==(const Grant&) const = default;
};

enum class Access : std::uint32_t { read = 4, write = 2, exec = 1 };

// The process's place in the file system (Linux's fs_struct) and the sandbox hint.
struct FsContext {
  Ino cwd = 0;
  std::uint32_t umask = 022;
  std::string outside_path;      // the first path looked for outside every grant ("" none)
  std::string outside_absolute;  // its absolute form in the guest's tree
  bool outside_relative = false;
  bool operator==(const FsContext&) const = default;
};

class Vfs : public Tree {
 public:
  // `host` may be null: no directory can then be granted.
  explicit Vfs(HostIo* host);

  // Tree (path resolution).
  Ino root() const override { return root_; }
  const Node* node(Ino ino) override;
  std::optional<Ino> child(Ino dir, const std::string& name) override;
  bool searchable(Ino dir) override;

  Node* get(Ino ino);
  Resolved resolve(Ino start, std::string_view path, ResolveFlags flags = {}) {
    return vfs::resolve(*this, start, path, flags);
  }
  // Whether the guest's user may read/write/search `ino` (Unix permission bits).
  bool may(Ino ino, std::uint32_t access_mask);
  std::uint64_t dev_of(const Node& n) const;
  std::uint64_t size_of(const Node& n) const;
  // Which file system a node is on: -1 gostep's memory, else the grant's index.
  int fs_of(Ino ino) const;

  // Building the tree (at start).
  Ino add_dir(Ino parent, const std::string& name, std::uint32_t perm, std::uint32_t uid, Timespec t);
  Ino add_file(Ino parent, const std::string& name, std::string contents, std::uint32_t perm, Timespec t);
  Ino add_symlink(Ino parent, const std::string& name, std::string target, Timespec t);
  Ino add_node(Ino parent, const std::string& name, Node n);  // parent 0: an unnamed node
  // Shows host directory `host_dir` at `guest_dir` (absolute). Returns 0 or -errno.
  int grant(const std::string& host_dir, const std::string& guest_dir, bool rw, Timespec t);
  const std::vector<Grant>& grants() const { return grants_; }

  // Changes by the guest: 0 (or the new node) or -errno. `now` is the virtual wall clock.
  std::int64_t create_file(Ino dir, const std::string& name, std::uint32_t perm, Timespec now);
  int mkdir(Ino dir, const std::string& name, std::uint32_t perm, Timespec now);
  int symlink(Ino dir, const std::string& name, const std::string& target, Timespec now);
  int link(Ino target, Ino dir, const std::string& name, Timespec now);
  int remove(Ino dir, const std::string& name, bool want_dir, Timespec now);
  int rename(Ino from_dir, const std::string& from, Ino to_dir, const std::string& to, unsigned flags,
             Timespec now);
  int truncate(Ino ino, std::uint64_t size, Timespec now);
  int chmod(Ino ino, std::uint32_t perm, Timespec now);
  int chown(Ino ino, std::uint32_t uid, std::uint32_t gid, Timespec now);

  // Contents of regular files.
  std::int64_t read(Ino ino, std::uint64_t offset, void* buf, std::uint64_t n);
  std::int64_t write(Ino ino, std::uint64_t offset, const void* buf, std::uint64_t n, Timespec now);

  // A directory's entries, listing a host directory first if needed.
  const std::map<std::string, Ino>& entries(Ino dir);
  // The absolute guest path of a directory; nullopt when it was removed.
  std::optional<std::string> path_of(Ino dir);
  // Open file descriptions: a node with no name left lives until its last is closed.
  void opened(Ino ino);
  void closed(Ino ino);

  bool operator==(const Vfs& o) const { return nodes_ == o.nodes_ && grants_ == o.grants_ && next_ino_ == o.next_ino_; }

 private:
  void list_host_dir(Ino dir);
  // Before the first change to a host file of a read-only grant: its bytes into memory.
  int copy_up(Ino ino);
  bool writes_through(const Node& n) const { return n.host.grant >= 0 && grants_[static_cast<std::size_t>(n.host.grant)].rw; }
  HostRef host_child(const Node& dir, const std::string& name) const;
  void drop_if_unused(Ino ino);
  void rehome(Ino ino, const std::string& old_rel, const std::string& new_rel);
  Node make_from_host(const HostDirEntry& e, int grant, const std::string& rel, Timespec t) const;

  HostIo* host_ = nullptr;
  std::map<Ino, Node> nodes_;
  std::vector<Grant> grants_;
  Ino root_ = 0;
  Ino next_ino_ = 2;  // 2: the root, as on ext4
  Timespec start_;    // times shown for host files
};

}  // namespace gostep::vfs
