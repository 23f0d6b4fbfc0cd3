// <sys/utsname.h>: a fixed system name, the same on every host.
#include <sys/utsname.h>

#include <cerrno>
#include <cstring>

#include "handlers.h"

namespace gostep::linux_abi {

GOSTEP_SYSCALL(uname) {
  (void)t;
  struct utsname u;
  std::memset(&u, 0, sizeof u);
  std::strcpy(u.sysname, "Linux");
  std::strcpy(u.nodename, "gostep");
  std::strcpy(u.release, "6.1.0-gostep");
  std::strcpy(u.version, "#1 SMP gostep");
  std::strcpy(u.machine, "x86_64");
  return SysResult::ret(p.memory().write(a.a[0], &u, sizeof u) ? 0 : -EFAULT);
}

}  // namespace gostep::linux_abi
