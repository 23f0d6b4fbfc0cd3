// Basic vocabulary of the emulated machine: guest addresses, pages, errors.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

namespace gostep {

// An address in the guest's (emulated) address space. Never a host pointer.
using GuestAddr = std::uint64_t;

inline constexpr std::uint64_t kPageSize = 0x1000;
constexpr std::uint64_t page_down(std::uint64_t a) { return a & ~(kPageSize - 1); }
constexpr std::uint64_t page_up(std::uint64_t a) { return (a + kPageSize - 1) & ~(kPageSize - 1); }

// A failure inside gostep itself (not the guest's): a Unicorn call that
// should not fail, an inconsistent table. Caught at the top of the program.
class EmulatorError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace gostep
