#include "examine.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstring>

#include "tools/text_util.h"
#include "value_format.h"

namespace gostep {
namespace {

using json = nlohmann::ordered_json;

std::string hex(std::uint64_t v) { return fmt::format("{:#x}", v); }

std::string quote(const std::vector<std::uint8_t>& b, bool more) { return quote_bytes(b, more); }

}  // namespace

std::vector<std::string> code_names(engine::Target& t) {
  std::vector<std::string> out;
  for (const auto& sym : t.session().image().symbols) {
    if (!sym.is_function) continue;
    std::string n = sym.name;
    if (n.size() > 5 && n.compare(n.size() - 5, 5, ".abi0") == 0) n.resize(n.size() - 5);
    out.push_back(n);
  }
  return out;
}

std::vector<std::string> data_names(engine::Target& t) {
  std::vector<std::string> out = {"g0", "m0", "sched", "allp", "allgs", "allm", "curg"};
  if (const auto* dw = t.session().dwarf())
    for (const auto& v : dw->variables()) out.push_back(v.name);
  return out;
}

// "runtime.settls.abi0+14" (decimal, as gdb writes <sym+off>), or empty.
std::string code_label(engine::Target& t, GuestAddr a) {
  const auto f = t.symbols().function_at(a);
  if (!f) return "";
  return f->offset ? fmt::format("{}+{}", f->name, f->offset) : f->name;
}

// What is at `a`: a function and offset, a global (at its start) or its field, or empty.
std::string symbolic(engine::Target& t, GuestAddr a) {
  if (!a) return "";
  std::string c = code_label(t, a);
  if (!c.empty()) return c;
  if (const auto* dw = t.session().dwarf())
    if (const auto v = dw->variable_at(a); v && v->addr == a) return v->name;
  return t.symbols().describe_data(a).value_or("");
}

std::size_t decode_for_listing(const Disassembler& dis, const std::uint8_t* code, std::size_t len, GuestAddr addr,
                               std::string& text) {
  const auto in = dis.decode(std::span<const std::uint8_t>(code, len), addr);
  if (!in) {
    text = "(bad)";
    return 0;
  }
  text = in->operands.empty() ? in->mnemonic : fmt::format("{:<6} {}", in->mnemonic, in->operands);
  return in->size;
}

// gdb names a branch's target: "jbe    0x45edf8 <runtime.settls.abi0+56>".
std::string with_target(engine::Target& t, const std::string& text) {
  if (text.empty() || (text[0] != 'j' && text.rfind("call", 0) != 0)) return text;
  const auto sp = text.rfind(' ');
  if (sp == std::string::npos || text.compare(sp + 1, 2, "0x") != 0) return text;
  std::uint64_t target = 0;
  const char* b = text.data() + sp + 3;
  const auto [p, ec] = std::from_chars(b, text.data() + text.size(), target, 16);
  if (ec != std::errc() || p != text.data() + text.size()) return text;
  const std::string name = code_label(t, target);
  return name.empty() ? text : text + " <" + name + ">";
}

// Up to 16 bytes of code at `addr`, fewer at the end of a mapping.
std::size_t read_code(engine::Target& t, GuestAddr addr, std::uint8_t (&buf)[16]) {
  for (std::size_t n = sizeof buf; n > 0; --n)
    if (t.read_memory(addr, buf, n)) return n;
  return 0;
}

static constexpr const char* kXFormats = "xduotacsiz";

// "8gx", "s", "3i": count, then format and size letters in any order.
model::Result<XFormat> parse_xformat(const std::string& s, char last_fmt, char last_size) {
  XFormat f;
  f.fmt = last_fmt;
  f.size = last_size;
  std::size_t i = 0;
  while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
  if (i) {
    const auto [p, ec] = std::from_chars(s.data(), s.data() + i, f.count);
    if (ec != std::errc()) return model::Error{fmt::format("Invalid number \"{}\".", s.substr(0, i))};
  }
  for (; i < s.size(); ++i) {
    const char c = s[i];
    if (c == 'b' || c == 'h' || c == 'w' || c == 'g') {
      f.size = c;
      f.size_given = true;
    } else if (std::strchr(kXFormats, c) && c) {
      f.fmt = c;
      f.fmt_given = true;
    } else if (std::isdigit(static_cast<unsigned char>(c))) {
      return model::Error{fmt::format("Invalid format \"/{}\": the count comes first (x/8gx)", s)};
    } else {
      return model::Error{fmt::format("Undefined output format \"{}\". Formats: x d u o t a c s i z; "
                                      "sizes: b h w g (x/8gx, x/4bx, x/s, x/3i)", c)};
    }
  }
  if (!f.size_given) {
    if (f.fmt == 'a') f.size = 'g';
    else if (f.fmt == 'c') f.size = 'b';
  }
  if (f.count > 4096) return model::Error{fmt::format("x shows at most 4096 units at a time, not {}", f.count)};
  return f;
}

static std::uint64_t unit_bytes(char size) { return size == 'b' ? 1 : size == 'h' ? 2 : size == 'w' ? 4 : 8; }

// The widest a unit of `size` prints in format `f`.
static std::size_t unit_width(char f, std::uint64_t n) {
  switch (f) {
    case 'x':
    case 'z': return 2 + 2 * n;
    case 'd': return n == 1 ? 4 : n == 2 ? 6 : n == 4 ? 11 : 20;
    case 'u': return n == 1 ? 3 : n == 2 ? 5 : n == 4 ? 10 : 20;
    case 'o': return 2 + (8 * n + 2) / 3;
    case 't': return 8 * n;
    case 'c': return 11;
    default: return 18;
  }
}


static std::string x_label(engine::Target& t, GuestAddr a) {
  const std::string name = symbolic(t, a);
  return name.empty() ? fmt::format("{:#x}:", a) : fmt::format("{:#x} <{}>:", a, name);
}

// `label` shortened (its symbolic part) so that `rest` more columns fit in 100.
static std::string fit_label(const std::string& label, std::size_t rest) {
  if (columns(label) + rest <= kColumns) return label;
  const auto lt = label.find(" <");
  if (lt == std::string::npos) return label;
  const std::size_t room = kColumns > rest + lt + 4 ? kColumns - rest - lt - 4 : 6;
  return label.substr(0, lt) + " <" + clip(label.substr(lt + 2, label.size() - lt - 4), std::max<std::size_t>(room, 6)) +
         ">:";
}

Examined examine(engine::Target& t, bool att, const XFormat& f, GuestAddr addr, GuestAddr pc) {
  Examined r;
  r.next = addr;
    if (f.fmt == 'i') {
    const Disassembler dis(att ? Disassembler::Syntax::att : Disassembler::Syntax::intel);
    for (std::uint64_t k = 0; k < f.count; ++k) {
      std::uint8_t code[16] = {};
      const std::size_t got = read_code(t, r.next, code);
      if (!got) {
        r.error = fmt::format("Cannot access memory at address {:#x}", r.next);
        break;
      }
      std::string text;
      const std::size_t len = decode_for_listing(dis, code, got, r.next, text);
      text = with_target(t, text);
      const std::string name = code_label(t, r.next);
      std::string line = fmt::format("{}{:#x}{}: ", r.next == pc ? "=> " : "   ", r.next, name.empty() ? "" : " <" + name + ">");
      r.text += clip(line + text, kColumns) + "\n";
      r.items.push_back({{"addr", hex(r.next)}, {"insn", text}, {"current", r.next == pc}});
      r.next += len ? len : 1;
    }
    return r;
  }
  if (f.fmt == 's') {
    for (std::uint64_t k = 0; k < f.count; ++k) {
      std::vector<std::uint8_t> bytes;
      std::uint8_t c = 0;
      GuestAddr a = r.next;
      bool readable = true;
      while (bytes.size() < 200) {
        if (!t.read_memory(a, &c, 1)) {
          readable = false;
          break;
        }
        ++a;
        if (!c) break;
        bytes.push_back(c);
      }
      if (!readable && bytes.empty() && a == r.next) {
        r.error = fmt::format("Cannot access memory at address {:#x}", r.next);
        break;
      }
      const bool more = readable && c != 0 && bytes.size() == 200;
      const std::string label = x_label(t, r.next);
      const std::string q = quote(bytes, more);
      r.text += clip(fit_label(label, q.size() + 1) + " " + q, kColumns) + "\n";
      r.items.push_back({{"addr", hex(r.next)}, {"string", q}});
      r.next = a;
      if (!readable) {
        r.error = fmt::format("Cannot access memory at address {:#x}", a);
        break;
      }
    }
    return r;
  }
  const std::uint64_t n = unit_bytes(f.size);
  const std::size_t width = unit_width(f.fmt, n);
  std::size_t per_line = f.fmt == 'a' ? 1 : n <= 2 ? 8 : n == 4 ? 4 : 2;
  const std::size_t first_label = columns(x_label(t, addr));
  while (per_line > 1 && first_label + per_line * (width + 1) > kColumns) --per_line;
  for (std::uint64_t k = 0; k < f.count;) {
    const std::size_t here = static_cast<std::size_t>(std::min<std::uint64_t>(per_line, f.count - k));
    std::string line;
    std::vector<std::string> values;
    const GuestAddr line_addr = r.next;
    for (std::size_t j = 0; j < here; ++j, ++k) {
      std::uint64_t v = 0;
      if (!t.read_memory(r.next, &v, n)) {
        r.error = fmt::format("Cannot access memory at address {:#x}", r.next);
        break;
      }
      std::string shown = format_scalar(v, n, f.fmt == 'a' ? 'x' : f.fmt);
      if (f.fmt == 'x') shown = fmt::format("0x{:0{}x}", v, n * 2);  // gdb pads x's units
      if (f.fmt == 't') shown = fmt::format("{:0{}b}", v, n * 8);
      if (f.fmt == 'a') {
        const std::string name = symbolic(t, v);
        if (!name.empty()) shown += " <" + name + ">";
      }
      values.push_back(shown);
      r.items.push_back({{"addr", hex(r.next)}, {"value", shown}});
      r.next += n;
    }
    if (!values.empty()) {
      std::string body;
      for (std::size_t j = 0; j < values.size(); ++j)
        body += j + 1 < values.size() ? fmt::format(" {:<{}}", values[j], width) : " " + values[j];
      r.text += clip(fit_label(x_label(t, line_addr), columns(body)) + body, kColumns) + "\n";
    }
    if (!r.error.empty()) break;
  }
  return r;
}

// A display: "EXPR", "/x EXPR" (print's format) or "/3i EXPR" (x's).
}  // namespace gostep
