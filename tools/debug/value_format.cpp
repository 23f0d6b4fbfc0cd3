#include "value_format.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>

namespace gostep {
namespace {

using engine::Value;
using engine::ValueKind;

constexpr std::size_t kMaxText = 6000;  // characters of one value before "..."
constexpr std::uint64_t kMaxString = 200;

std::string natural_scalar(const Value& v) {
  if (!v.constant.empty()) return v.constant;
  switch (v.kind) {
    case ValueKind::boolean: return v.bits ? "true" : "false";
    case ValueKind::pointer: return v.bits ? fmt::format("{:#x}", v.bits) : "nil";
    default: break;
  }
  if (v.type == "float64" && v.size == 8) {
    double d = 0;
    std::memcpy(&d, &v.bits, 8);
    return fmt::format("{}", d);
  }
  if (v.type == "float32" && v.size == 4) {
    float f = 0;
    const auto b = static_cast<std::uint32_t>(v.bits);
    std::memcpy(&f, &b, 4);
    return fmt::format("{}", f);
  }
  if (v.address_like || v.type == "uintptr") return fmt::format("{:#x}", v.bits);
  if (v.is_signed) return std::to_string(v.as_int());
  return std::to_string(v.bits);
}

// A Go string header {str *uint8, len int}, read from memory.
bool go_string(const Value& v, const PeekMemory& peek, std::string& out) {
  if (v.type != "string" || v.children.size() != 2) return false;
  const std::uint64_t ptr = v.children[0].bits, len = v.children[1].bits;
  std::vector<std::uint8_t> text(std::min(len, kMaxString));
  if (text.empty()) {
    out += "\"\"";
    return true;
  }
  if (!ptr || !peek(ptr, text.data(), text.size())) return false;
  out += quote_bytes(text, len > kMaxString);
  return true;
}

void format_into(const Value& v, char f, const PeekMemory& peek, std::string& out);

void format_list(const std::vector<Value>& items, std::uint64_t total, char f, const PeekMemory& peek, std::string& out) {
  out += "[";
  for (std::size_t i = 0; i < items.size(); ++i) {
    out += i ? ", " : "";
    format_into(items[i], f, peek, out);
  }
  if (total > items.size()) out += fmt::format("{}...+{} more", items.empty() ? "" : ", ", total - items.size());
  out += "]";
}

std::string goids(const std::vector<std::int64_t>& ids) {
  std::string s = "[";
  for (std::size_t i = 0; i < ids.size(); ++i) s += (i ? ", " : "") + std::to_string(ids[i]);
  return s + "]";
}

// Go's own kinds, as Delve shows them.
bool format_go(const Value& v, char f, const PeekMemory& peek, std::string& out) {
  switch (v.kind) {
    case ValueKind::string:
      out += quote_bytes(v.bytes, v.length > v.bytes.size());
      return true;
    case ValueKind::slice:
      out += fmt::format("{} len: {}, cap: {}, ", v.type, v.length,
                         v.capacity_unknown ? std::string("<optimized out>") : std::to_string(v.capacity));
      if (!v.bits && v.length == 0) out += "nil";
      else format_list(v.children, v.length, f, peek, out);
      return true;
    case ValueKind::map:
      out += v.bits ? fmt::format("{} len: {}", v.type, v.length) : v.type + " nil";
      return true;
    case ValueKind::chan:
      if (!v.bits) {
        out += v.type + " nil";
        return true;
      }
      out += fmt::format("{} {{qcount: {}, dataqsiz: {}, queue: ", v.type, v.length, v.capacity);
      format_list(v.children, v.length, f, peek, out);
      out += fmt::format("{}, recvq: {}, sendq: {}}}", v.closed ? ", closed: true" : "", goids(v.recv_waiting),
                         goids(v.send_waiting));
      return true;
    case ValueKind::interface:
      if (v.dynamic_type.empty() && !v.bits) {
        out += v.type + " nil";
        return true;
      }
      out += fmt::format("{}({}) ", v.type, v.dynamic_type.empty() ? "?" : v.dynamic_type);
      if (!v.children.empty()) format_into(v.children[0], f, peek, out);
      return true;
    case ValueKind::func:
      out += !v.bits ? "nil" : v.function.empty() ? fmt::format("{:#x}", v.bits) : v.function;
      if (!v.children.empty()) {
        out += " {";
        for (std::size_t i = 0; i < v.children.size(); ++i) {
          out += (i ? ", " : "") + v.children[i].name + ": ";
          format_into(v.children[i], f, peek, out);
        }
        out += "}";
      }
      return true;
    case ValueKind::pointer:
      if (v.children.empty() || f) return false;
      out += v.type + " ";  // a program's struct, followed: *main.node {val: 3, next: ...}
      format_into(v.children[0], f, peek, out);
      return true;
    default:
      return false;
  }
}

void format_into(const Value& v, char f, const PeekMemory& peek, std::string& out) {
  if (out.size() > kMaxText) {
    out += "...";
    return;
  }
  if (v.optimized_out && (v.kind != ValueKind::structure || v.children.empty())) {
    out += "<optimized out>";
    return;
  }
  if ((!f || f == 's' || v.kind != ValueKind::pointer) && format_go(v, f, peek, out)) return;
  switch (v.kind) {
    case ValueKind::structure: {
      if ((!f || f == 's') && go_string(v, peek, out)) return;
      if (v.elided) {
        out += "{...}";
        return;
      }
      out += "{";
      for (std::size_t i = 0; i < v.children.size(); ++i) {
        if (out.size() > kMaxText) {
          out += ", ...";
          break;
        }
        out += (i ? ", " : "") + v.children[i].name + ": ";
        format_into(v.children[i], f, peek, out);
      }
      out += "}";
      return;
    }
    case ValueKind::array: {
      if (v.elided) {
        out += "[...]";
        return;
      }
      out += "[";
      for (std::size_t i = 0; i < v.children.size(); ++i) {
        out += i ? ", " : "";
        format_into(v.children[i], f, peek, out);
      }
      if (v.length > v.children.size())
        out += fmt::format("{}...+{} more", v.children.empty() ? "" : ", ", v.length - v.children.size());
      out += "]";
      return;
    }
    case ValueKind::bytes: {
      if (f == 's') {
        out += quote_bytes(v.bytes, false);
        return;
      }
      if (!f) {  // a hex dump
        for (std::size_t i = 0; i < v.bytes.size(); ++i) out += fmt::format("{}{:02x}", i ? " " : "", v.bytes[i]);
        return;
      }
      out += "{";  // one byte per element, in the format asked for (gdb's p/x *ADDR@LEN)
      for (std::size_t i = 0; i < v.bytes.size(); ++i) out += (i ? ", " : "") + format_scalar(v.bytes[i], 1, f);
      out += "}";
      return;
    }
    case ValueKind::integer:
    case ValueKind::boolean:
    case ValueKind::pointer:
    default:
      if (!f) out += natural_scalar(v);
      else if (f == 'a') out += fmt::format("{:#x}", v.bits);
      else if (f == 's') out += natural_scalar(v);
      else out += format_scalar(v.is_signed && f == 'd' ? static_cast<std::uint64_t>(v.as_int()) : v.bits, v.size ? v.size : 8, f);
  }
}

}  // namespace

std::string format_scalar(std::uint64_t v, std::uint64_t size, char f) {
  size = std::clamp<std::uint64_t>(size, 1, 8);
  const std::uint64_t mask = size == 8 ? ~0ULL : (1ULL << (size * 8)) - 1;
  const std::uint64_t u = v & mask;
  auto as_signed = [&]() -> std::int64_t {
    if (size == 8) return static_cast<std::int64_t>(u);
    const std::uint64_t sign = 1ULL << (size * 8 - 1);
    return static_cast<std::int64_t>((u ^ sign) - sign);
  };
  switch (f) {
    case 'd': return std::to_string(as_signed());
    case 'u': return std::to_string(u);
    case 'o': return u ? fmt::format("0{:o}", u) : "0";
    case 't': return fmt::format("{:b}", u);
    case 'z': return fmt::format("0x{:0{}x}", u, size * 2);
    case 'c': {
      const unsigned char c = static_cast<unsigned char>(u & 0xFF);
      std::string ch;
      switch (c) {
        case '\n': ch = "\\n"; break;
        case '\t': ch = "\\t"; break;
        case '\r': ch = "\\r"; break;
        case '\0': ch = "\\000"; break;
        case '\'': ch = "\\'"; break;
        case '\\': ch = "\\\\"; break;
        default: ch = c >= 0x20 && c < 0x7f ? std::string(1, static_cast<char>(c)) : fmt::format("\\{:03o}", c);
      }
      return fmt::format("{} '{}'", static_cast<int>(static_cast<signed char>(c)), ch);
    }
    default: return fmt::format("{:#x}", u);
  }
}

namespace {

// The length of the valid UTF-8 sequence of a printable character at b[i], or 0:
// overlong forms, surrogates, code points past U+10FFFF and the C1 controls
// (U+0080..U+009F) are not text and are escaped byte by byte.
std::size_t printable_utf8(const std::vector<std::uint8_t>& b, std::size_t i) {
  const std::uint8_t c = b[i];
  const std::size_t n = c >= 0xC2 && c < 0xE0 ? 2 : c >= 0xE0 && c < 0xF0 ? 3 : c >= 0xF0 && c < 0xF5 ? 4 : 0;
  if (n == 0 || i + n > b.size()) return 0;
  std::uint32_t cp = c & (0x7F >> n);
  for (std::size_t k = 1; k < n; ++k) {
    if ((b[i + k] & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b[i + k] & 0x3F);
  }
  static constexpr std::uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMin[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) || cp < 0xA0) return 0;
  return n;
}

}  // namespace

std::string quote_bytes(const std::vector<std::uint8_t>& b, bool more) {
  std::string s = "\"";
  for (std::size_t i = 0; i < b.size();) {
    const std::uint8_t c = b[i];
    // A whole, valid UTF-8 sequence of a printable character stays text (Chinese included).
    if (const std::size_t n = c >= 0x80 ? printable_utf8(b, i) : 0) {
      s.append(reinterpret_cast<const char*>(b.data() + i), n);
      i += n;
      continue;
    }
    if (c == '"' || c == '\\') s += '\\', s += static_cast<char>(c);
    else if (c == '\n') s += "\\n";
    else if (c == '\t') s += "\\t";
    else if (c >= 0x20 && c < 0x7f) s += static_cast<char>(c);
    else s += fmt::format("\\x{:02x}", c);
    ++i;
  }
  s += '"';
  if (more) s += "...";
  return s;
}

std::string format_value(const Value& v, char fmt, const PeekMemory& peek) {
  std::string out;
  format_into(v, fmt, peek, out);
  return out;
}

}  // namespace gostep
