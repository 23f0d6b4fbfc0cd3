// Reads typed values out of guest memory through the binary's DWARF: the
// whole tree of a struct or array (bounded in depth and elements), pointers
// with their pointee type, and the runtime's status fields named by their
// constants (g.atomicstatus 1 is _Grunnable, p.status 1 is _Prunning).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "engine/value.h"
#include "runtime_model/dwarf_reader.h"
#include "runtime_model/go_status.h"

namespace gostep::engine {

using PeekFn = std::function<bool(GuestAddr, void*, std::uint64_t)>;

class ValueReader {
 public:
  static constexpr std::size_t kMaxElements = 16;   // array elements read as children
  static constexpr int kMaxDepth = 3;               // nested structs below the top
  static constexpr std::uint64_t kMaxBytes = 1 << 16;

  // `statuses` may be null (no runtime model).
  ValueReader(const model::DwarfInfo& dwarf, const model::StatusNames* statuses, PeekFn peek)
      : dwarf_(dwarf), statuses_(statuses), peek_(std::move(peek)) {}

  // The value of type `type` at `addr`; its reads are appended to `reads`.
  Evaluated<Value> read(GuestAddr addr, const std::string& type, std::vector<Range>& reads) const;
  // The same from bytes already read (children of an aggregate).
  Value decode(const std::string& type, const std::uint8_t* data, std::uint64_t size, GuestAddr addr,
               int depth) const;
  // The pointee of a pointer-like type ("*runtime.g" -> "runtime.g", "runtime.guintptr" -> "runtime.g"), or "".
  std::string pointee_of(const std::string& type) const;
  // Names a scalar by a runtime constant when the field is one the runtime names (g.atomicstatus, p.status).
  void name_constant(const std::string& parent_type, const std::string& field, Value& v) const;

 private:
  const model::DwarfInfo& dwarf_;
  const model::StatusNames* statuses_;
  PeekFn peek_;
};

// Integers by Go's name: signedness, or nullopt for a non-integer name.
std::optional<bool> integer_signedness(const std::string& type);

}  // namespace gostep::engine
