// Names of g and p statuses (the numbers in g.atomicstatus and p.status).
//
// The values come from the binary's DWARF constants, never from this file. Which
// constants are statuses is Go's naming convention in runtime2.go (go1.19): the
// const block at lines 34-103 names g statuses _G + lower-case words (_Grunnable,
// _Gscanrunning), and the one at 116-153 names p statuses _P + lower-case words
// (_Pidle). Other runtime constants that share the prefix have an upper-case letter
// after it (_GCoff, _GoidCacheBatch, _PageShift, _PCDATA_*, _PROT_*) and are left out.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "runtime_model/dwarf_reader.h"

namespace gostep::model {

class StatusNames {
 public:
  StatusNames() = default;
  explicit StatusNames(const DwarfInfo& dwarf);

  // "_Grunnable"; 0x1002 -> "_Gscanrunning"; a scan bit without its own constant
  // -> "_Gscan|_Gdead"; an unknown number -> "0x..." (hex).
  std::string g(std::uint32_t status) const;
  std::string p(std::uint32_t status) const;  // "_Prunning", or "0x..."
  bool empty() const { return g_.empty() && p_.empty(); }

 private:
  std::map<std::int64_t, std::string> g_;
  std::map<std::int64_t, std::string> p_;
  std::int64_t gscan_ = -1;  // runtime._Gscan (0x1000 in go1.19)
};

}  // namespace gostep::model
