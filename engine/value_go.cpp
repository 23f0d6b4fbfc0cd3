// Go's kinds read as Delve shows them, on top of the plain DWARF decode: the
// text of strings, the first elements of slices, a map's count, a channel's
// queue and the goroutines waiting on it, an interface's dynamic type and value,
// a func value's code, and what a pointer to a program's struct points at.
// Layouts come from DWARF (hchan<T>, hash<K,V>, runtime.iface/eface, itab,
// _type, sudog, waitq); names of dynamic types from the runtime's own type
// descriptors (reflect's nameOff from moduledata.types), so they work for any type.
#include <fmt/format.h>

#include <algorithm>
#include <cstring>

#include "engine/value_reader.h"

namespace gostep::engine {
namespace {

// runtime/typekind.go (go1.19)
constexpr std::uint8_t kKindDirectIface = 1 << 5;
// runtime/type.go: tflagExtraStar, the name has a '*' to drop.
constexpr std::uint8_t kTflagExtraStar = 1 << 1;

const Value* child(const Value& v, const char* name) {
  for (const auto& c : v.children)
    if (c.name == name) return &c;
  return nullptr;
}

}  // namespace

bool ValueReader::peek(GuestAddr a, void* out, std::uint64_t n, std::vector<Range>* reads) const {
  if (reads) reads->emplace_back(a, n);
  return a != 0 && peek_(a, out, n);
}

std::uint64_t ValueReader::word(GuestAddr a, std::vector<Range>* reads, std::uint64_t size) const {
  std::uint64_t w = 0;
  if (!peek(a, &w, std::min<std::uint64_t>(size, 8), reads)) return 0;
  return w;
}

std::int64_t ValueReader::goid_of(GuestAddr g, std::vector<Range>* reads) const {
  const auto f = dwarf_.field("runtime.g", "goid");
  if (!f || !g) return -1;
  return static_cast<std::int64_t>(word(g + f->offset, reads));
}

std::string ValueReader::runtime_type_name(GuestAddr t, std::vector<Range>* reads) const {
  const auto str = dwarf_.field("runtime._type", "str");
  const auto tflag = dwarf_.field("runtime._type", "tflag");
  const auto md = dwarf_.variable("runtime.firstmoduledata");
  const auto types = dwarf_.field("runtime.moduledata", "types");
  if (!t || !str || !tflag || !md || !types) return "";
  const std::uint64_t base = word(md->addr + types->offset, reads);
  const auto off = static_cast<std::int32_t>(word(t + str->offset, reads, 4));
  const auto flags = static_cast<std::uint8_t>(word(t + tflag->offset, reads, 1));
  if (!base || off <= 0) return "";
  // runtime/type.go name: a flag byte, a varint length, the bytes.
  std::uint8_t head[11] = {};
  const GuestAddr at = base + static_cast<std::uint64_t>(off);
  if (!peek(at, head, sizeof head, reads)) return "";
  std::uint64_t len = 0;
  std::size_t i = 1;
  for (int shift = 0; i < sizeof head; ++i, shift += 7) {
    len |= static_cast<std::uint64_t>(head[i] & 0x7f) << shift;
    if (!(head[i] & 0x80)) break;
  }
  ++i;
  if (len == 0 || len > 1024) return "";
  std::string name(len, '\0');
  if (!peek(at + i, name.data(), len, reads)) return "";
  if ((flags & kTflagExtraStar) && name[0] == '*') name.erase(0, 1);
  return name;
}

void ValueReader::go_kind(Value& v, const model::TypeInfo& ti, int depth, std::vector<Range>* reads) const {
  namespace k = model::go_kind;
  switch (ti.go_kind) {
    case k::kString: return go_string(v, reads);
    case k::kSlice: return go_slice(v, ti, depth, reads);
    case k::kMap: return go_map(v, ti, reads);
    case k::kChan: return go_chan(v, ti, depth, reads);
    case k::kInterface: return go_interface(v, depth, reads);
    case k::kFunc: return go_func(v, reads);
    case k::kPtr: return go_pointer(v, depth, reads);
    default: return;
  }
}

void ValueReader::go_string(Value& v, std::vector<Range>* reads) const {
  const Value* str = child(v, "str");
  const Value* len = child(v, "len");
  if (!str || !len || v.kind != ValueKind::structure) return;
  v.kind = ValueKind::string;
  v.length = len->bits;
  v.bits = str->bits;
  const std::uint64_t n = std::min(len->bits, kMaxString);
  v.bytes.assign(n, 0);
  if (n && !peek(str->bits, v.bytes.data(), n, reads)) v.bytes.clear();
}

void ValueReader::go_slice(Value& v, const model::TypeInfo& ti, int depth, std::vector<Range>* reads) const {
  const Value* array = child(v, "array");
  const Value* len = child(v, "len");
  const Value* cap = child(v, "cap");
  if (!array || !len || !cap || v.kind != ValueKind::structure) return;
  v.kind = ValueKind::slice;
  v.bits = array->bits;
  v.length = len->bits;
  v.capacity = cap->bits;
  v.children.clear();
  const std::string elem = !ti.go_elem.empty() ? ti.go_elem : ti.name.substr(2);
  const auto et = dwarf_.type(elem);
  const std::uint64_t es = et ? et->size : 8;
  if (depth > kMaxDepth || !v.bits || !es) return;
  const std::uint64_t n = std::min<std::uint64_t>(v.length, kMaxElements);
  std::vector<std::uint8_t> buf(n * es);
  if (n == 0 || !peek(v.bits, buf.data(), buf.size(), reads)) return;
  for (std::uint64_t i = 0; i < n; ++i) {
    Value c = decode(elem, buf.data() + i * es, es, v.bits + i * es, depth + 1, reads);
    c.name = fmt::format("[{}]", i);
    v.children.push_back(std::move(c));
  }
}

void ValueReader::go_map(Value& v, const model::TypeInfo& ti, std::vector<Range>* reads) const {
  v.kind = ValueKind::map;
  const std::string hmap = v.pointee.empty() ? ti.elem_type : v.pointee;
  const auto count = dwarf_.field(hmap, "count");
  if (v.bits && count) v.length = word(v.bits + count->offset, reads);
}

void ValueReader::go_chan(Value& v, const model::TypeInfo& ti, int depth, std::vector<Range>* reads) const {
  v.kind = ValueKind::chan;
  const std::string hchan = v.pointee.empty() ? ti.elem_type : v.pointee;
  if (!v.bits) return;
  auto field = [&](const char* path) -> std::uint64_t {
    const auto f = dwarf_.field(hchan, path);
    return f ? word(v.bits + f->offset, reads, f->size) : 0;
  };
  v.length = field("qcount");
  v.capacity = field("dataqsiz");
  v.closed = field("closed") != 0;
  // The queue: a ring of dataqsiz elements from recvx (runtime/chan.go).
  const std::uint64_t buf = field("buf"), recvx = field("recvx");
  const auto et = dwarf_.type(ti.go_elem);
  const std::uint64_t es = et ? et->size : field("elemsize");
  if (depth <= kMaxDepth && buf && es && v.capacity && !ti.go_elem.empty()) {
    for (std::uint64_t i = 0; i < std::min<std::uint64_t>(v.length, kMaxElements); ++i) {
      const GuestAddr at = buf + ((recvx + i) % v.capacity) * es;
      auto e = read_into(at, ti.go_elem, es, depth + 1, reads);
      e.name = fmt::format("[{}]", i);
      v.children.push_back(std::move(e));
    }
  }
  // Waiting goroutines: waitq{first, last *sudog}, each sudog with g and next.
  const auto sg_g = dwarf_.field("runtime.sudog", "g"), sg_next = dwarf_.field("runtime.sudog", "next");
  for (auto [path, out] : {std::pair{"recvq.first", &v.recv_waiting}, std::pair{"sendq.first", &v.send_waiting}}) {
    std::uint64_t sg = field(path);
    for (int n = 0; sg && sg_g && sg_next && n < 64; ++n) {
      out->push_back(goid_of(word(sg + sg_g->offset, reads), reads));
      sg = word(sg + sg_next->offset, reads);
    }
  }
}

void ValueReader::go_interface(Value& v, int depth, std::vector<Range>* reads) const {
  if (v.kind != ValueKind::structure || v.children.size() != 2) return;
  const bool empty = v.children[0].name == "_type";  // runtime.eface; else iface with tab
  const std::uint64_t first = v.children[0].bits, data = v.children[1].bits;
  v.kind = ValueKind::interface;
  v.children.clear();
  v.bits = first;
  if (!first) return;  // nil
  std::uint64_t type = first;
  if (!empty) {
    const auto itab_type = dwarf_.field("runtime.itab", "_type");
    type = itab_type ? word(first + itab_type->offset, reads) : 0;
  }
  v.dynamic_type = runtime_type_name(type, reads);
  const auto kind = dwarf_.field("runtime._type", "kind");
  const bool direct = kind && (word(type + kind->offset, reads, 1) & kKindDirectIface);
  const auto dt = v.dynamic_type.empty() ? std::nullopt : dwarf_.type(v.dynamic_type);
  Value d;
  if (!dt) {  // no DWARF type by that name: the data word, as a pointer
    d.kind = ValueKind::pointer;
    d.type = "unsafe.Pointer";
    d.pointee = "unsafe.Pointer";
    d.bits = data;
  } else if (direct) {  // pointer-shaped: the data word is the value
    std::uint8_t b[8];
    std::memcpy(b, &data, 8);
    d = decode(v.dynamic_type, b, std::min<std::uint64_t>(dt->size ? dt->size : 8, 8), 0, depth + 1, reads);
    d.address.reset();
  } else {
    d = read_into(data, v.dynamic_type, dt->size, depth + 1, reads);
  }
  d.name = "data";
  v.children.push_back(std::move(d));
}

void ValueReader::go_func(Value& v, std::vector<Range>* reads) const {
  v.kind = ValueKind::func;
  if (!v.bits) return;
  const std::uint64_t code = word(v.bits, reads);  // funcval.fn
  if (code_name_ && code) v.function = code_name_(code);
  if (captured_ && code) v.children = captured_(code, v.bits, reads);
}

void ValueReader::go_pointer(Value& v, int depth, std::vector<Range>* reads) const {
  // Follow pointers to a program's own structs (`*main.node {val: 3, next: ...}`);
  // the runtime's (*runtime.m) stay addresses, as the runtime views show them.
  if (v.kind != ValueKind::pointer || !v.bits || depth > kMaxDepth - 1) return;
  if (v.pointee.rfind("runtime.", 0) == 0 || v.pointee.rfind("internal/", 0) == 0 || v.pointee == "unsafe.Pointer")
    return;
  const auto pt = dwarf_.type(v.pointee);
  if (!pt || pt->kind != model::TypeKind::kStruct || pt->size == 0 || pt->size > kMaxBytes) return;
  Value target = read_into(v.bits, v.pointee, pt->size, depth + 1, reads);
  if (target.kind == ValueKind::integer && target.bits == 0 && target.type.empty()) return;
  target.name = "*";
  v.children.push_back(std::move(target));
}

Value ValueReader::read_into(GuestAddr at, const std::string& type, std::uint64_t size, int depth,
                             std::vector<Range>* reads) const {
  std::vector<std::uint8_t> b(std::clamp<std::uint64_t>(size, 1, kMaxBytes));
  Value v;
  if (!peek(at, b.data(), b.size(), reads)) {
    v.type = type;
    v.address = at;
    v.elided = true;  // unreadable: shown as its address
    v.kind = ValueKind::structure;
    return v;
  }
  return decode(type, b.data(), b.size(), at, depth, reads);
}

}  // namespace gostep::engine
