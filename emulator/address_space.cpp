#include "address_space.h"

#include <algorithm>
#include <cstring>

#include "host_memory.h"

namespace gostep {
namespace {

bool accessible(std::uint32_t prot) { return prot != 0; }

// x86 pages cannot be write-only or execute-only: Linux makes PROT_WRITE and
// PROT_EXEC readable too, and so must Unicorn's regions.
std::uint32_t unicorn_prot(std::uint32_t prot) { return prot ? (prot | kProtRead) : 0; }

}  // namespace

AddressSpace::~AddressSpace() {
  // Unicorn's regions point into these bytes; the engine is closed after this
  // (Process declares it first) and does not touch them while closing.
  for (auto& [s, m] : maps_) host_memory::release(m.host, m.end - m.start);
}

bool AddressSpace::allows(std::uint32_t prot, MemAccess a) {
  switch (a) {
    case MemAccess::read: return prot & (kProtRead | kProtWrite | kProtExec);
    case MemAccess::write: return prot & kProtWrite;
    case MemAccess::fetch: return prot & kProtExec;
  }
  return false;
}

const Mapping* AddressSpace::find(GuestAddr addr) const {
  auto it = maps_.upper_bound(addr);
  if (it == maps_.begin()) return nullptr;
  --it;
  return addr < it->second.end ? &it->second : nullptr;
}

std::vector<Mapping> AddressSpace::mappings() const {
  std::vector<Mapping> out;
  out.reserve(maps_.size());
  for (const auto& [s, m] : maps_) out.push_back(m);
  return out;
}

bool AddressSpace::is_free(GuestAddr start, std::uint64_t len) const {
  if (len == 0 || start + len < start) return false;
  auto it = maps_.lower_bound(start + len);
  if (it == maps_.begin()) return true;
  --it;
  return it->second.end <= start;
}

std::optional<GuestAddr> AddressSpace::find_free(GuestAddr hint, std::uint64_t len) const {
  if (len == 0) return std::nullopt;
  if (hint && hint % kPageSize == 0 && hint >= kMmapMin && hint + len <= kStackTop - kStackSize &&
      is_free(hint, len))
    return hint;
  GuestAddr hi = kMmapBase;
  for (auto it = maps_.rbegin(); it != maps_.rend(); ++it) {
    const Mapping& m = it->second;
    if (m.start >= hi) continue;
    if (m.end <= hi && hi - m.end >= len) return hi - len;
    hi = std::min(hi, m.start);
  }
  if (hi >= kMmapMin && hi - kMmapMin >= len) return hi - len;
  return std::nullopt;
}

// --------------------------------------------------------------- the table

void AddressSpace::split_at(GuestAddr addr) {
  auto it = maps_.upper_bound(addr);
  if (it == maps_.begin()) return;
  --it;
  Mapping& m = it->second;
  if (addr <= m.start || addr >= m.end) return;
  Mapping upper = m;
  upper.start = addr;
  upper.host = m.host + (addr - m.start);
  m.end = addr;
  if (accessible(m.prot)) ++regions_;  // Unicorn splits its region at the same place
  maps_.emplace(addr, std::move(upper));
}

// Regions after removing [start, end) (and, with `new_prot`, protecting it
// instead, or with `add_new`, mapping a new accessible piece there).
long AddressSpace::regions_after(GuestAddr start, GuestAddr end, std::optional<std::uint32_t> new_prot,
                                 bool add_new) const {
  long n = static_cast<long>(regions_);
  auto it = maps_.upper_bound(start);
  if (it != maps_.begin()) --it;
  for (; it != maps_.end() && it->first < end; ++it) {
    const Mapping& m = it->second;
    if (m.end <= start) continue;
    const long outside = (m.start < start) + (m.end > end);
    const long was = accessible(m.prot);
    const long inside = new_prot ? accessible(*new_prot) : 0;
    n += was * outside + inside - was;
  }
  return n + (add_new ? 1 : 0);
}

void AddressSpace::to_unicorn(const Mapping& m) {
  uc_.map_host(m.start, m.end - m.start, unicorn_prot(m.prot), m.host);
  ++regions_;
}

void AddressSpace::from_unicorn(const Mapping& m) {
  // Translated code of memory that goes away must not be found again if other
  // code appears at the same address.
  if (m.prot & kProtExec) {
    uc_.invalidate_code(m.start, m.end);
    if (on_code_dropped) on_code_dropped(m.start, m.end);
  }
  uc_.unmap(m.start, m.end - m.start);
  --regions_;
}

void AddressSpace::remove_range(GuestAddr start, GuestAddr end) {
  split_at(start);
  split_at(end);
  for (auto it = maps_.lower_bound(start); it != maps_.end() && it->first < end;) {
    const Mapping& m = it->second;
    if (accessible(m.prot)) from_unicorn(m);
    host_memory::release(m.host, m.end - m.start);
    it = maps_.erase(it);
  }
}

bool AddressSpace::map_fixed(GuestAddr start, std::uint64_t len, std::uint32_t prot, std::string name,
                             const std::vector<std::uint8_t>* contents, std::uint64_t contents_offset) {
  const GuestAddr end = start + len;
  if (regions_after(start, end, std::nullopt, accessible(prot)) > max_regions_) return false;
  std::uint8_t* host = host_memory::reserve(len);
  if (!host) return false;
  remove_range(start, end);
  if (contents && contents_offset < contents->size()) {
    const std::uint64_t n = std::min<std::uint64_t>(len, contents->size() - contents_offset);
    std::memcpy(host, contents->data() + contents_offset, n);
  }
  Mapping& m = maps_.emplace(start, Mapping{start, end, prot, std::move(name), host, accessible(prot)}).first->second;
  if (accessible(prot)) to_unicorn(m);
  return true;
}

bool AddressSpace::unmap(GuestAddr start, std::uint64_t len) {
  const GuestAddr end = start + len;
  if (regions_after(start, end, std::nullopt, false) > max_regions_) return false;
  remove_range(start, end);
  return true;
}

bool AddressSpace::protect(GuestAddr start, std::uint64_t len, std::uint32_t prot) {
  const GuestAddr end = start + len;
  if (regions_after(start, end, prot, false) > max_regions_) return false;
  split_at(start);
  split_at(end);
  for (auto it = maps_.lower_bound(start); it != maps_.end() && it->first < end; ++it) {
    Mapping& m = it->second;
    if (accessible(m.prot) && accessible(prot)) {
      uc_.protect(m.start, m.end - m.start, unicorn_prot(prot));
    } else if (accessible(m.prot)) {
      from_unicorn(m);
    }
    const bool was = accessible(m.prot);
    m.prot = prot;
    if (!was && accessible(prot)) to_unicorn(m);
    m.ever_accessible |= accessible(prot);
  }
  return true;
}

void AddressSpace::discard(GuestAddr start, std::uint64_t len) {
  const GuestAddr end = start + len;
  auto it = maps_.upper_bound(start);
  if (it != maps_.begin()) --it;
  for (; it != maps_.end() && it->first < end; ++it) {
    const Mapping& m = it->second;
    const GuestAddr s = std::max(m.start, start), e = std::min(m.end, end);
    if (s < e) host_memory::discard(m.host + (s - m.start), e - s);
  }
}

// ------------------------------------------------- the Linux layer's access

const Mapping* AddressSpace::checked(GuestAddr addr, MemAccess a) const {
  const Mapping* m = find(addr);
  return m && allows(m->prot, a) ? m : nullptr;
}

bool AddressSpace::access(GuestAddr addr, std::uint64_t len, MemAccess a,
                          const std::function<void(std::uint8_t*, std::uint64_t)>& fn) {
  if (len == 0) return true;
  if (addr + len < addr) return false;
  // Check every byte first (a failed copy_to_user writes nothing here).
  for (GuestAddr p = addr; p < addr + len;) {
    const Mapping* m = checked(p, a);
    if (!m) return false;
    p = m->end;
  }
  for (GuestAddr p = addr; p < addr + len;) {
    const Mapping* m = find(p);
    const std::uint64_t n = std::min(addr + len, m->end) - p;
    fn(m->host + (p - m->start), n);
    p += n;
  }
  return true;
}

bool AddressSpace::read(GuestAddr addr, void* out, std::uint64_t len) {
  auto* dst = static_cast<std::uint8_t*>(out);
  return access(addr, len, MemAccess::read, [&](std::uint8_t* host, std::uint64_t n) {
    std::memcpy(dst, host, n);
    dst += n;
  });
}

bool AddressSpace::write(GuestAddr addr, const void* in, std::uint64_t len) {
  for (GuestAddr p = addr; len && p < addr + len;) {
    const Mapping* m = checked(p, MemAccess::write);
    if (!m) return false;
    p = m->end;
  }
  if (len && before_kernel_write) before_kernel_write(addr, len);
  const auto* src = static_cast<const std::uint8_t*>(in);
  return access(addr, len, MemAccess::write, [&](std::uint8_t* host, std::uint64_t n) {
    std::memcpy(host, src, n);
    src += n;
  });
}

bool AddressSpace::read_string(GuestAddr addr, std::string& out, std::size_t max) {
  out.clear();
  while (out.size() < max) {
    const Mapping* m = checked(addr + out.size(), MemAccess::read);
    if (!m) return false;
    const GuestAddr at = addr + out.size();
    const std::uint64_t n = std::min<std::uint64_t>(m->end - at, max - out.size());
    const auto* p = m->host + (at - m->start);
    const auto* nul = static_cast<const std::uint8_t*>(std::memchr(p, 0, n));
    out.append(reinterpret_cast<const char*>(p), nul ? static_cast<std::size_t>(nul - p) : n);
    if (nul) return true;
  }
  return false;
}

bool AddressSpace::peek(GuestAddr addr, void* out, std::uint64_t len) const {
  auto* dst = static_cast<std::uint8_t*>(out);
  while (len) {
    const Mapping* m = find(addr);
    if (!m) return false;
    const std::uint64_t n = std::min(len, page_down(addr) + kPageSize - addr);
    const std::uint8_t* host = m->host + (addr - m->start);
    if (host_memory::page_resident(m->host + (page_down(addr) - m->start)))
      std::memcpy(dst, host, n);
    else
      std::memset(dst, 0, n);  // never touched: zeros, and it stays untouched
    dst += n;
    addr += n;
    len -= n;
  }
  return true;
}

// ------------------------------------------------------ accounting, restore

std::uint64_t AddressSpace::touched_bytes() const {
  std::uint64_t pages = 0;
  for (const auto& [s, m] : maps_)
    if (m.ever_accessible) pages += host_memory::resident_pages(m.host, m.end - m.start);
  return pages * kPageSize;
}

void AddressSpace::for_each_mapping(const std::function<void(const Mapping&, std::span<std::uint8_t>)>& fn) const {
  for (const auto& [s, m] : maps_) fn(m, std::span<std::uint8_t>(m.host, m.end - m.start));
}

bool AddressSpace::restore_table(const std::vector<Mapping>& table) {
  auto same = [](const Mapping& a, const Mapping& b) {
    return a.start == b.start && a.end == b.end && a.host == b.host;
  };
  // Drop what is not in the table any more (or not the same bytes).
  std::vector<std::pair<GuestAddr, GuestAddr>> gone;
  for (const auto& entry : maps_) {
    const Mapping& m = entry.second;  // not a structured binding: clang 14 cannot capture those
    auto it = std::find_if(table.begin(), table.end(), [&](const Mapping& t) { return t.start == m.start; });
    if (it == table.end() || !same(*it, m)) gone.emplace_back(m.start, m.end);
  }
  for (const auto& [s, e] : gone) remove_range(s, e);
  for (const Mapping& t : table) {
    auto it = maps_.find(t.start);
    if (it != maps_.end()) {
      if (it->second.prot != t.prot && !protect(t.start, t.end - t.start, t.prot)) return false;
      it->second.name = t.name;
      continue;
    }
    if (!map_fixed(t.start, t.end - t.start, t.prot, t.name)) return false;
    maps_.at(t.start).ever_accessible |= t.ever_accessible;
  }
  return true;
}

}  // namespace gostep
