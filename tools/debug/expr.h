// Expressions of DESIGN.md ("Expressions"): registers ($rax, $pc, $sp,
// $fs_base), runtime paths (g0.stack.lo, m0.tls[0], allp[0].runnext,
// sched.runqsize, g(1).sched.sp, curg.goid), Go globals (runtime.ncpu),
// *ADDR (8 bytes), *ADDR@LEN, integer literals, == != < > <= >= + - && ||.
// Paths are typed by the binary's DWARF; pointers are followed as Go does.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "runtime_model/result.h"
#include "session/session.h"

namespace gostep {

struct ExprValue {
  std::uint64_t value = 0;           // integers, pointers (the first 8 bytes of a struct)
  std::optional<GuestAddr> address;  // where it lives in guest memory, if it does
  std::uint64_t size = 8;
  std::string type;                  // DWARF type name ("uintptr", "*runtime.g"), "" for plain numbers
  bool is_struct = false;
  std::vector<std::uint8_t> bytes;   // *ADDR@LEN and structs: the raw bytes
  // Every guest range read to compute it: a watchpoint re-evaluates when one is written.
  std::vector<std::pair<GuestAddr, std::uint64_t>> reads;
};

class ExprEvaluator {
 public:
  explicit ExprEvaluator(Session& s, int tid) : s_(s), tid_(tid) {}
  model::Result<ExprValue> eval(const std::string& text);
  // "0x7ffffffeee58", a struct's fields, or *ADDR@LEN's bytes in hex.
  std::string format(const ExprValue& v, char fmt = 0) const;
  // The guest ranges the last eval() read, even if it failed.
  const std::vector<std::pair<GuestAddr, std::uint64_t>>& last_reads() const { return last_reads_; }

 private:
  std::vector<std::pair<GuestAddr, std::uint64_t>> last_reads_;
  Session& s_;
  int tid_;
};

}  // namespace gostep
