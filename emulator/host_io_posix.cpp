#include "host_io_posix.h"

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

namespace gostep {
namespace {

HostFileInfo info_of(const struct stat& st) {
  HostFileInfo i;
  i.perm = st.st_mode & 07777;
  i.size = static_cast<std::uint64_t>(st.st_size);
  switch (st.st_mode & S_IFMT) {
    case S_IFDIR: i.kind = vfs::NodeKind::dir; break;
    case S_IFREG: i.kind = vfs::NodeKind::file; break;
    case S_IFLNK: i.kind = vfs::NodeKind::symlink; break;
    default: i.kind = vfs::NodeKind::other; i.type_bits = st.st_mode & S_IFMT; i.size = 0; break;
  }
  return i;
}

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

}  // namespace

PosixHostIo::PosixHostIo(int stdin_fd, int stdout_fd, int stderr_fd, bool terminals_visible, int wake_fd)
    : streams_{stdin_fd, stdout_fd, stderr_fd}, terminals_visible_(terminals_visible), wake_fd_(wake_fd) {}

PosixHostIo::~PosixHostIo() {
  for (const auto& [fd, t] : saved_termios_) ::ioctl(fd, TCSETS, t.data());
  for (int fd : roots_) ::close(fd);
}

// ------------------------------------------------------------- granted directories

int PosixHostIo::add_root(const std::string& host_dir) {
  const int fd = ::open(host_dir.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return -errno;
  roots_.push_back(fd);
  return static_cast<int>(roots_.size() - 1);
}

int PosixHostIo::walk(int root, const std::string& rel, std::string& last) {
  if (root < 0 || static_cast<std::size_t>(root) >= roots_.size()) return -EBADF;
  int dir = ::openat(roots_[static_cast<std::size_t>(root)], ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (dir < 0) return -errno;
  std::size_t i = 0;
  for (;;) {
    const std::size_t slash = rel.find('/', i);
    const std::string name = rel.substr(i, slash == std::string::npos ? std::string::npos : slash - i);
    if (name == "." || name == ".." || (name.empty() && slash != std::string::npos)) {
      ::close(dir);
      return -ENOENT;  // never produced by gostep's own paths
    }
    if (slash == std::string::npos) {
      last = name;
      return dir;
    }
    const int next = ::openat(dir, name.c_str(), O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    const int err = errno;
    ::close(dir);
    if (next < 0) return -err;
    dir = next;
    i = slash + 1;
  }
}

int PosixHostIo::open_file(int root, const std::string& rel, int flags) {
  std::string last;
  const int dir = walk(root, rel, last);
  if (dir < 0) return dir;
  Fd d(dir);
  const int fd = last.empty() ? ::openat(dir, ".", flags | O_CLOEXEC)
                              : ::openat(dir, last.c_str(), flags | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  return fd < 0 ? -errno : fd;
}

int PosixHostIo::info(int root, const std::string& rel, HostFileInfo& out) {
  std::string last;
  const int dir = walk(root, rel, last);
  if (dir < 0) return dir;
  Fd d(dir);
  struct stat st;
  const int r = last.empty() ? ::fstatat(dir, "", &st, AT_EMPTY_PATH) : ::fstatat(dir, last.c_str(), &st, AT_SYMLINK_NOFOLLOW);
  if (r < 0) return -errno;
  out = info_of(st);
  return 0;
}

int PosixHostIo::list(int root, const std::string& rel, std::vector<HostDirEntry>& out) {
  const int fd = open_file(root, rel, O_RDONLY | O_DIRECTORY);
  if (fd < 0) return fd;
  DIR* d = ::fdopendir(fd);
  if (!d) {
    ::close(fd);
    return -errno;
  }
  while (const dirent* e = ::readdir(d)) {
    const std::string name = e->d_name;
    if (name == "." || name == "..") continue;
    struct stat st;
    if (::fstatat(fd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) < 0) continue;  // gone meanwhile
    HostDirEntry entry;
    entry.name = name;
    entry.info = info_of(st);
    if (entry.info.kind == vfs::NodeKind::symlink) {
      char buf[4096];
      const ssize_t n = ::readlinkat(fd, name.c_str(), buf, sizeof buf);
      if (n < 0) continue;
      entry.link_target.assign(buf, static_cast<std::size_t>(n));
    }
    out.push_back(std::move(entry));
  }
  ::closedir(d);
  return 0;
}

std::int64_t PosixHostIo::pread(int root, const std::string& rel, std::uint64_t offset, void* buf, std::uint64_t n) {
  const int fd = open_file(root, rel, O_RDONLY);
  if (fd < 0) return fd;
  Fd f(fd);
  struct stat st;
  if (::fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) return -EIO;  // changed on the host meanwhile
  ssize_t r;
  do r = ::pread(fd, buf, n, static_cast<off_t>(offset));
  while (r < 0 && errno == EINTR);
  return r < 0 ? -errno : r;
}

std::int64_t PosixHostIo::pwrite(int root, const std::string& rel, std::uint64_t offset, const void* buf,
                                 std::uint64_t n) {
  const int fd = open_file(root, rel, O_WRONLY);
  if (fd < 0) return fd;
  Fd f(fd);
  std::uint64_t done = 0;
  while (done < n) {
    const ssize_t r = ::pwrite(fd, static_cast<const char*>(buf) + done, n - done, static_cast<off_t>(offset + done));
    if (r < 0) {
      if (errno == EINTR) continue;
      return done ? static_cast<std::int64_t>(done) : -errno;
    }
    done += static_cast<std::uint64_t>(r);
  }
  return static_cast<std::int64_t>(done);
}

int PosixHostIo::create(int root, const std::string& rel, std::uint32_t perm) {
  const int fd = open_file(root, rel, O_WRONLY | O_CREAT | O_EXCL);
  (void)perm;
  if (fd < 0) return fd;
  // The guest's umask is already applied; the host's must not apply again.
  const int r = ::fchmod(fd, perm);
  ::close(fd);
  return r < 0 ? -errno : 0;
}

int PosixHostIo::mkdir(int root, const std::string& rel, std::uint32_t perm) {
  std::string last;
  const int dir = walk(root, rel, last);
  if (dir < 0) return dir;
  Fd d(dir);
  if (::mkdirat(dir, last.c_str(), perm) < 0) return -errno;
  return ::fchmodat(dir, last.c_str(), perm, 0) < 0 ? -errno : 0;
}

int PosixHostIo::symlink(int root, const std::string& target, const std::string& rel) {
  std::string last;
  const int dir = walk(root, rel, last);
  if (dir < 0) return dir;
  Fd d(dir);
  return ::symlinkat(target.c_str(), dir, last.c_str()) < 0 ? -errno : 0;
}

int PosixHostIo::link(int root, const std::string& from, const std::string& to) {
  std::string a, b;
  const int da = walk(root, from, a);
  if (da < 0) return da;
  Fd fa(da);
  const int db = walk(root, to, b);
  if (db < 0) return db;
  Fd fb(db);
  return ::linkat(da, a.c_str(), db, b.c_str(), 0) < 0 ? -errno : 0;
}

int PosixHostIo::remove(int root, const std::string& rel, bool dir) {
  std::string last;
  const int d = walk(root, rel, last);
  if (d < 0) return d;
  Fd f(d);
  return ::unlinkat(d, last.c_str(), dir ? AT_REMOVEDIR : 0) < 0 ? -errno : 0;
}

int PosixHostIo::rename(int root, const std::string& from, const std::string& to, bool exchange) {
  std::string a, b;
  const int da = walk(root, from, a);
  if (da < 0) return da;
  Fd fa(da);
  const int db = walk(root, to, b);
  if (db < 0) return db;
  Fd fb(db);
  const long r = ::syscall(SYS_renameat2, da, a.c_str(), db, b.c_str(), exchange ? 2 /* RENAME_EXCHANGE */ : 0);
  return r < 0 ? -errno : 0;
}

int PosixHostIo::truncate(int root, const std::string& rel, std::uint64_t size) {
  const int fd = open_file(root, rel, O_WRONLY);
  if (fd < 0) return fd;
  Fd f(fd);
  return ::ftruncate(fd, static_cast<off_t>(size)) < 0 ? -errno : 0;
}

int PosixHostIo::chmod(int root, const std::string& rel, std::uint32_t perm) {
  std::string last;
  const int d = walk(root, rel, last);
  if (d < 0) return d;
  Fd f(d);
  const int r = last.empty() ? ::fchmodat(d, ".", perm, 0) : ::fchmodat(d, last.c_str(), perm, AT_SYMLINK_NOFOLLOW);
  return r < 0 ? -errno : 0;
}

// ------------------------------------------------------------- standard streams

StreamKind PosixHostIo::stream_kind(int stream) {
  const int fd = streams_.at(static_cast<std::size_t>(stream));
  struct stat st;
  if (fd < 0 || ::fstat(fd, &st) < 0) return StreamKind::none;
  if (S_ISCHR(st.st_mode) && ::isatty(fd)) return terminals_visible_ ? StreamKind::terminal : StreamKind::pipe;
  if (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode)) return StreamKind::pipe;
  if (S_ISREG(st.st_mode)) return StreamKind::file;
  if (S_ISCHR(st.st_mode)) return StreamKind::chardev;
  return StreamKind::other;
}

std::int64_t PosixHostIo::read_stream(int stream, void* buf, std::uint64_t n) {
  const int fd = streams_.at(static_cast<std::size_t>(stream));
  if (fd < 0 || n == 0) return 0;
  ssize_t r;
  do r = ::read(fd, buf, n);
  while (r < 0 && errno == EINTR);
  return r < 0 ? -errno : r;
}

std::int64_t PosixHostIo::write_stream(int stream, const void* buf, std::uint64_t n) {
  const int fd = streams_.at(static_cast<std::size_t>(stream));
  std::uint64_t done = 0;
  while (done < n) {
    const ssize_t r = ::write(fd, static_cast<const char*>(buf) + done, n - done);
    if (r < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN) {  // gostep's stdout was left non-blocking by someone: wait for room
        pollfd p{fd, POLLOUT, 0};
        ::poll(&p, 1, -1);
        continue;
      }
      return done ? static_cast<std::int64_t>(done) : -errno;
    }
    done += static_cast<std::uint64_t>(r);
  }
  return static_cast<std::int64_t>(n);
}

bool PosixHostIo::stdin_ready() {
  if (streams_[0] < 0) return true;
  pollfd p{streams_[0], POLLIN, 0};
  return ::poll(&p, 1, 0) > 0;
}

std::uint64_t PosixHostIo::wait(bool for_stdin, std::optional<std::uint64_t> timeout_ns) {
  pollfd fds[2];
  nfds_t n = 0;
  if (for_stdin && streams_[0] >= 0) fds[n++] = {streams_[0], POLLIN, 0};
  if (wake_fd_ >= 0) fds[n++] = {wake_fd_, POLLIN, 0};
  const auto t0 = std::chrono::steady_clock::now();
  timespec ts{};
  if (timeout_ns) {
    ts.tv_sec = static_cast<time_t>(*timeout_ns / 1'000'000'000ULL);
    ts.tv_nsec = static_cast<long>(*timeout_ns % 1'000'000'000ULL);
  }
  if (n > 0 || timeout_ns) ::ppoll(fds, n, timeout_ns ? &ts : nullptr, nullptr);
  // Drain the wake-up pipe (non-blocking): whoever wrote it also set the flag the run loop checks.
  if (wake_fd_ >= 0) {
    char junk[64];
    while (::read(wake_fd_, junk, sizeof junk) > 0) {
    }
  }
  return static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - t0).count());
}

int PosixHostIo::terminal(int stream, std::uint64_t request, std::uint8_t* buf) {
  if (!terminals_visible_) return -ENOTTY;
  const int fd = streams_.at(static_cast<std::size_t>(stream));
  if (fd < 0 || !::isatty(fd)) return -ENOTTY;
  std::uint8_t tmp[64] = {};
  switch (request) {
    case TCGETS:
      if (::ioctl(fd, TCGETS, tmp) < 0) return -errno;
      std::memcpy(buf, tmp, kTermiosSize);
      return 0;
    case TCSETS:
    case TCSETSW:
    case TCSETSF:
      if (!saved_termios_.count(fd)) {
        std::array<std::uint8_t, 64> orig{};
        if (::ioctl(fd, TCGETS, orig.data()) == 0) saved_termios_[fd] = orig;
      }
      std::memcpy(tmp, buf, kTermiosSize);
      return ::ioctl(fd, static_cast<unsigned long>(request), tmp) < 0 ? -errno : 0;
    case TIOCGWINSZ:
      if (::ioctl(fd, TIOCGWINSZ, tmp) < 0) return -errno;
      std::memcpy(buf, tmp, kWinsizeSize);
      return 0;
    default:
      return -ENOTTY;
  }
}

}  // namespace gostep
