// The guest's memory map, kept in gostep's own table (like the kernel's VMAs)
// and handed to Unicorn lazily: a page becomes Unicorn memory only when the
// guest first touches it. Go 1.19 reserves ~585 MiB of PROT_NONE address space
// at start and maps pieces of it with MAP_FIXED later; mapping all of that into
// Unicorn, or protecting parts of big Unicorn regions, is slow (docs/TRAPS.md).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "guest.h"
#include "unicorn_engine.h"

namespace gostep {

struct Mapping {
  GuestAddr start = 0;
  GuestAddr end = 0;  // exclusive
  std::uint32_t prot = 0;
  std::string name;   // "[stack]", "[heap]", ".text"... or "" for anonymous
};

// Linux's layout with address randomisation off.
inline constexpr GuestAddr kStackTop = 0x7ffffffff000ULL;
inline constexpr std::uint64_t kStackSize = 8ULL << 20;  // RLIMIT_STACK
inline constexpr GuestAddr kMmapBase = 0x7ffff7fff000ULL;
inline constexpr GuestAddr kMmapMin = 0x10000ULL;

class AddressSpace {
 public:
  explicit AddressSpace(UnicornEngine& uc) : uc_(uc) {}

  // Adds a mapping (replacing whatever overlaps it) and, if `contents` is
  // given, makes it Unicorn memory at once with those bytes at its start.
  void map_fixed(GuestAddr start, std::uint64_t len, std::uint32_t prot, std::string name,
                 const std::vector<std::uint8_t>* contents = nullptr, std::uint64_t contents_offset = 0);
  void unmap(GuestAddr start, std::uint64_t len);
  void protect(GuestAddr start, std::uint64_t len, std::uint32_t prot);
  // Drops the contents (MADV_DONTNEED on private anonymous memory: reads as zero).
  void discard(GuestAddr start, std::uint64_t len);

  // Free gap for an mmap without MAP_FIXED: the hint if free, else top-down.
  std::optional<GuestAddr> find_free(GuestAddr hint, std::uint64_t len) const;
  bool is_free(GuestAddr start, std::uint64_t len) const;
  const Mapping* find(GuestAddr addr) const;
  std::vector<Mapping> mappings() const;

  // Called from Unicorn's unmapped-memory hook: true if the page is part of a
  // mapping whose protection allows `access`; it is then made Unicorn memory.
  bool fault_in(GuestAddr addr, MemAccess access);

  // Guest memory as the Linux layer sees it (copy_from_user/copy_to_user):
  // false if any byte is unmapped or not accessible that way.
  bool read(GuestAddr addr, void* out, std::uint64_t len);
  bool write(GuestAddr addr, const void* in, std::uint64_t len);
  bool read_string(GuestAddr addr, std::string& out, std::size_t max = 4096);
  // Reads without changing any state (for views and dumps); false if unmapped.
  bool peek(GuestAddr addr, void* out, std::uint64_t len);

  // Told of every write the Linux layer makes, before it lands (watchpoints,
  // effect display: Unicorn's write hook does not see uc_mem_write).
  std::function<void(GuestAddr, std::uint64_t)> before_kernel_write;

  std::uint64_t materialized_bytes() const;

 private:
  bool allows(std::uint32_t prot, MemAccess a) const;
  bool ensure(GuestAddr addr, std::uint64_t len, MemAccess a);
  void materialize(GuestAddr start, GuestAddr end, std::uint32_t prot);
  void dematerialize(GuestAddr start, GuestAddr end);
  void split_at(GuestAddr addr);

  UnicornEngine& uc_;
  std::map<GuestAddr, Mapping> maps_;            // keyed by start
  std::map<GuestAddr, GuestAddr> materialized_;  // Unicorn regions: start -> end
};

}  // namespace gostep
