#include "fs_common.h"

#include <fcntl.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

namespace gostep::linux_abi {

void arm_epoll_interests(Process& p, const OpenFile* f);  // epoll.cpp

namespace {

// Directories whose contents are gostep's own: a name missing there is not a
// sign that the user forgot a --dir.
constexpr const char* kOwnDirs[] = {"/proc", "/sys", "/dev", "/etc", "/tmp", "/home/gopher"};

// "/a/b" + "../c/./d" -> "/a/c/d", by the text alone (for the hint only).
std::string lexical_absolute(const std::string& base, const std::string& path) {
  std::vector<std::string> parts;
  auto add = [&](const std::string& s) {
    std::size_t i = 0;
    while (i <= s.size()) {
      const std::size_t j = std::min(s.find('/', i), s.size());
      const std::string name = s.substr(i, j - i);
      if (name == "..") {
        if (!parts.empty()) parts.pop_back();
      } else if (!name.empty() && name != ".") {
        parts.push_back(name);
      }
      i = j + 1;
    }
  };
  if (path.empty() || path[0] != '/') add(base);
  add(path);
  std::string out;
  for (const auto& s : parts) out += "/" + s;
  return out.empty() ? "/" : out;
}

bool under(const std::string& path, const std::string& dir) {
  return path == dir || path.rfind(dir + "/", 0) == 0;
}

void note_outside(Process& p, vfs::Ino start, const std::string& text, const vfs::Resolved& r) {
  vfs::FsContext& fs = p.fs();
  if (r.error != ENOENT || !r.missing_in || !fs.outside_path.empty()) return;
  const vfs::Node* d = p.vfs().get(r.missing_in);
  if (!d || d->fs >= 0) return;  // inside a grant: the file is simply not there
  const std::string base = p.vfs().path_of(start).value_or("/");
  const std::string abs = lexical_absolute(base, text);
  // gostep's own directories answer for themselves, except the ones on the way to a grant ("/tmp/x/granted").
  bool on_the_way = false;
  for (const vfs::Grant& g : p.vfs().grants())
    for (vfs::Ino a = p.vfs().get(g.root)->parent; !on_the_way; a = p.vfs().get(a)->parent) {
      on_the_way = a == r.missing_in;
      if (a == p.vfs().root()) break;
    }
  for (const char* own : kOwnDirs)
    if (under(abs, own) && !on_the_way) return;
  fs.outside_path = text;
  fs.outside_absolute = abs;
  fs.outside_relative = text[0] != '/';
}

std::uint64_t encode_dev(std::uint64_t major, std::uint64_t minor) {
  return (minor & 0xff) | (major << 8) | ((minor & ~0xffULL) << 12);  // new_encode_dev
}

}  // namespace

vfs::Timespec now_ts(Process& p) {
  const std::uint64_t ns = p.now_ns() - Process::kMonotonicStart + Process::kRealtimeEpochNs;
  return {static_cast<std::int64_t>(ns / 1'000'000'000ULL), static_cast<std::int64_t>(ns % 1'000'000'000ULL)};
}

int start_dir(Process& p, std::int64_t dirfd, vfs::Ino& out) {
  const auto fd = static_cast<std::int32_t>(dirfd);  // the kernel takes an int
  if (fd == kAtFdcwd) {
    out = p.fs().cwd;
    return 0;
  }
  OpenFile* f = p.fds().get(fd);
  if (!f) return -EBADF;
  if (f->kind != OpenFile::Kind::node) return -ENOTDIR;
  const vfs::Node* n = p.vfs().get(f->ino);
  if (!n || n->kind != vfs::NodeKind::dir) return -ENOTDIR;
  out = f->ino;
  return 0;
}

int path_at(Process& p, std::int64_t dirfd, GuestAddr addr, vfs::ResolveFlags flags, PathArg& out, bool empty_ok) {
  if (!p.memory().read_string(addr, out.text, vfs::kPathMax))
    return out.text.size() >= vfs::kPathMax ? -ENAMETOOLONG : -EFAULT;
  if (out.text.empty() && empty_ok) {
    out.r = vfs::Resolved{};
    const int r = start_dir(p, dirfd, out.r.ino);
    return r == -ENOTDIR ? 0 : r;  // AT_EMPTY_PATH may name any descriptor: callers look at dirfd
  }
  vfs::Ino start = p.fs().cwd;
  if (!out.text.empty() && out.text[0] != '/')
    if (const int r = start_dir(p, dirfd, start); r < 0) return r;
  out.r = p.vfs().resolve(start, out.text, flags);
  note_outside(p, start, out.text, out.r);
  return 0;
}

std::uint32_t mode_of(const vfs::Node& n) {
  switch (n.kind) {
    case vfs::NodeKind::dir: return S_IFDIR | n.perm;
    case vfs::NodeKind::file: return S_IFREG | n.perm;
    case vfs::NodeKind::symlink: return S_IFLNK | n.perm;
    case vfs::NodeKind::chardev: return S_IFCHR | n.perm;
    case vfs::NodeKind::other: return n.other_type | n.perm;
  }
  return n.perm;
}

std::uint8_t dirent_type(const vfs::Node& n) {
  switch (n.kind) {
    case vfs::NodeKind::dir: return 4;      // DT_DIR
    case vfs::NodeKind::file: return 8;     // DT_REG
    case vfs::NodeKind::symlink: return 10; // DT_LNK
    case vfs::NodeKind::chardev: return 2;  // DT_CHR
    case vfs::NodeKind::other: return static_cast<std::uint8_t>((n.other_type >> 12) & 15);
  }
  return 0;
}

StatData stat_node(Process& p, vfs::Ino ino) {
  StatData s;
  vfs::Vfs& v = p.vfs();
  if (v.get(ino) && v.get(ino)->kind == vfs::NodeKind::dir) (void)v.entries(ino);  // nlink counts subdirectories
  const vfs::Node& n = *v.get(ino);
  s.dev = v.dev_of(n);
  s.ino = ino;
  s.nlink = n.nlink;
  s.mode = mode_of(n);
  s.uid = n.uid;
  s.gid = n.gid;
  switch (n.device) {
    case vfs::Device::null: s.rdev = encode_dev(1, 3); break;
    case vfs::Device::zero: s.rdev = encode_dev(1, 5); break;
    case vfs::Device::urandom: s.rdev = encode_dev(1, 9); break;
    case vfs::Device::none: break;
  }
  s.size = v.size_of(n);
  s.blocks = n.kind == vfs::NodeKind::file || n.kind == vfs::NodeKind::dir ? (s.size + 4095) / 4096 * 8 : 0;
  s.atime = n.atime;
  s.mtime = n.mtime;
  s.ctime = n.ctime;
  return s;
}

StatData stat_desc(Process& p, OpenFile& f) {
  if (f.kind == OpenFile::Kind::node || f.kind == OpenFile::Kind::proc_file) return stat_node(p, f.ino);
  StatData s;
  const vfs::Timespec t0{static_cast<std::int64_t>(Process::kRealtimeEpochNs / 1'000'000'000ULL), 0};
  s.atime = s.mtime = s.ctime = t0;
  s.uid = vfs::kUserUid;
  s.gid = vfs::kUserGid;
  switch (f.kind) {
    case OpenFile::Kind::host_stdio:
      switch (p.host().stream_kind(f.stream)) {
        case StreamKind::terminal:
          s.mode = S_IFCHR | 0620;
          s.dev = 0x18;  // devpts
          s.rdev = encode_dev(136, 0);
          s.ino = 3;
          s.gid = 5;  // tty
          break;
        case StreamKind::file:
          s.mode = S_IFREG | 0644;
          s.dev = 0x1d;
          s.ino = 0x100 + static_cast<std::uint64_t>(f.stream);
          break;
        case StreamKind::chardev:  // /dev/null, most likely
        case StreamKind::none:     // empty: shown as /dev/null
          s.mode = S_IFCHR | 0666;
          s.rdev = encode_dev(1, 3);
          s.dev = 0x5;
          s.ino = 4;
          s.uid = s.gid = 0;
          break;
        default:
          s.mode = S_IFIFO | 0600;
          s.dev = 0xc;  // pipefs
          s.ino = 0x100 + static_cast<std::uint64_t>(f.stream);
          break;
      }
      break;
    case OpenFile::Kind::pipe_read:
    case OpenFile::Kind::pipe_write:
      s.mode = S_IFIFO | 0600;
      s.dev = 0xc;
      s.ino = 0x1000 + f.pipe;
      s.blksize = 4096;
      break;
    default:  // eventfd, epoll: anonymous inodes
      s.mode = 0600;
      s.dev = 0xd;
      s.ino = 1;
      break;
  }
  return s;
}

bool write_stat(Process& p, GuestAddr addr, const StatData& s) {
  std::uint8_t b[144] = {};
  auto put64 = [&](std::size_t off, std::uint64_t v) { std::memcpy(b + off, &v, 8); };
  auto put32 = [&](std::size_t off, std::uint32_t v) { std::memcpy(b + off, &v, 4); };
  put64(0, s.dev);
  put64(8, s.ino);
  put64(16, s.nlink);
  put32(24, s.mode);
  put32(28, s.uid);
  put32(32, s.gid);
  put64(40, s.rdev);
  put64(48, s.size);
  put64(56, s.blksize);
  put64(64, s.blocks);
  const vfs::Timespec* times[] = {&s.atime, &s.mtime, &s.ctime};
  for (std::size_t i = 0; i < 3; ++i) {
    put64(72 + 16 * i, static_cast<std::uint64_t>(times[i]->sec));
    put64(80 + 16 * i, static_cast<std::uint64_t>(times[i]->nsec));
  }
  return p.memory().write(addr, b, sizeof b);
}

bool reads_host_stdin(const OpenFile& f) { return f.kind == OpenFile::Kind::host_stdio && f.stream == 0; }

std::int64_t read_desc(Process& p, OpenFile& f, std::uint8_t* buf, std::uint64_t n,
                       std::optional<std::uint64_t> pos) {
  const std::uint32_t acc = f.status_flags & O_ACCMODE;
  switch (f.kind) {
    case OpenFile::Kind::host_stdio:
      if (f.stream != 0) return -EBADF;
      if (pos) return -ESPIPE;
      if (!p.host().stdin_ready()) return -EAGAIN;
      return p.host().read_stream(0, buf, n);
    case OpenFile::Kind::proc_file: {
      const std::uint64_t off = pos.value_or(f.offset);
      const std::uint64_t k = off >= f.contents.size() ? 0 : std::min<std::uint64_t>(n, f.contents.size() - off);
      if (k) std::memcpy(buf, f.contents.data() + off, k);
      if (!pos) f.offset += k;
      return static_cast<std::int64_t>(k);
    }
    case OpenFile::Kind::node: {
      if (acc == O_WRONLY || (f.status_flags & O_PATH)) return -EBADF;
      const vfs::Node* node = p.vfs().get(f.ino);
      if (!node) return -EBADF;
      std::int64_t k = 0;
      switch (node->device) {
        case vfs::Device::null: return 0;
        case vfs::Device::zero: std::memset(buf, 0, n); return static_cast<std::int64_t>(n);
        case vfs::Device::urandom:
          for (std::uint64_t i = 0; i < n; i += 8) {
            const std::uint64_t r = p.next_random();
            std::memcpy(buf + i, &r, std::min<std::uint64_t>(8, n - i));
          }
          return static_cast<std::int64_t>(n);
        case vfs::Device::none: break;
      }
      k = p.vfs().read(f.ino, pos.value_or(f.offset), buf, n);
      if (k > 0 && !pos) f.offset += static_cast<std::uint64_t>(k);
      return k;
    }
    case OpenFile::Kind::pipe_read: {
      if (pos) return -ESPIPE;
      Pipe& pipe = *p.fds().pipe(f.pipe);
      if (pipe.data.empty()) return pipe.writers ? -EAGAIN : 0;
      const std::uint64_t k = std::min<std::uint64_t>(n, pipe.data.size());
      std::copy_n(pipe.data.begin(), k, buf);
      pipe.data.erase(pipe.data.begin(), pipe.data.begin() + static_cast<std::ptrdiff_t>(k));
      p.fd_ready_changed();  // room for a waiting writer
      return static_cast<std::int64_t>(k);
    }
    case OpenFile::Kind::eventfd:
      if (n < 8) return -EINVAL;
      if (f.counter == 0) return -EAGAIN;
      std::memcpy(buf, &f.counter, 8);
      f.counter = 0;
      p.fd_ready_changed();
      return 8;
    case OpenFile::Kind::pipe_write: return -EBADF;
    case OpenFile::Kind::epoll: return -EINVAL;
  }
  return -EINVAL;
}

std::int64_t write_desc(Process& p, OpenFile& f, const std::uint8_t* buf, std::uint64_t n,
                        std::optional<std::uint64_t> pos) {
  const std::uint32_t acc = f.status_flags & O_ACCMODE;
  switch (f.kind) {
    case OpenFile::Kind::host_stdio:
      if (f.stream == 0) return -EBADF;
      if (pos) return -ESPIPE;
      return p.host().write_stream(f.stream, buf, n);
    case OpenFile::Kind::node: {
      if (acc == O_RDONLY || (f.status_flags & O_PATH)) return -EBADF;
      const vfs::Node* node = p.vfs().get(f.ino);
      if (!node) return -EBADF;
      if (node->device != vfs::Device::none) return static_cast<std::int64_t>(n);  // /dev/null and friends
      // O_APPEND writes at the end, even for pwrite (a Linux quirk).
      std::uint64_t off = pos.value_or(f.offset);
      if (f.status_flags & O_APPEND) off = p.vfs().size_of(*node);
      const std::int64_t k = p.vfs().write(f.ino, off, buf, n, now_ts(p));
      if (k > 0 && !pos) f.offset = off + static_cast<std::uint64_t>(k);
      return k;
    }
    case OpenFile::Kind::pipe_write: {
      if (pos) return -ESPIPE;
      Pipe& pipe = *p.fds().pipe(f.pipe);
      if (!pipe.readers) return -EPIPE;
      const std::uint64_t room = kPipeCapacity - std::min(kPipeCapacity, pipe.data.size());
      if (room == 0 || (n <= kPipeBuf && room < n)) return -EAGAIN;  // small writes are atomic
      const std::uint64_t k = std::min(n, room);
      pipe.data.insert(pipe.data.end(), buf, buf + k);
      for (const auto& [fd, id] : p.fds().fds()) {
        const OpenFile* other = p.fds().description(id);
        if (other->kind == OpenFile::Kind::pipe_read && other->pipe == f.pipe) arm_epoll_interests(p, other);
      }
      p.fd_ready_changed();
      return static_cast<std::int64_t>(k);
    }
    case OpenFile::Kind::eventfd: {
      if (n < 8) return -EINVAL;
      std::uint64_t v;
      std::memcpy(&v, buf, 8);
      if (v == ~0ULL) return -EINVAL;
      if (f.counter > 0xfffffffffffffffeULL - v) return -EAGAIN;  // would overflow: wait for a read
      f.counter += v;
      arm_epoll_interests(p, &f);
      p.fd_ready_changed();
      return 8;
    }
    case OpenFile::Kind::proc_file:
    case OpenFile::Kind::pipe_read: return -EBADF;
    case OpenFile::Kind::epoll: return -EINVAL;
  }
  return -EINVAL;
}

}  // namespace gostep::linux_abi
