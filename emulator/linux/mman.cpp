// <sys/mman.h>: mmap, munmap, mprotect, madvise, brk.
#include <sys/mman.h>

#include <cerrno>

#include "handlers.h"

namespace gostep::linux_abi {
namespace {
constexpr std::uint64_t kMapFixedNoReplace = 0x100000;
std::uint32_t prot_of(std::uint64_t p) { return static_cast<std::uint32_t>(p & 7); }
bool range_ok(GuestAddr a, std::uint64_t len) {
  return a % kPageSize == 0 && len > 0 && a + len > a && a + len <= kStackTop;
}
}  // namespace

GOSTEP_SYSCALL(mmap) {
  (void)t;
  const GuestAddr addr = a.a[0];
  const std::uint64_t len = page_up(a.a[1]);
  const std::uint32_t prot = prot_of(a.a[2]);
  const std::uint64_t flags = a.a[3];
  if (a.a[1] == 0 || len < a.a[1]) return SysResult::ret(-EINVAL);
  if (!(flags & MAP_ANONYMOUS)) return SysResult::ret(-ENODEV);  // no files to map in the sandbox
  if (flags & (MAP_FIXED | kMapFixedNoReplace)) {
    if (!range_ok(addr, len)) return SysResult::ret(-EINVAL);
    if ((flags & kMapFixedNoReplace) && !(flags & MAP_FIXED) && !p.memory().is_free(addr, len))
      return SysResult::ret(-EEXIST);
    if (!p.memory().map_fixed(addr, len, prot, "")) return SysResult::ret(-ENOMEM);
    return SysResult::ret(static_cast<std::int64_t>(addr));
  }
  auto where = p.memory().find_free(page_down(addr), len);
  if (!where || !p.memory().map_fixed(*where, len, prot, "")) return SysResult::ret(-ENOMEM);
  return SysResult::ret(static_cast<std::int64_t>(*where));
}

GOSTEP_SYSCALL(munmap) {
  (void)t;
  const std::uint64_t len = page_up(a.a[1]);
  if (!range_ok(a.a[0], len)) return SysResult::ret(-EINVAL);
  return SysResult::ret(p.memory().unmap(a.a[0], len) ? 0 : -ENOMEM);
}

GOSTEP_SYSCALL(mprotect) {
  (void)t;
  const std::uint64_t len = page_up(a.a[1]);
  if (a.a[1] == 0) return SysResult::ret(0);
  if (!range_ok(a.a[0], len)) return SysResult::ret(-EINVAL);
  // Every page must be mapped (ENOMEM otherwise): walk the mappings, not the pages,
  // so a huge range costs nothing.
  GuestAddr q = a.a[0];
  while (q < a.a[0] + len) {
    const Mapping* m = p.memory().find(q);
    if (!m) return SysResult::ret(-ENOMEM);
    q = m->end;
  }
  return SysResult::ret(p.memory().protect(a.a[0], len, prot_of(a.a[2])) ? 0 : -ENOMEM);
}

GOSTEP_SYSCALL(madvise) {
  (void)t;
  const std::uint64_t len = page_up(a.a[1]);
  if (a.a[0] % kPageSize) return SysResult::ret(-EINVAL);
  if (a.a[2] == MADV_DONTNEED && len) p.memory().discard(a.a[0], len);
  return SysResult::ret(0);  // every other advice is only advice
}

GOSTEP_SYSCALL(brk) {
  (void)t;
  // The break starts at the end of the last loaded segment and only grows here.
  static_assert(sizeof(GuestAddr) == 8);
  const GuestAddr start = page_up(p.image().end_of_data);
  const Mapping* heap = nullptr;
  for (const auto& m : p.memory().mappings())
    if (m.name == "[heap]") heap = p.memory().find(m.start);
  GuestAddr cur = heap ? heap->end : start;
  const GuestAddr want = a.a[0];
  if (want > cur && want < start + (1ULL << 30) && p.memory().is_free(cur, page_up(want) - cur)) {
    // Only the new part: what the heap already holds stays.
    if (p.memory().map_fixed(cur, page_up(want) - cur, kProtRead | kProtWrite, "[heap]")) cur = page_up(want);
  }
  return SysResult::ret(static_cast<std::int64_t>(cur));
}

}  // namespace gostep::linux_abi
