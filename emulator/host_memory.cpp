#include "host_memory.h"

#include <sys/mman.h>

#include <algorithm>
#include <vector>

#include "guest.h"

namespace gostep::host_memory {

std::uint8_t* reserve(std::uint64_t len) {
  void* p = ::mmap(nullptr, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) return nullptr;
  // Where transparent huge pages are "always", one touched byte would commit
  // 2 MiB and count 512 pages; this keeps the accounting per 4 KiB page.
  ::madvise(p, len, MADV_NOHUGEPAGE);
  return static_cast<std::uint8_t*>(p);
}

void release(std::uint8_t* p, std::uint64_t len) {
  if (p && len) ::munmap(p, len);
}

void discard(std::uint8_t* p, std::uint64_t len) {
  if (p && len) ::madvise(p, len, MADV_DONTNEED);
}

std::uint64_t resident_pages(const std::uint8_t* p, std::uint64_t len) {
  // In pieces of 64 MiB, so that the vector stays small for huge mappings.
  constexpr std::uint64_t kPiece = 64ULL << 20;
  static thread_local std::vector<unsigned char> vec(kPiece / kPageSize);
  std::uint64_t n = 0;
  for (std::uint64_t off = 0; off < len; off += kPiece) {
    const std::uint64_t part = std::min(kPiece, len - off);
    auto* start = const_cast<std::uint8_t*>(p + off);
    if (::mincore(start, part, vec.data()) != 0) continue;
    const std::uint64_t pages = part / kPageSize;
    for (std::uint64_t i = 0; i < pages; ++i) n += vec[i] & 1;
  }
  return n;
}

void resident_map(const std::uint8_t* p, std::uint64_t len, std::vector<bool>& out) {
  constexpr std::uint64_t kPiece = 64ULL << 20;
  static thread_local std::vector<unsigned char> vec(kPiece / kPageSize);
  out.assign(len / kPageSize, false);
  for (std::uint64_t off = 0; off < len; off += kPiece) {
    const std::uint64_t part = std::min(kPiece, len - off);
    if (::mincore(const_cast<std::uint8_t*>(p + off), part, vec.data()) != 0) continue;
    for (std::uint64_t i = 0; i < part / kPageSize; ++i) out[off / kPageSize + i] = (vec[i] & 1) != 0;
  }
}

bool page_resident(const std::uint8_t* page) {
  unsigned char v = 0;
  return ::mincore(const_cast<std::uint8_t*>(page), kPageSize, &v) == 0 && (v & 1);
}

}  // namespace gostep::host_memory
