// <sys/random.h>: getrandom from the --seed generator, so runs repeat.
#include <algorithm>
#include <cerrno>
#include <vector>

#include "handlers.h"

namespace gostep::linux_abi {

GOSTEP_SYSCALL(getrandom) {
  (void)t;
  const std::uint64_t n = std::min<std::uint64_t>(a.a[1], 1 << 20);
  std::vector<std::uint8_t> buf(n);
  for (std::uint64_t i = 0; i < n; i += 8) {
    const std::uint64_t r = p.next_random();
    std::copy_n(reinterpret_cast<const std::uint8_t*>(&r), std::min<std::uint64_t>(8, n - i), buf.begin() + static_cast<std::ptrdiff_t>(i));
  }
  if (!p.memory().write(a.a[0], buf.data(), n)) return SysResult::ret(-EFAULT);
  return SysResult::ret(static_cast<std::int64_t>(n));
}

}  // namespace gostep::linux_abi
