// Typed values: what an expression evaluates to (LLDB's SBValue, Delve's
// Variable). A Value is a tree: a struct has its fields, an array its first
// elements, each a Value with its Go type from DWARF. The engine never turns a
// Value into text for people: front ends format it (tools/debug/value_format),
// the JSON serializer writes it as data.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "emulator/guest.h"

namespace gostep::engine {

using Range = std::pair<GuestAddr, std::uint64_t>;  // start, length

enum class ValueKind {
  integer,    // Go's integer types, uintptr, registers, untyped constants
  boolean,
  pointer,    // *T, and the runtime's guintptr/puintptr/muintptr (pointers in all but name)
  structure,
  array,
  bytes,      // *ADDR@LEN: raw guest bytes
  // Go's own kinds (DWARF's DW_AT_go_kind), read as Delve shows them:
  string,     // `bytes` holds the first bytes of the text, `length` its length; children: str, len
  slice,      // `bits` the array pointer, `length`, `capacity`; children: the first elements
  map,        // `bits` the *hmap, `length` its count
  chan,       // `bits` the *hchan, `length` qcount, `capacity` dataqsiz; children: the queue;
              // `closed`, and the goroutines waiting to receive and to send
  interface,  // `dynamic_type` (empty: nil); children: the dynamic value, named "data"
  func,       // `bits` the *funcval, `function` its code; children: captured variables
};

struct Value {
  ValueKind kind = ValueKind::integer;
  std::string type;              // Go type: "uint32", "*runtime.g", "runtime.g", "[6]uintptr"; "" untyped
  bool is_signed = false;        // integers: whether `bits` is two's complement
  std::uint64_t size = 8;        // bytes
  std::uint64_t bits = 0;        // scalars: the value, zero-extended from `size` bytes
  std::optional<GuestAddr> address;  // where it lives in guest memory, if it does
  std::string pointee;           // pointers: the type pointed at ("runtime.g")
  std::string constant;          // a runtime constant naming this value: "_Grunnable", "_Prunning"
  bool address_like = false;     // a register or an address: people read it in hex
  std::vector<std::uint8_t> bytes;  // bytes: the raw bytes
  std::string name;              // as a child: its field name, or "[3]" for an array element
  std::vector<Value> children;   // structure: fields in order; array: the first elements
  std::uint64_t length = 0;      // array: elements in all (children may hold fewer)
  bool elided = false;           // children not read (too deep); `address` still says where
  std::vector<Range> reads;      // every guest range read to compute it (watchpoints re-check on writes there)
  bool optimized_out = false;    // DWARF has no location for it here (Go's register ABI left nothing)
  std::uint64_t capacity = 0;    // slice: cap; chan: dataqsiz
  bool capacity_unknown = false; // slice: its cap is optimized out (a variable Go kept only in part)
  std::string dynamic_type;      // interface: the type stored in it
  std::string function;          // func: the function the value calls ("main.main.func1")
  bool closed = false;           // chan: closed
  std::vector<std::int64_t> recv_waiting, send_waiting;  // chan: goroutine ids in recvq and sendq

  std::int64_t as_int() const;   // sign-extended when is_signed
  bool truthy() const { return bits != 0; }
  bool scalar() const {
    return !optimized_out && (kind == ValueKind::integer || kind == ValueKind::boolean || kind == ValueKind::pointer ||
                              kind == ValueKind::map || kind == ValueKind::chan || kind == ValueKind::func);
  }
  // Two values are the same for a watchpoint when every scalar and byte is.
  bool same_as(const Value& other) const;
};

// Why there is no value. The kind says whether waiting can cure it: a watchpoint
// on allp[0].runnext set before schedinit waits (out_of_range), one on a typo does not.
enum class EvalErrorKind {
  syntax,           // not an expression
  too_long,         // longer than the limit
  too_deep,         // nested deeper than the limit
  unknown_symbol,
  unknown_register,
  no_member,        // a struct has no such field
  not_indexable,
  not_a_struct,
  not_addressable,  // &EXPR of a value not in memory
  type_error,       // an operation the operands' types do not allow
  division_by_zero,
  bad_length,       // *ADDR@LEN with LEN out of range
  history,          // $N before N values were printed
  no_dwarf,         // needs the binary's DWARF
  no_model,         // needs the runtime model
  // Transient: the expression may have a value later.
  unreadable,       // memory not mapped
  nil_pointer,
  out_of_range,     // index past a slice's current length
  optimized_out,    // a variable with no location at this pc
  not_yet,          // the runtime has not created it yet (no goroutine N, no g in TLS)
};

struct EvalError {
  EvalErrorKind kind = EvalErrorKind::syntax;
  std::string message;  // one line, for people
  std::string symbol;   // unknown_symbol: the name, for "did you mean" suggestions
  bool transient() const {
    return kind == EvalErrorKind::unreadable || kind == EvalErrorKind::nil_pointer ||
           kind == EvalErrorKind::out_of_range || kind == EvalErrorKind::not_yet ||
           kind == EvalErrorKind::optimized_out;
  }
};

// A value or why there is none.
template <class T>
class Evaluated {
 public:
  Evaluated(T v) : v_(std::move(v)) {}            // NOLINT: implicit on purpose
  Evaluated(EvalError e) : v_(std::move(e)) {}    // NOLINT: implicit on purpose
  explicit operator bool() const { return v_.index() == 0; }
  const T& operator*() const { return std::get<0>(v_); }
  T& operator*() { return std::get<0>(v_); }
  const T* operator->() const { return &std::get<0>(v_); }
  T* operator->() { return &std::get<0>(v_); }
  const EvalError& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, EvalError> v_;
};

}  // namespace gostep::engine
