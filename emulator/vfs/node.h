// The guest's file system as data. Every file, directory, symbolic link and
// device the guest can name is a Node in one map keyed by inode number; a
// node is a plain value (no pointers, no host handles), so the whole file
// system copies and compares like any value, which is what time travel's
// snapshot (issue 8) needs. A node may stand for something on the host
// (`host`): a file of a granted directory whose bytes are still the host's,
// or a granted directory whose entries have not been listed yet.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace gostep::vfs {

using Ino = std::uint64_t;

struct Timespec {
  std::int64_t sec = 0;
  std::int64_t nsec = 0;
  bool operator==(const Timespec&) const = default;
};

enum class NodeKind : std::uint8_t { dir, file, symlink, chardev, other };

// Character devices of /dev (their rdev numbers are Linux's).
enum class Device : std::uint8_t { none, null, zero, urandom };

// Files of /proc whose contents are made when they are opened.
enum class ProcFile : std::uint8_t { none, cmdline, auxv, maps, environ, hostname };

// Where a host-backed node lives: a path below grant `grant`'s host directory,
// made only of names gostep listed itself ("" is the grant's root).
struct HostRef {
  int grant = -1;  // -1: the node lives in memory only
  std::string rel;
  bool operator==(const HostRef&) const = default;
};

struct Node {
  NodeKind kind = NodeKind::file;
  std::uint32_t perm = 0644;  // permission bits (07777)
  std::uint32_t uid = 0, gid = 0;
  std::uint32_t nlink = 1;
  Timespec atime, mtime, ctime;

  // Directories: entries by name (sorted: the order getdents64 gives them),
  // and the parent (the root is its own parent).
  std::map<std::string, Ino> entries;
  Ino parent = 0;
  bool listed = true;  // false: a host directory whose entries are not read yet

  // Regular files: the bytes, unless they are still the host's (host.grant >= 0).
  std::vector<std::uint8_t> data;
  std::uint64_t host_size = 0;  // size of a host-backed file
  ProcFile proc = ProcFile::none;
  Device device = Device::none;

  // Symbolic links. A "magic" link of /proc (/proc/self/exe) leads to a node
  // directly, wherever that node is, as Linux's do; its target is only text.
  std::string target;
  Ino magic = 0;

  std::uint32_t other_type = 0;  // kind `other`: the S_IFMT bits of a host FIFO, socket or device
  int fs = -1;                   // the file system it is on: -1 gostep's memory, else the grant's index

  HostRef host;
  std::uint32_t open_count = 0;  // open file descriptions: an unlinked node lives while open

  bool operator==(const Node&) const = default;
};

}  // namespace gostep::vfs
