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
  // The same from bytes already read (children of an aggregate, a variable in
  // registers). Go's kinds (strings, slices, maps, chans, interfaces, funcs, pointers
  // to a program's structs) read what they point at too, into `reads` when given.
  Value decode(const std::string& type, const std::uint8_t* data, std::uint64_t size, GuestAddr addr,
               int depth, std::vector<Range>* reads = nullptr) const;
  // The same without Go's kinds: a string is {str, len} (a value some of whose pieces
  // are optimized out cannot follow its pointers).
  Value decode_plain(const std::string& type, const std::uint8_t* data, std::uint64_t size) const {
    plain_ = true;
    Value v = decode(type, data, size, 0, 0, nullptr);
    plain_ = false;
    return v;
  }
  // Names code addresses (a func value's target); without it funcs show no name.
  void set_code_names(std::function<std::string(GuestAddr)> fn) { code_name_ = std::move(fn); }
  // Reads a closure's captured variables (engine/closure.h): code, object.
  using CapturedFn = std::function<std::vector<Value>(GuestAddr, GuestAddr, std::vector<Range>*)>;
  void set_captured(CapturedFn fn) { captured_ = std::move(fn); }
  // The name of the Go type whose runtime._type is at `addr` ("main.rect", "*main.node"),
  // read as reflect does (nameOff from moduledata.types); "" when it cannot be read.
  std::string runtime_type_name(GuestAddr addr, std::vector<Range>* reads) const;
  // The pointee of a pointer-like type ("*runtime.g" -> "runtime.g", "runtime.guintptr" -> "runtime.g"), or "".
  std::string pointee_of(const std::string& type) const;
  // Names a scalar by a runtime constant when the field is one the runtime names (g.atomicstatus, p.status).
  void name_constant(const std::string& parent_type, const std::string& field, Value& v) const;

  static constexpr std::uint64_t kMaxString = 256;  // bytes of a string's text read

 private:
  // value_go.cpp: Go's kinds on top of the plain struct/pointer decode.
  void go_kind(Value& v, const model::TypeInfo& ti, int depth, std::vector<Range>* reads) const;
  void go_string(Value& v, std::vector<Range>* reads) const;
  void go_slice(Value& v, const model::TypeInfo& ti, int depth, std::vector<Range>* reads) const;
  void go_map(Value& v, const model::TypeInfo& ti, std::vector<Range>* reads) const;
  void go_chan(Value& v, const model::TypeInfo& ti, int depth, std::vector<Range>* reads) const;
  void go_interface(Value& v, int depth, std::vector<Range>* reads) const;
  void go_func(Value& v, std::vector<Range>* reads) const;
  void go_pointer(Value& v, int depth, std::vector<Range>* reads) const;
  bool peek(GuestAddr a, void* out, std::uint64_t n, std::vector<Range>* reads) const;
  Value read_into(GuestAddr at, const std::string& type, std::uint64_t size, int depth, std::vector<Range>* reads) const;
  std::uint64_t word(GuestAddr a, std::vector<Range>* reads, std::uint64_t size = 8) const;
  std::int64_t goid_of(GuestAddr g, std::vector<Range>* reads) const;

  std::function<std::string(GuestAddr)> code_name_;
  CapturedFn captured_;
  mutable bool plain_ = false;  // decode_plain: no Go kinds

  const model::DwarfInfo& dwarf_;
  const model::StatusNames* statuses_;
  PeekFn peek_;
};

// Integers by Go's name: signedness, or nullopt for a non-integer name.
std::optional<bool> integer_signedness(const std::string& type);

}  // namespace gostep::engine
