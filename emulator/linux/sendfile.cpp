// <sys/sendfile.h> and copy_file_range: copies inside the kernel, done here
// with the same reads and writes of open descriptions. Go 1.19's io.Copy
// between two *os.File tries copy_file_range first and falls back to read and
// write on EXDEV, EINVAL, EIO, EOPNOTSUPP, EPERM or ENOSYS
// (internal/poll/copy_file_range_linux.go): gostep answers EINVAL for
// anything but two regular files of its file system.
#include <fcntl.h>

#include <algorithm>
#include <cerrno>
#include <vector>

#include "fs_common.h"

namespace gostep::linux_abi {
namespace {

constexpr std::uint64_t kChunk = 1 << 16;
constexpr std::uint64_t kMaxCopy = 1ULL << 30;

bool regular_file(Process& p, const OpenFile& f) {
  if (f.kind != OpenFile::Kind::node) return false;
  const vfs::Node* n = p.vfs().get(f.ino);
  return n && n->kind == vfs::NodeKind::file && n->device == vfs::Device::none;
}

bool read_offset(Process& p, GuestAddr addr, std::uint64_t& out) {
  std::int64_t v = 0;
  if (!p.memory().read(addr, &v, 8)) return false;
  out = static_cast<std::uint64_t>(v);
  return v >= 0;
}

}  // namespace

GOSTEP_SYSCALL(copy_file_range) {
  (void)t;
  OpenFile* in = p.fds().get(static_cast<int>(a.a[0]));
  OpenFile* out = p.fds().get(static_cast<int>(a.a[2]));
  if (!in || !out) return SysResult::ret(-EBADF);
  if (a.a[5] != 0) return SysResult::ret(-EINVAL);
  if ((in->status_flags & O_ACCMODE) == O_WRONLY || (out->status_flags & O_ACCMODE) == O_RDONLY ||
      (out->status_flags & O_APPEND))
    return SysResult::ret(-EBADF);
  if (!regular_file(p, *in) || !regular_file(p, *out)) return SysResult::ret(-EINVAL);
  std::uint64_t in_pos = in->offset, out_pos = out->offset;
  if (a.a[1] && !read_offset(p, a.a[1], in_pos)) return SysResult::ret(-EINVAL);
  if (a.a[3] && !read_offset(p, a.a[3], out_pos)) return SysResult::ret(-EINVAL);
  const std::uint64_t len = std::min(a.a[4], kMaxCopy);
  if (in->ino == out->ino && in_pos < out_pos + len && out_pos < in_pos + len) return SysResult::ret(-EINVAL);
  std::vector<std::uint8_t> buf(std::min(len, kChunk));
  std::uint64_t done = 0;
  while (done < len) {
    const std::int64_t r = p.vfs().read(in->ino, in_pos + done, buf.data(), std::min(len - done, kChunk));
    if (r < 0) return SysResult::ret(done ? static_cast<std::int64_t>(done) : r);
    if (r == 0) break;
    const std::int64_t w = p.vfs().write(out->ino, out_pos + done, buf.data(), static_cast<std::uint64_t>(r), now_ts(p));
    if (w < 0) return SysResult::ret(done ? static_cast<std::int64_t>(done) : w);
    done += static_cast<std::uint64_t>(w);
    if (w < r) break;
  }
  if (a.a[1]) {
    const std::uint64_t v = in_pos + done;
    p.memory().write(a.a[1], &v, 8);
  } else {
    in->offset += done;
  }
  if (a.a[3]) {
    const std::uint64_t v = out_pos + done;
    p.memory().write(a.a[3], &v, 8);
  } else {
    out->offset += done;
  }
  return SysResult::ret(static_cast<std::int64_t>(done));
}

GOSTEP_SYSCALL(sendfile) {
  (void)t;
  OpenFile* out = p.fds().get(static_cast<int>(a.a[0]));
  OpenFile* in = p.fds().get(static_cast<int>(a.a[1]));
  if (!in || !out) return SysResult::ret(-EBADF);
  if ((in->status_flags & O_ACCMODE) == O_WRONLY) return SysResult::ret(-EBADF);
  if (!regular_file(p, *in)) return SysResult::ret(-EINVAL);  // the source must be a file Linux could map
  std::uint64_t pos = in->offset;
  if (a.a[2] && !read_offset(p, a.a[2], pos)) return SysResult::ret(-EINVAL);
  const std::uint64_t len = std::min(a.a[3], kMaxCopy);
  std::vector<std::uint8_t> buf(std::min(len, kChunk));
  std::uint64_t done = 0;
  while (done < len) {
    const std::int64_t r = p.vfs().read(in->ino, pos + done, buf.data(), std::min(len - done, kChunk));
    if (r <= 0) {
      if (r < 0 && !done) return SysResult::ret(r);
      break;
    }
    const std::int64_t w = write_desc(p, *out, buf.data(), static_cast<std::uint64_t>(r), std::nullopt);
    if (w < 0) {
      if (done) break;
      return SysResult::ret(w);
    }
    done += static_cast<std::uint64_t>(w);
    if (w < r) break;  // a full pipe: what fitted
  }
  if (a.a[2]) {
    const std::uint64_t v = pos + done;
    p.memory().write(a.a[2], &v, 8);
  } else {
    in->offset += done;
  }
  return SysResult::ret(static_cast<std::int64_t>(done));
}

}  // namespace gostep::linux_abi
