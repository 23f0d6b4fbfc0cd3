// <sys/uio.h> and the positioned calls: readv, writev, pread64, pwrite64,
// preadv, pwritev. Each gathers or scatters through one buffer and the same
// read/write of an open description that read and write use.
#include <fcntl.h>

#include <algorithm>
#include <cerrno>
#include <vector>

#include "fs_common.h"

namespace gostep::linux_abi {
namespace {

constexpr std::uint64_t kMaxIo = 1 << 20;
constexpr std::uint64_t kIovMax = 1024;

struct Iovec {
  GuestAddr base = 0;
  std::uint64_t len = 0;
};

int read_iovecs(Process& p, GuestAddr addr, std::uint64_t count, std::vector<Iovec>& out, std::uint64_t& total) {
  if (count > kIovMax) return -EINVAL;
  out.resize(count);
  if (count && !p.memory().read(addr, out.data(), count * sizeof(Iovec))) return -EFAULT;
  total = 0;
  for (const Iovec& v : out) {
    if (static_cast<std::int64_t>(v.len) < 0) return -EINVAL;
    total += v.len;
  }
  total = std::min(total, kMaxIo);
  return 0;
}

// readv/preadv: `pos` for the positioned ones.
SysResult vread(Process& p, Thread& t, const SyscallArgs& a, std::optional<std::uint64_t> pos) {
  OpenFile* f = p.fds().get(static_cast<int>(a.a[0]));
  if (!f) return SysResult::ret(-EBADF);
  std::vector<Iovec> iov;
  std::uint64_t total = 0;
  if (const int e = read_iovecs(p, a.a[1], a.a[2], iov, total); e < 0) return SysResult::ret(e);
  std::vector<std::uint8_t> buf(total);
  const std::int64_t r = total ? read_desc(p, *f, buf.data(), total, pos) : 0;
  std::uint64_t done = 0;
  for (const Iovec& v : iov) {
    if (r <= 0 || done >= static_cast<std::uint64_t>(r)) break;
    const std::uint64_t k = std::min(v.len, static_cast<std::uint64_t>(r) - done);
    if (!p.memory().write(v.base, buf.data() + done, k)) return SysResult::ret(-EFAULT);
    done += k;
  }
  return finish_read(p, t, a, *f, r);
}

SysResult vwrite(Process& p, Thread& t, const SyscallArgs& a, std::optional<std::uint64_t> pos) {
  OpenFile* f = p.fds().get(static_cast<int>(a.a[0]));
  if (!f) return SysResult::ret(-EBADF);
  std::vector<Iovec> iov;
  std::uint64_t total = 0;
  if (const int e = read_iovecs(p, a.a[1], a.a[2], iov, total); e < 0) return SysResult::ret(e);
  std::vector<std::uint8_t> buf;
  for (const Iovec& v : iov) {
    const std::uint64_t k = std::min(v.len, total - buf.size());
    const std::size_t at = buf.size();
    buf.resize(at + k);
    if (k && !p.memory().read(v.base, buf.data() + at, k)) return SysResult::ret(-EFAULT);
  }
  const std::int64_t r = total ? write_desc(p, *f, buf.data(), total, pos) : 0;
  return finish_write(p, t, a, *f, r, total, -1);
}

std::optional<std::uint64_t> position(std::uint64_t v, bool& bad) {
  bad = static_cast<std::int64_t>(v) < 0;
  return v;
}

}  // namespace

GOSTEP_SYSCALL(readv) { return vread(p, t, a, std::nullopt); }
GOSTEP_SYSCALL(writev) { return vwrite(p, t, a, std::nullopt); }

GOSTEP_SYSCALL(preadv) {
  bool bad = false;
  const auto pos = position(a.a[3], bad);
  return bad ? SysResult::ret(-EINVAL) : vread(p, t, a, pos);
}

GOSTEP_SYSCALL(pwritev) {
  bool bad = false;
  const auto pos = position(a.a[3], bad);
  return bad ? SysResult::ret(-EINVAL) : vwrite(p, t, a, pos);
}

GOSTEP_SYSCALL(pread64) {
  OpenFile* f = p.fds().get(static_cast<int>(a.a[0]));
  if (!f) return SysResult::ret(-EBADF);
  if (static_cast<std::int64_t>(a.a[3]) < 0) return SysResult::ret(-EINVAL);
  const std::uint64_t count = std::min(a.a[2], kMaxIo);
  std::vector<std::uint8_t> buf(count);
  const std::int64_t r = count ? read_desc(p, *f, buf.data(), count, a.a[3]) : 0;
  if (r > 0 && !p.memory().write(a.a[1], buf.data(), static_cast<std::uint64_t>(r))) return SysResult::ret(-EFAULT);
  return finish_read(p, t, a, *f, r);
}

GOSTEP_SYSCALL(pwrite64) {
  OpenFile* f = p.fds().get(static_cast<int>(a.a[0]));
  if (!f) return SysResult::ret(-EBADF);
  if (static_cast<std::int64_t>(a.a[3]) < 0) return SysResult::ret(-EINVAL);
  const std::uint64_t count = std::min(a.a[2], kMaxIo);
  std::vector<std::uint8_t> buf(count);
  if (!p.memory().read(a.a[1], buf.data(), count)) return SysResult::ret(-EFAULT);
  const std::int64_t r = count ? write_desc(p, *f, buf.data(), count, a.a[3]) : 0;
  return finish_write(p, t, a, *f, r, count, -1);
}

}  // namespace gostep::linux_abi
