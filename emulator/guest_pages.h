// The guest's memory at one moment, for time travel's checkpoints (issue 8):
// the address-space table and a copy of every page that held memory then.
// A page whose bytes did not change since the previous checkpoint is not
// copied again: both share one copy. Untouched pages are not copied at all
// (they read as zeros), so a checkpoint costs what the guest touched, and
// consecutive checkpoints cost what it wrote in between (docs/ARCHITECTURE.md,
// "Guest memory" and "Going backwards").
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include "address_space.h"

namespace gostep {

class GuestPages {
 public:
  // Copies the pages of `mem` that hold memory; those equal to `previous`'s
  // copy at the same address share it.
  static GuestPages take(const AddressSpace& mem, const GuestPages* previous);

  // Puts `mem` back as it was: the table (AddressSpace::restore_table), the
  // saved pages' bytes, and every page touched since given back to the host,
  // so that touched memory is what it was too. `code_changed` gets the
  // executable ranges whose bytes changed (their translated code is stale).
  // False when the host refused memory for a mapping.
  bool restore(AddressSpace& mem, std::vector<std::pair<GuestAddr, GuestAddr>>& code_changed) const;

  std::size_t pages() const { return addrs_.size(); }
  // What this snapshot's list of pages costs besides the copies themselves.
  std::size_t index_bytes() const {
    return addrs_.capacity() * sizeof(GuestAddr) + bytes_.capacity() * sizeof(std::shared_ptr<const Page>);
  }
  // Copies take() made rather than shared with `previous`.
  std::size_t fresh_pages() const { return fresh_; }
  // Copies held here that `other` does not share (what keeping this one costs).
  std::size_t pages_not_in(const GuestPages& other) const;

 private:
  using Page = std::array<std::uint8_t, kPageSize>;
  std::vector<Mapping> table_;
  std::vector<GuestAddr> addrs_;                  // the saved pages, in address order
  std::vector<std::shared_ptr<const Page>> bytes_;  // ...and their bytes
  std::size_t fresh_ = 0;
};

}  // namespace gostep
