#include "path_resolve.h"

#include <cerrno>
#include <deque>

namespace gostep::vfs {
namespace {

// Appends the components of `path` in front of `todo`, in order. False if one is too long.
bool push_front_components(std::deque<std::string>& todo, std::string_view path) {
  std::deque<std::string> parts;
  std::size_t i = 0;
  while (i < path.size()) {
    while (i < path.size() && path[i] == '/') ++i;
    std::size_t j = i;
    while (j < path.size() && path[j] != '/') ++j;
    if (j > i) {
      if (j - i > kNameMax) return false;
      parts.emplace_back(path.substr(i, j - i));
    }
    i = j;
  }
  todo.insert(todo.begin(), parts.begin(), parts.end());
  return true;
}

bool ends_with_slash(std::string_view s) {
  // "a/", "a/." and "a/.." all demand a directory; "/" alone is the root.
  if (s.empty()) return false;
  if (s.back() == '/') return true;
  const auto slash = s.rfind('/');
  const std::string_view last = slash == std::string_view::npos ? s : s.substr(slash + 1);
  return last == "." || last == "..";
}

}  // namespace

Resolved resolve(Tree& tree, Ino start, std::string_view path, ResolveFlags flags) {
  Resolved r;
  if (path.empty()) {
    r.error = ENOENT;
    return r;
  }
  if (path.size() >= kPathMax) {
    r.error = ENAMETOOLONG;
    return r;
  }
  r.trailing_slash = ends_with_slash(path);
  // The walk's own root: the tree's, or the start directory under RESOLVE_IN_ROOT.
  const Ino top = flags.in_root ? start : tree.root();
  if (path[0] == '/' && flags.beneath) {
    r.error = EXDEV;
    return r;
  }
  Ino cur = path[0] == '/' ? top : start;
  const Node* start_node = tree.node(start);
  const int start_fs = start_node ? start_node->fs : -1;
  int depth = 0;  // below the start directory (RESOLVE_BENEATH)
  const Node* cur_node = tree.node(cur);
  if (!cur_node) {  // a start directory that was removed: nothing below it exists
    r.error = ENOENT;
    return r;
  }
  std::deque<std::string> todo;
  if (!push_front_components(todo, path)) {
    r.error = ENAMETOOLONG;
    return r;
  }
  int links = 0;
  r.parent = cur_node->kind == NodeKind::dir ? cur_node->parent : cur;
  r.ino = cur;
  while (!todo.empty()) {
    const std::string name = std::move(todo.front());
    todo.pop_front();
    const bool last = todo.empty();
    cur_node = tree.node(cur);
    if (!cur_node || cur_node->kind != NodeKind::dir) {
      r = Resolved{ENOTDIR};
      return r;
    }
    if (!tree.searchable(cur)) {
      r = Resolved{EACCES};
      return r;
    }
    Ino next;
    if (name == ".") {
      next = cur;
    } else if (name == "..") {
      if (flags.beneath && depth == 0) {
        r = Resolved{EXDEV};
        return r;
      }
      next = cur == top ? cur : cur_node->parent;  // ".." of the root is the root
      if (next != cur) --depth;
    } else {
      const std::optional<Ino> found = tree.child(cur, name);
      if (!found) {
        const bool trailing = r.trailing_slash;
        r = Resolved{ENOENT};
        r.trailing_slash = trailing;
        r.missing_in = cur;
        if (last) {
          r.parent = cur;
          r.name = name;
          r.last_missing = true;
        }
        return r;
      }
      next = *found;
      ++depth;
    }
    const Node* next_node = tree.node(next);
    if (!next_node) {
      r = Resolved{ENOENT};
      r.missing_in = cur;
      return r;
    }
    // A trailing slash makes the last component follow its link too, as in Linux.
    const bool follow = !last || flags.follow_last || r.trailing_slash;
    if (flags.no_xdev && next_node->fs != start_fs) {
      r = Resolved{EXDEV};
      return r;
    }
    if (next_node->kind == NodeKind::symlink && follow && (flags.no_symlinks || (next_node->magic && flags.no_magiclinks))) {
      r = Resolved{ELOOP};
      return r;
    }
    if (next_node->kind == NodeKind::symlink && next_node->magic != 0 && follow) {
      if (++links > kMaxSymlinks || flags.beneath || flags.in_root) {
        r = Resolved{links > kMaxSymlinks ? ELOOP : EXDEV};
        return r;
      }
      next = next_node->magic;
      next_node = tree.node(next);
      if (!next_node) {
        r = Resolved{ENOENT};
        return r;
      }
    }
    if (next_node->kind == NodeKind::symlink && follow) {
      if (++links > kMaxSymlinks) {
        r = Resolved{ELOOP};
        return r;
      }
      const std::string& target = next_node->target;
      if (target.empty()) {
        r = Resolved{ENOENT};
        r.missing_in = cur;
        return r;
      }
      if (target[0] == '/' && flags.beneath) {
        r = Resolved{EXDEV};
        return r;
      }
      if (!push_front_components(todo, target)) {
        r = Resolved{ENAMETOOLONG};
        return r;
      }
      --depth;  // the link's own name was counted: its target starts from its directory
      if (target[0] == '/') {
        cur = top;
        depth = 0;
      }
      if (todo.empty()) {  // a link to "/"
        r.ino = cur;
        r.parent = cur;
        r.name.clear();
        return r;
      }
      continue;
    }
    if (last) {
      // "." and ".." name a directory but no entry a call could remove or replace: name stays "".
      const bool dots = name == "." || name == "..";
      r.parent = dots ? next_node->parent : cur;
      r.name = dots ? std::string() : name;
      r.ino = next;
      if (r.trailing_slash && next_node->kind != NodeKind::dir) r = Resolved{ENOTDIR};
      return r;
    }
    cur = next;
  }
  // Only "/" (or slashes, or a link to the root) names no component: the start directory itself.
  r.ino = cur;
  r.parent = cur;
  r.name.clear();
  return r;
}

}  // namespace gostep::vfs
