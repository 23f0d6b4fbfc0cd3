#include "guest_pages.h"

#include <algorithm>
#include <cstring>

#include "host_memory.h"

namespace gostep {

GuestPages GuestPages::take(const AddressSpace& mem, const GuestPages* previous) {
  GuestPages out;
  out.table_ = mem.mappings();
  std::size_t j = 0;  // walks previous's pages alongside, both in address order
  std::vector<bool> resident;
  mem.for_each_mapping([&](const Mapping& m, std::span<std::uint8_t> bytes) {
    if (!m.ever_accessible) return;  // nothing could touch it
    host_memory::resident_map(bytes.data(), bytes.size(), resident);
    for (std::size_t i = 0; i < resident.size(); ++i) {
      if (!resident[i]) continue;
      const GuestAddr a = m.start + i * kPageSize;
      const std::uint8_t* src = bytes.data() + i * kPageSize;
      std::shared_ptr<const Page> copy;
      if (previous) {
        while (j < previous->addrs_.size() && previous->addrs_[j] < a) ++j;
        if (j < previous->addrs_.size() && previous->addrs_[j] == a &&
            std::memcmp(previous->bytes_[j]->data(), src, kPageSize) == 0)
          copy = previous->bytes_[j];
      }
      if (!copy) {
        auto fresh = std::make_shared<Page>();
        std::memcpy(fresh->data(), src, kPageSize);
        copy = std::move(fresh);
        ++out.fresh_;
      }
      out.addrs_.push_back(a);
      out.bytes_.push_back(std::move(copy));
    }
  });
  out.addrs_.shrink_to_fit();  // kept for long: the lists count against the recording's memory
  out.bytes_.shrink_to_fit();
  return out;
}

bool GuestPages::restore(AddressSpace& mem, std::vector<std::pair<GuestAddr, GuestAddr>>& code_changed) const {
  if (!mem.restore_table(table_)) return false;
  std::size_t j = 0;
  std::vector<bool> resident;
  mem.for_each_mapping([&](const Mapping& m, std::span<std::uint8_t> bytes) {
    host_memory::resident_map(bytes.data(), bytes.size(), resident);
    bool changed = false;
    // Pages touched since the checkpoint and not saved in it go back to the
    // host in runs (one madvise per run of pages).
    std::size_t run_start = 0, run_len = 0;
    auto flush = [&] {
      if (run_len) host_memory::discard(bytes.data() + run_start * kPageSize, run_len * kPageSize);
      run_len = 0;
    };
    for (std::size_t i = 0; i < resident.size(); ++i) {
      const GuestAddr a = m.start + i * kPageSize;
      while (j < addrs_.size() && addrs_[j] < a) ++j;
      std::uint8_t* dst = bytes.data() + i * kPageSize;
      if (j < addrs_.size() && addrs_[j] == a) {
        flush();
        if (!resident[i] || std::memcmp(dst, bytes_[j]->data(), kPageSize) != 0) {
          std::memcpy(dst, bytes_[j]->data(), kPageSize);
          changed = true;
        }
      } else if (resident[i]) {
        if (!run_len) run_start = i;
        ++run_len;
        changed = true;
      } else {
        flush();  // runs are of adjacent pages
      }
    }
    flush();
    if (changed && (m.prot & kProtExec)) code_changed.emplace_back(m.start, m.end);
  });
  return true;
}

std::size_t GuestPages::pages_not_in(const GuestPages& other) const {
  std::size_t n = 0, j = 0;
  for (std::size_t i = 0; i < addrs_.size(); ++i) {
    while (j < other.addrs_.size() && other.addrs_[j] < addrs_[i]) ++j;
    if (j < other.addrs_.size() && other.addrs_[j] == addrs_[i] && other.bytes_[j] == bytes_[i]) continue;
    ++n;
  }
  return n;
}

}  // namespace gostep
