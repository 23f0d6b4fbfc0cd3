#include "address_space.h"

#include <algorithm>
#include <cstring>

namespace gostep {
namespace {
// How much of a mapping one fault makes Unicorn memory: big enough that Go's
// heap does not fault on every page, small enough that a partial unmap or
// mprotect (which makes Unicorn copy the region) stays cheap.
constexpr std::uint64_t kFaultChunk = 64 * 1024;
}  // namespace

bool AddressSpace::allows(std::uint32_t prot, MemAccess a) const {
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

void AddressSpace::split_at(GuestAddr addr) {
  auto it = maps_.upper_bound(addr);
  if (it == maps_.begin()) return;
  --it;
  Mapping& m = it->second;
  if (addr <= m.start || addr >= m.end) return;
  Mapping upper = m;
  upper.start = addr;
  m.end = addr;
  maps_.emplace(addr, upper);
}

void AddressSpace::materialize(GuestAddr start, GuestAddr end, std::uint32_t prot) {
  // Fill only the gaps of [start, end) that Unicorn does not have yet.
  GuestAddr cur = start;
  auto it = materialized_.upper_bound(start);
  if (it != materialized_.begin()) {
    auto prev = std::prev(it);
    if (prev->second > cur) cur = prev->second;
  }
  while (cur < end) {
    GuestAddr gap_end = end;
    if (it != materialized_.end() && it->first < end) gap_end = it->first;
    if (gap_end > cur) {
      uc_.map(cur, gap_end - cur, prot);
      materialized_.emplace(cur, gap_end);
    }
    if (it == materialized_.end() || it->first >= end) break;
    cur = std::max(cur, it->second);
    ++it;
  }
}

void AddressSpace::dematerialize(GuestAddr start, GuestAddr end) {
  auto it = materialized_.upper_bound(start);
  if (it != materialized_.begin()) --it;
  while (it != materialized_.end() && it->first < end) {
    const GuestAddr rs = it->first, re = it->second;
    if (re <= start) { ++it; continue; }
    const GuestAddr cs = std::max(rs, start), ce = std::min(re, end);
    uc_.unmap(cs, ce - cs);
    it = materialized_.erase(it);
    if (rs < cs) materialized_.emplace(rs, cs);
    if (ce < re) {
      it = materialized_.emplace(ce, re).first;
      ++it;
    }
  }
}

void AddressSpace::map_fixed(GuestAddr start, std::uint64_t len, std::uint32_t prot, std::string name,
                             const std::vector<std::uint8_t>* contents, std::uint64_t contents_offset) {
  unmap(start, len);
  maps_.emplace(start, Mapping{start, start + len, prot, std::move(name)});
  if (contents) {
    materialize(start, start + len, prot);
    const std::uint64_t n = std::min<std::uint64_t>(len, contents->size() - contents_offset);
    uc_.write(start, contents->data() + contents_offset, n);
  }
}

void AddressSpace::unmap(GuestAddr start, std::uint64_t len) {
  const GuestAddr end = start + len;
  split_at(start);
  split_at(end);
  for (auto it = maps_.lower_bound(start); it != maps_.end() && it->first < end;)
    it = maps_.erase(it);
  dematerialize(start, end);
}

void AddressSpace::protect(GuestAddr start, std::uint64_t len, std::uint32_t prot) {
  const GuestAddr end = start + len;
  split_at(start);
  split_at(end);
  for (auto it = maps_.lower_bound(start); it != maps_.end() && it->first < end; ++it)
    it->second.prot = prot;
  auto it = materialized_.upper_bound(start);
  if (it != materialized_.begin() && std::prev(it)->second > start) --it;
  for (; it != materialized_.end() && it->first < end; ++it) {
    const GuestAddr cs = std::max(it->first, start), ce = std::min(it->second, end);
    if (cs < ce) uc_.protect(cs, ce - cs, prot);
  }
}

void AddressSpace::discard(GuestAddr start, std::uint64_t len) { dematerialize(start, start + len); }

bool AddressSpace::fault_in(GuestAddr addr, MemAccess access) {
  const Mapping* m = find(addr);
  if (!m || !allows(m->prot, access)) return false;
  const GuestAddr chunk = addr & ~(kFaultChunk - 1);
  materialize(std::max(m->start, chunk), std::min(m->end, chunk + kFaultChunk), m->prot);
  return true;
}

bool AddressSpace::ensure(GuestAddr addr, std::uint64_t len, MemAccess a) {
  if (len == 0) return true;
  if (addr + len < addr) return false;
  for (GuestAddr p = page_down(addr); p < addr + len; p += kPageSize) {
    const Mapping* m = find(p);
    if (!m || !allows(m->prot, a)) return false;
    auto it = materialized_.upper_bound(p);
    const bool have = it != materialized_.begin() && std::prev(it)->second > p;
    if (!have) fault_in(p, a);
  }
  return true;
}

bool AddressSpace::read(GuestAddr addr, void* out, std::uint64_t len) {
  if (!ensure(addr, len, MemAccess::read)) return false;
  if (len) uc_.read(addr, out, len);
  return true;
}

bool AddressSpace::write(GuestAddr addr, const void* in, std::uint64_t len) {
  if (!ensure(addr, len, MemAccess::write)) return false;
  if (len) {
    if (before_kernel_write) before_kernel_write(addr, len);
    uc_.write(addr, in, len);
  }
  return true;
}

bool AddressSpace::read_string(GuestAddr addr, std::string& out, std::size_t max) {
  out.clear();
  char c = 0;
  while (out.size() < max) {
    if (!read(addr + out.size(), &c, 1)) return false;
    if (c == 0) return true;
    out.push_back(c);
  }
  return false;
}

bool AddressSpace::peek(GuestAddr addr, void* out, std::uint64_t len) {
  auto* dst = static_cast<std::uint8_t*>(out);
  while (len) {
    if (!find(addr)) return false;
    const std::uint64_t n = std::min(len, page_down(addr) + kPageSize - addr);
    auto it = materialized_.upper_bound(addr);
    if (it != materialized_.begin() && std::prev(it)->second > addr)
      uc_.read(addr, dst, n);
    else
      std::memset(dst, 0, n);
    dst += n;
    addr += n;
    len -= n;
  }
  return true;
}

std::uint64_t AddressSpace::materialized_bytes() const {
  std::uint64_t n = 0;
  for (const auto& [s, e] : materialized_) n += e - s;
  return n;
}

}  // namespace gostep
