// Host memory that holds the bytes of guest mappings. It is reserved without
// commitment (MAP_NORESERVE): the host kernel gives a page memory when it is
// first touched, so a 10 GiB guest mapping costs what the guest touches. Huge
// pages are refused for it (MADV_NOHUGEPAGE), so that a touch costs one 4 KiB
// page on every host and "touched memory" is the same number everywhere.
#pragma once

#include <cstdint>
#include <vector>

namespace gostep::host_memory {

// Zero-filled, readable and writable; nullptr when the host refuses.
std::uint8_t* reserve(std::uint64_t len);
void release(std::uint8_t* p, std::uint64_t len);
// Zero-fills and gives the pages back to the host (MADV_DONTNEED).
void discard(std::uint8_t* p, std::uint64_t len);
// Pages of [p, p+len) that hold memory (mincore): touched, and not discarded since.
std::uint64_t resident_pages(const std::uint8_t* p, std::uint64_t len);
bool page_resident(const std::uint8_t* page);
// One flag per page of [p, p+len) (len a multiple of the page size): 1 where
// the page holds memory. One mincore call per 64 MiB, not one per page.
void resident_map(const std::uint8_t* p, std::uint64_t len, std::vector<bool>& out);

}  // namespace gostep::host_memory
