#include "engine/value_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>

namespace gostep::engine {

std::optional<bool> integer_signedness(const std::string& t) {
  static const char* const signed_types[] = {"int", "int8", "int16", "int32", "int64", "rune"};
  static const char* const unsigned_types[] = {"uint", "uint8", "uint16", "uint32", "uint64", "uintptr", "byte"};
  for (const char* n : signed_types)
    if (t == n) return true;
  for (const char* n : unsigned_types)
    if (t == n) return false;
  return std::nullopt;
}

std::string ValueReader::pointee_of(const std::string& type) const {
  // runtime2.go: guintptr, puintptr and muintptr are uintptrs that hold a *g, *p, *m.
  if (type == "runtime.guintptr") return "runtime.g";
  if (type == "runtime.puintptr") return "runtime.p";
  if (type == "runtime.muintptr") return "runtime.m";
  if (type == "unsafe.Pointer") return "unsafe.Pointer";  // a pointer to nothing in particular
  if (auto ti = dwarf_.type(type); ti && ti->kind == model::TypeKind::kPointer) return ti->elem_type;
  if (!type.empty() && type[0] == '*') return type.substr(1);
  return "";
}

void ValueReader::name_constant(const std::string& parent_type, const std::string& field, Value& v) const {
  if (!statuses_ || !v.scalar()) return;
  if (parent_type == "runtime.g" && field == "atomicstatus") v.constant = statuses_->g(static_cast<std::uint32_t>(v.bits));
  if (parent_type == "runtime.p" && field == "status") v.constant = statuses_->p(static_cast<std::uint32_t>(v.bits));
  if (v.constant.rfind("0x", 0) == 0) v.constant.clear();  // no constant for it
}

Value ValueReader::decode(const std::string& type, const std::uint8_t* data, std::uint64_t size, GuestAddr addr,
                          int depth, std::vector<Range>* reads) const {
  Value v;
  v.type = type;
  v.size = size;
  v.address = addr;
  const auto ti = dwarf_.type(type);
  const std::string target = pointee_of(type);
  if (ti && ti->kind == model::TypeKind::kStruct) {
    v.kind = ValueKind::structure;
    if (depth > kMaxDepth && ti->go_kind != model::go_kind::kString) {  // a string is a leaf: always its text
      v.elided = true;
      return v;
    }
    for (const auto& f : ti->fields) {
      if (f.offset > size || f.size > size - f.offset) break;  // only what was read
      Value c = decode(f.type_name, data + f.offset, f.size, addr + f.offset, depth + 1, reads);
      name_constant(type, f.name, c);
      c.name = f.name;
      v.children.push_back(std::move(c));
    }
    if (ti->go_kind && !plain_) go_kind(v, *ti, depth, reads);
    return v;
  }
  if (ti && ti->kind == model::TypeKind::kArray) {
    v.kind = ValueKind::array;
    v.length = ti->count;
    if (depth > kMaxDepth) {
      v.elided = true;
      return v;
    }
    const std::uint64_t es = ti->count ? ti->size / ti->count : 0;
    for (std::uint64_t i = 0; i < ti->count && i < kMaxElements && es && (i + 1) * es <= size; ++i)
    {
      Value c = decode(ti->elem_type, data + i * es, es, addr + i * es, depth + 1, reads);
      c.name = fmt::format("[{}]", i);
      v.children.push_back(std::move(c));
    }
    return v;
  }
  const std::uint64_t n = std::clamp<std::uint64_t>(size, 1, 8);
  std::uint64_t bits = 0;
  if (size) std::memcpy(&bits, data, std::min<std::uint64_t>(n, size));
  v.bits = bits;
  v.size = n;
  if (!target.empty()) {
    v.kind = ValueKind::pointer;
    v.pointee = target;
    if (ti && ti->go_kind && !plain_) go_kind(v, *ti, depth, reads);
  } else if (ti && ti->go_kind == model::go_kind::kFunc && !plain_) {
    go_kind(v, *ti, depth, reads);
  } else if (type == "bool") {
    v.kind = ValueKind::boolean;
    v.bits &= 0xff;
  } else {
    v.kind = ValueKind::integer;
    v.is_signed = integer_signedness(type).value_or(false);
  }
  return v;
}

Evaluated<Value> ValueReader::read(GuestAddr addr, const std::string& type, std::vector<Range>& reads) const {
  const auto ti = dwarf_.type(type);
  std::uint64_t size = ti ? ti->size : 8;
  if (!ti && !pointee_of(type).empty()) size = 8;
  const std::uint64_t n = std::min<std::uint64_t>(size ? size : 1, kMaxBytes);
  std::vector<std::uint8_t> bytes(n);
  reads.emplace_back(addr, n);
  if (!peek_(addr, bytes.data(), n))
    return EvalError{EvalErrorKind::unreadable, fmt::format("Cannot access memory at address {:#x}", addr), ""};
  Value v = decode(type, bytes.data(), n, addr, 0, &reads);
  v.reads = reads;
  return v;
}

}  // namespace gostep::engine
