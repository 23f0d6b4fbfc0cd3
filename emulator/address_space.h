// The guest's memory map, kept in gostep's own table (like the kernel's VMAs).
// gostep owns the bytes of every mapping: host memory reserved without
// commitment (host_memory.h), so a mapping costs what the guest touches. Each
// mapping the guest can access is one Unicorn region over those same bytes
// (uc_mem_map_ptr); PROT_NONE mappings are not given to Unicorn at all, so an
// access there is a fault, as on Linux. The table and Unicorn's regions are
// split at the same places and never merged, so they stay one to one
// (docs/ARCHITECTURE.md, "Guest memory").
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
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
  std::uint8_t* host = nullptr;  // gostep's bytes of [start, end)
  bool ever_accessible = false;  // could the guest ever have touched it?
};

// Linux's layout with address randomisation off.
inline constexpr GuestAddr kStackTop = 0x7ffffffff000ULL;
inline constexpr std::uint64_t kStackSize = 8ULL << 20;  // RLIMIT_STACK
inline constexpr GuestAddr kMmapBase = 0x7ffff7fff000ULL;
inline constexpr GuestAddr kMmapMin = 0x10000ULL;

// Unicorn 2.0.1 slows down with every region (each map rebuilds its memory
// view) and aborts near 4,096 of them (docs/TRAPS.md): beyond this many
// accessible mappings, mmap, mprotect and munmap fail with ENOMEM, as Linux's
// do beyond vm.max_map_count.
inline constexpr std::size_t kMaxRegions = 1024;

class AddressSpace {
 public:
  explicit AddressSpace(UnicornEngine& uc, std::size_t max_regions = kMaxRegions)
      : uc_(uc), max_regions_(static_cast<long>(max_regions)) {}
  ~AddressSpace();
  AddressSpace(const AddressSpace&) = delete;
  AddressSpace& operator=(const AddressSpace&) = delete;

  // Adds a mapping (replacing whatever overlaps it), zero-filled, or starting
  // with `contents` from `contents_offset`. The mman calls: false means ENOMEM
  // (the host refused the reservation, or kMaxRegions), and nothing changed.
  bool map_fixed(GuestAddr start, std::uint64_t len, std::uint32_t prot, std::string name,
                 const std::vector<std::uint8_t>* contents = nullptr, std::uint64_t contents_offset = 0);
  bool unmap(GuestAddr start, std::uint64_t len);
  bool protect(GuestAddr start, std::uint64_t len, std::uint32_t prot);
  // Drops the contents (MADV_DONTNEED on private anonymous memory: reads as
  // zero) and gives the memory back to the host.
  void discard(GuestAddr start, std::uint64_t len);

  // Free gap for an mmap without MAP_FIXED: the hint if free, else top-down.
  std::optional<GuestAddr> find_free(GuestAddr hint, std::uint64_t len) const;
  bool is_free(GuestAddr start, std::uint64_t len) const;
  const Mapping* find(GuestAddr addr) const;
  std::vector<Mapping> mappings() const;

  // Guest memory as the Linux layer sees it (copy_from_user/copy_to_user):
  // false if any byte is unmapped or not accessible that way.
  bool read(GuestAddr addr, void* out, std::uint64_t len);
  bool write(GuestAddr addr, const void* in, std::uint64_t len);
  bool read_string(GuestAddr addr, std::string& out, std::size_t max = 4096);
  // Reads for views and dumps; false if unmapped. It touches nothing: a page
  // the guest never touched reads as zeros without becoming memory, so looking
  // never changes touched_bytes().
  bool peek(GuestAddr addr, void* out, std::uint64_t len) const;

  // Told of every write the Linux layer makes, before it lands (watchpoints,
  // effect display: Unicorn's write hook does not see these writes).
  std::function<void(GuestAddr, std::uint64_t)> before_kernel_write;
  // Called when executable memory goes away (its translated code is dropped).
  std::function<void(GuestAddr begin, GuestAddr end)> on_code_dropped;

  // Guest memory that holds memory now: pages touched (read or written, by the
  // guest or the Linux layer) and not discarded or unmapped since. The same on
  // every host (huge pages are off for guest memory); a host that swaps guest
  // pages out would count less. Costs a mincore over the accessible mappings.
  std::uint64_t touched_bytes() const;
  // Unicorn regions (accessible mappings).
  std::size_t regions() const { return regions_; }

  // For time travel (docs/ARCHITECTURE.md, "Guest memory"): every mapping with
  // gostep's bytes of it, in address order...
  void for_each_mapping(const std::function<void(const Mapping&, std::span<std::uint8_t>)>& fn) const;
  // ...and back to a table taken earlier with mappings(): a mapping that is
  // still the same (bounds and bytes) keeps its bytes and gets its protection
  // back; every other one is unmapped, and the saved ones mapped again
  // zero-filled, for the caller to fill. Unicorn's regions follow.
  bool restore_table(const std::vector<Mapping>& table);

 private:
  static bool allows(std::uint32_t prot, MemAccess a);
  const Mapping* checked(GuestAddr addr, MemAccess a) const;
  bool access(GuestAddr addr, std::uint64_t len, MemAccess a, const std::function<void(std::uint8_t*, std::uint64_t)>& fn);
  void split_at(GuestAddr addr);
  long regions_after(GuestAddr start, GuestAddr end, std::optional<std::uint32_t> new_prot, bool add_new) const;
  void remove_range(GuestAddr start, GuestAddr end);
  void to_unicorn(const Mapping& m);
  void from_unicorn(const Mapping& m);

  UnicornEngine& uc_;
  std::map<GuestAddr, Mapping> maps_;  // keyed by start
  long max_regions_;
  std::size_t regions_ = 0;
};

}  // namespace gostep
