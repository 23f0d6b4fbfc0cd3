// <asm/prctl.h> and <sys/prctl.h>: arch_prctl sets the FS base, which is how
// runtime.settls points %fs:-8 at m0.tls[0]; prctl is accepted and ignored.
#include <asm/prctl.h>

#include <cerrno>

#include "handlers.h"

namespace gostep::linux_abi {

GOSTEP_SYSCALL(arch_prctl) {
  const GuestAddr addr = a.a[1];
  switch (a.a[0]) {
    case ARCH_SET_FS:
      if (addr >= kStackTop) return SysResult::ret(-EPERM);
      p.engine().set_reg(Reg::fs_base, addr);
      t.fs_base = addr;
      return SysResult::ret(0);
    case ARCH_GET_FS: {
      const std::uint64_t fs = p.engine().reg(Reg::fs_base);
      return SysResult::ret(p.memory().write(addr, &fs, 8) ? 0 : -EFAULT);
    }
    case ARCH_SET_GS:
      p.engine().set_reg(Reg::gs_base, addr);
      return SysResult::ret(0);
    case ARCH_GET_GS: {
      const std::uint64_t gs = p.engine().reg(Reg::gs_base);
      return SysResult::ret(p.memory().write(addr, &gs, 8) ? 0 : -EFAULT);
    }
    default:
      return SysResult::ret(-EINVAL);
  }
}

GOSTEP_SYSCALL(prctl) {
  (void)p;
  (void)t;
  (void)a;
  return SysResult::ret(0);
}

}  // namespace gostep::linux_abi
