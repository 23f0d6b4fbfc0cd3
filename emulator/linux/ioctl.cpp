// <sys/ioctl.h>: terminals and descriptor flags. In `gostep run` the guest's
// stdin, stdout and stderr are gostep's own, and TCGETS/TCSETS*/TIOCGWINSZ on
// them tell the truth about a terminal there (TCSETS changes it; gostep puts
// it back at exit); in `gostep debug` no stream is a terminal. Anything that
// is not a terminal answers ENOTTY, as Linux does.
#include <fcntl.h>
#include <sys/ioctl.h>

#include <algorithm>
#include <cerrno>

#include "fs_common.h"

namespace gostep::linux_abi {

GOSTEP_SYSCALL(ioctl) {
  (void)t;
  const int fd = static_cast<int>(a.a[0]);
  OpenFile* f = p.fds().get(fd);
  if (!f) return SysResult::ret(-EBADF);
  const std::uint64_t req = a.a[1] & 0xffffffffu;  // the kernel takes an unsigned int
  switch (req) {
    case FIOCLEX:
    case FIONCLEX:
      p.fds().set_cloexec(fd, req == FIOCLEX);
      return SysResult::ret(0);
    case FIONBIO: {
      std::int32_t on = 0;
      if (!p.memory().read(a.a[2], &on, 4)) return SysResult::ret(-EFAULT);
      f->status_flags = on ? f->status_flags | O_NONBLOCK : f->status_flags & ~static_cast<std::uint32_t>(O_NONBLOCK);
      p.fd_ready_changed();
      return SysResult::ret(0);
    }
    case FIONREAD: {
      std::int32_t n = 0;
      if (f->kind == OpenFile::Kind::pipe_read) {
        n = static_cast<std::int32_t>(p.fds().pipe(f->pipe)->data.size());
      } else if (f->kind == OpenFile::Kind::node && p.vfs().get(f->ino)->kind == vfs::NodeKind::file) {
        const std::uint64_t size = p.vfs().size_of(*p.vfs().get(f->ino));
        n = static_cast<std::int32_t>(size > f->offset ? std::min<std::uint64_t>(size - f->offset, 0x7fffffff) : 0);
      } else {
        return SysResult::ret(-ENOTTY);
      }
      return SysResult::ret(p.memory().write(a.a[2], &n, 4) ? 0 : -EFAULT);
    }
    case TCGETS:
    case TIOCGWINSZ: {
      if (f->kind != OpenFile::Kind::host_stdio) return SysResult::ret(-ENOTTY);
      std::uint8_t buf[kTermiosSize] = {};
      const int r = p.host().terminal(f->stream, req, buf);
      if (r < 0) return SysResult::ret(r);
      const std::size_t n = req == TCGETS ? kTermiosSize : kWinsizeSize;
      return SysResult::ret(p.memory().write(a.a[2], buf, n) ? 0 : -EFAULT);
    }
    case TCSETS:
    case TCSETSW:
    case TCSETSF: {
      if (f->kind != OpenFile::Kind::host_stdio) return SysResult::ret(-ENOTTY);
      std::uint8_t buf[kTermiosSize] = {};
      if (!p.memory().read(a.a[2], buf, sizeof buf)) return SysResult::ret(-EFAULT);
      return SysResult::ret(p.host().terminal(f->stream, req, buf));
    }
    default:
      return SysResult::ret(-ENOTTY);
  }
}

}  // namespace gostep::linux_abi
