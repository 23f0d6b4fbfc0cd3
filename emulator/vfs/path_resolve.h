// Path resolution, as Linux's namei walks a path (fs/namei.c), over any tree
// that can answer "which node is NAME in directory DIR". It is pure: it reads
// the tree through the Tree interface and never touches the host, so the
// sandbox's guarantees are properties of this function and of the tree, and
// the unit tests (tests/unit/vfs_path_test.cpp) check them on small trees.
//
// Why nothing outside the guest's tree is reachable: the walk starts at the
// tree's root or at a directory of the tree; ".." of the root is the root;
// a symbolic link's target is resolved in the same tree (as under chroot),
// never on the host. The tree decides what exists; the host is only ever
// consulted by the tree itself, below a granted directory, one name at a time.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "node.h"

namespace gostep::vfs {

inline constexpr std::size_t kPathMax = 4096;  // PATH_MAX, with its NUL
inline constexpr std::size_t kNameMax = 255;   // NAME_MAX
inline constexpr int kMaxSymlinks = 40;        // MAXSYMLINKS

class Tree {
 public:
  virtual ~Tree() = default;
  virtual Ino root() const = 0;
  // Null for a node that does not exist.
  virtual const Node* node(Ino ino) = 0;
  // The entry NAME of directory DIR (never "." or ".."); may list a host directory on the way.
  virtual std::optional<Ino> child(Ino dir, const std::string& name) = 0;
  // Whether the guest may look up names in DIR (the search, x, permission).
  virtual bool searchable(Ino dir) = 0;
};

struct ResolveFlags {
  bool follow_last = true;     // follow a symbolic link in the last component (not for lstat, O_NOFOLLOW...)
  // openat2's RESOLVE_* restrictions (linux/openat2.h).
  bool no_symlinks = false;    // any symbolic link: ELOOP
  bool no_magiclinks = false;  // a /proc "magic" link: ELOOP
  bool beneath = false;        // never above the start directory, no absolute paths or links: EXDEV
  bool in_root = false;        // the start directory is "/" for this walk (absolute paths, links, "..")
  bool no_xdev = false;        // never onto another file system (into or out of a grant): EXDEV
};

struct Resolved {
  int error = 0;        // 0, or a positive errno: ENOENT, ENOTDIR, ELOOP, ENAMETOOLONG, EACCES
  Ino ino = 0;          // what the path names; 0 when it does not exist
  Ino parent = 0;       // the directory holding (or that would hold) the last component
  std::string name;     // the last component as it is in `parent` ("" when the path is "/")
  bool last_missing = false;   // every directory resolved; only the last name does not exist (O_CREAT may make it)
  bool trailing_slash = false; // the path ended in "/": it must name a directory
  Ino missing_in = 0;   // ENOENT: the directory in which a name was missing (the sandbox hint)
};

// Resolves `path` from directory `start` (for a relative path; an absolute one
// starts at the root).
Resolved resolve(Tree& tree, Ino start, std::string_view path, ResolveFlags flags = {});

}  // namespace gostep::vfs
