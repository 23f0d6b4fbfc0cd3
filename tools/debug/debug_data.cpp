// Looking at data, code and source as gdb shows them: print (with the value
// history $N), x/FMT, display/undisplay/info display, disassemble, list.
// Lines fit in 100 columns (DESIGN.md "Output for people").
#include <capstone/capstone.h>
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <climits>
#include <cstring>
#include <sstream>

#include "debugger.h"
#include "tools/text_util.h"
#include "expr.h"

namespace gostep {
namespace {

using json = nlohmann::ordered_json;
constexpr std::size_t kColumns = 100;

std::string hex(std::uint64_t v) { return fmt::format("{:#x}", v); }

bool all_digits(const std::string& s) {
  return !s.empty() && s.find_first_not_of("0123456789") == std::string::npos;
}

// Columns on a terminal: UTF-8 continuation bytes take none ("runtime·settls").
std::size_t columns(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

// At most `width` columns, "..." marking a cut; never splits a UTF-8 sequence.
std::string clip(const std::string& s, std::size_t width) {
  if (columns(s) <= width) return s;
  std::string out;
  std::size_t cols = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if ((c & 0xC0) != 0x80) {
      if (cols + 3 >= width) break;
      ++cols;
    }
    out += s[i];
  }
  return out + "...";
}

// One line broken at spaces into lines of at most 100 columns, the rest indented.
std::string wrap(const std::string& line) {
  std::string out, rest = line;
  while (columns(rest) > kColumns) {
    // After a ", " when there is one (between fields), else at a space.
    std::size_t cut = rest.rfind(", ", kColumns - 2);
    if (cut != std::string::npos && cut >= 20) ++cut;
    else cut = rest.rfind(' ', kColumns);
    if (cut == std::string::npos || cut < 20) break;
    out += rest.substr(0, cut) + "\n";
    rest = "    " + rest.substr(cut + 1);
  }
  return out + rest + "\n";
}

// Tabs to spaces at 4-column stops, so that widths can be counted.
std::string expand_tabs(const std::string& s) {
  std::string out;
  std::size_t col = 0;
  for (char c : s) {
    if (c == '\t') {
      do {
        out += ' ';
        ++col;
      } while (col % 4);
      continue;
    }
    if (c == '\r') continue;
    out += c;
    col += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }
  return out;
}


// Up to three of `names` close to `word` (a few typos, or a part of the name),
// as "a, b or c"; empty when none is.
std::string close_matches(const std::vector<std::string>& names, const std::string& word) {
  if (word.size() < 3) return "";  // too short to mean anything
  const std::size_t limit = std::max<std::size_t>(2, word.size() / 5);
  std::vector<std::pair<std::size_t, std::string>> scored;
  for (const auto& n : names) {
    if (n == word || n.empty()) continue;
    std::size_t d = edit_distance(word, n);
    // "ncpu" for "runtime.ncpu": the name without its package.
    if (word.find('.') == std::string::npos) {
      const auto dot = n.rfind('.');
      if (dot != std::string::npos) d = std::min(d, edit_distance(word, n.substr(dot + 1)));
    }
    if (d <= limit) scored.emplace_back(d, n);
    else if (word.size() >= 4 && n.find(word) != std::string::npos) scored.emplace_back(limit + 1 + n.size(), n);
  }
  std::sort(scored.begin(), scored.end());
  std::vector<std::string> picked;
  for (const auto& [d, n] : scored) {
    if (std::find(picked.begin(), picked.end(), n) == picked.end()) picked.push_back(n);
    if (picked.size() == 3) break;
  }
  std::string out;
  for (std::size_t i = 0; i < picked.size(); ++i) {
    if (i) out += i + 1 == picked.size() ? " or " : ", ";
    out += picked[i];
  }
  return out;
}

std::vector<std::string> code_names(Session& s) {
  std::vector<std::string> out;
  for (const auto& sym : s.image().symbols) {
    if (!sym.is_function) continue;
    std::string n = sym.name;
    if (n.size() > 5 && n.compare(n.size() - 5, 5, ".abi0") == 0) n.resize(n.size() - 5);
    out.push_back(n);
  }
  return out;
}

std::vector<std::string> data_names(Session& s) {
  std::vector<std::string> out = {"g0", "m0", "sched", "allp", "allgs", "allm", "curg"};
  if (const auto* dw = s.dwarf())
    for (const auto& v : dw->variables()) out.push_back(v.name);
  return out;
}

// "runtime.settls.abi0+14" (decimal, as gdb writes <sym+off>), or empty.
std::string code_label(Session& s, GuestAddr a) {
  const auto f = s.symbols().function_at(a);
  if (!f) return "";
  return f->offset ? fmt::format("{}+{}", f->name, f->offset) : f->name;
}

// What is at `a`: a function and offset, a global (at its start) or its field, or empty.
std::string symbolic(Session& s, GuestAddr a) {
  if (!a) return "";
  std::string c = code_label(s, a);
  if (!c.empty()) return c;
  if (const auto* dw = s.dwarf())
    if (const auto v = dw->variable_at(a); v && v->addr == a) return v->name;
  return s.symbols().describe_data(a).value_or("");
}

// A Capstone handle for one command, in the flavour `set disassembly-flavor` chose.
class Disassembler {
 public:
  explicit Disassembler(bool att) {
    ok_ = cs_open(CS_ARCH_X86, CS_MODE_64, &h_) == CS_ERR_OK;
    if (ok_ && att) cs_option(h_, CS_OPT_SYNTAX, CS_OPT_SYNTAX_ATT);
    if (ok_) insn_ = cs_malloc(h_);
  }
  ~Disassembler() {
    if (insn_) cs_free(insn_, 1);
    if (ok_) cs_close(&h_);
  }
  Disassembler(const Disassembler&) = delete;
  Disassembler& operator=(const Disassembler&) = delete;

  // The instruction at `addr`: its text ("subq   $0x28, %rsp") and length (0: undecodable).
  std::size_t decode(const std::uint8_t* code, std::size_t len, std::uint64_t addr, std::string& text) {
    const std::uint8_t* p = code;
    std::size_t n = len;
    std::uint64_t a = addr;
    if (!insn_ || !cs_disasm_iter(h_, &p, &n, &a, insn_)) {
      text = "(bad)";
      return 0;
    }
    text = insn_->op_str[0] ? fmt::format("{:<6} {}", insn_->mnemonic, insn_->op_str) : std::string(insn_->mnemonic);
    return insn_->size;
  }

 private:
  csh h_ = 0;
  bool ok_ = false;
  cs_insn* insn_ = nullptr;
};

// gdb names a branch's target: "jbe    0x45edf8 <runtime.settls.abi0+56>".
std::string with_target(Session& s, const std::string& text) {
  if (text.empty() || (text[0] != 'j' && text.rfind("call", 0) != 0)) return text;
  const auto sp = text.rfind(' ');
  if (sp == std::string::npos || text.compare(sp + 1, 2, "0x") != 0) return text;
  std::uint64_t target = 0;
  const char* b = text.data() + sp + 3;
  const auto [p, ec] = std::from_chars(b, text.data() + text.size(), target, 16);
  if (ec != std::errc() || p != text.data() + text.size()) return text;
  const std::string name = code_label(s, target);
  return name.empty() ? text : text + " <" + name + ">";
}

// Up to 16 bytes of code at `addr`, fewer at the end of a mapping.
std::size_t read_code(Session& s, GuestAddr addr, std::uint8_t (&buf)[16]) {
  for (std::size_t n = sizeof buf; n > 0; --n)
    if (s.process().memory().peek(addr, buf, n)) return n;
  return 0;
}

// gdb's value history in an expression: $N, $ (the last value), $$ (the one
// before), $$N (N back). Registers ($rax, $pc) are left alone.
model::Result<std::string> substitute_history(const std::string& text, const std::vector<ExprValue>& h) {
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    if (text[i] != '$') {
      out += text[i++];
      continue;
    }
    std::size_t j = i + 1;
    const bool back = j < text.size() && text[j] == '$';
    if (back) ++j;
    std::size_t k = j;
    while (k < text.size() && std::isdigit(static_cast<unsigned char>(text[k]))) ++k;
    const bool digits = k > j;
    const bool word_follows = k < text.size() && (std::isalnum(static_cast<unsigned char>(text[k])) || text[k] == '_');
    if (word_follows && !back) {  // a register: $rax, $pc, $fs_base
      out += text[i++];
      continue;
    }
    if (word_follows) return model::Error{fmt::format("unexpected '{}' after $$", text[k])};
    std::uint64_t n = 0;
    if (digits) std::from_chars(text.data() + j, text.data() + k, n);
    std::size_t index = 0;  // 1-based into h
    std::string shown = text.substr(i, k - i);
    if (!back && digits) {
      index = static_cast<std::size_t>(n);
      if (n == 0 || n > h.size()) return model::Error{fmt::format("History has not yet reached {}.", shown)};
    } else {
      const std::uint64_t ago = back ? (digits ? n : 1) : 0;
      if (ago >= h.size()) return model::Error{h.empty() ? "History is empty: print a value first."
                                                         : fmt::format("History has not yet reached {}.", shown)};
      index = h.size() - static_cast<std::size_t>(ago);
    }
    const ExprValue& v = h[index - 1];
    if (v.is_struct || v.type == "bytes")
      return model::Error{fmt::format("${} is a struct or a byte string: print it alone (p ${}), or a field of "
                                      "the runtime path it came from", index, index)};
    out += " " + hex(v.value) + " ";  // "$$$" must not glue two numbers into one
    i = k;
  }
  return out;
}

// An evaluator error, with close names for an unknown symbol.
std::string explain(Session& s, const std::string& expr, const std::string& err) {
  const std::string tag = "No symbol \"";
  if (err.rfind(tag, 0) != 0) return err;
  const std::size_t close = err.find('"', tag.size());
  if (close == std::string::npos) return err;
  const std::string first = err.substr(tag.size(), close - tag.size());
  // The evaluator names the first word; the user typed the whole global's name.
  std::string name = first;
  if (const auto at = expr.find(first); at != std::string::npos) {
    std::size_t e = at;
    while (e < expr.size() && (std::isalnum(static_cast<unsigned char>(expr[e])) || expr[e] == '_' || expr[e] == '.' ||
                               expr[e] == '/'))
      ++e;
    name = expr.substr(at, e - at);
  }
  const std::string sugg = close_matches(data_names(s), name);
  if (sugg.empty()) return name == first ? err : fmt::format("No symbol \"{}\" in the runtime model.{}", name,
                                                              err.substr(err.find(" in the runtime model.") + 22));
  return fmt::format("No symbol \"{}\" in the runtime model. Did you mean {}?", name, sugg);
}

// Errors that evaluating later will not cure (display refuses them, as gdb does).
bool permanent_error(const std::string& e) {
  for (const char* w : {"unexpected", "bad number", "missing", "No symbol", "no member", "unknown register", "History",
                        "bad index", "cannot be indexed", "is not a struct", "LEN must be", "not located in memory",
                        "no DWARF"})
    if (e.find(w) != std::string::npos) return true;
  return false;
}

// What print, x and display share.
struct DataContext {
  Session& s;
  int tid;
  const std::vector<ExprValue>& history;

  // EXPR, or &EXPR for where a runtime path or global lives.
  model::Result<ExprValue> evaluate(const std::string& text) const {
    // A history value alone is the value as it was printed (gdb's snapshot), type and all.
    if (const std::string t = trim(text); !t.empty() && t[0] == '$' && !history.empty()) {
      std::size_t index = 0;
      if (t == "$") index = history.size();
      else if (t == "$$" && history.size() >= 2) index = history.size() - 1;
      else if (t.size() > 1 && all_digits(t.substr(1)) && t.size() < 10) index = std::stoul(t.substr(1));
      else if (t.size() > 2 && t[1] == '$' && all_digits(t.substr(2)) && t.size() < 10 &&
               std::stoul(t.substr(2)) < history.size())
        index = history.size() - std::stoul(t.substr(2));
      if (index >= 1 && index <= history.size()) return history[index - 1];
    }
    auto sub = substitute_history(text, history);
    if (!sub) return model::Error{sub.error()};
    std::string t = trim(*sub);
    const bool address_of = t.size() > 1 && t[0] == '&' && t[1] != '&';
    if (address_of) t = trim(t.substr(1));
    ExprEvaluator ev(s, tid);
    auto v = ev.eval(t);
    if (!v) return model::Error{explain(s, t, v.error())};
    if (!address_of) return v;
    if (!v->address) return model::Error{fmt::format("Attempt to take address of value not located in memory: {}", t)};
    ExprValue p;
    p.value = *v->address;
    p.type = "*" + (v->type.empty() || v->type == "bytes" ? std::string("uint8") : v->type);
    p.reads = v->reads;
    return p;
  }
};

bool pointer_like(const ExprValue& v) {
  return v.type == "register" || (!v.type.empty() && v.type[0] == '*') ||
         v.type.find("uintptr") != std::string::npos || v.type == "unsafe.Pointer";
}

// One number in a gdb output format of `size` bytes.
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
    default: return hex(u);
  }
}

// Bytes as a C string literal; bytes outside printable ASCII as \ooo.
std::string quote(const std::vector<std::uint8_t>& b, bool more) {
  std::string s = "\"";
  for (std::uint8_t c : b) {
    if (c == '"' || c == '\\') s += '\\', s += static_cast<char>(c);
    else if (c == '\n') s += "\\n";
    else if (c == '\t') s += "\\t";
    else if (c >= 0x20 && c < 0x7f) s += static_cast<char>(c);
    else s += fmt::format("\\{:03o}", c);
  }
  s += '"';
  if (more) s += "...";
  return s;
}

// A scalar as the evaluator writes it: decimal for Go's integers, true/false, hex otherwise.
std::string natural_scalar(const std::string& type, std::uint64_t x, std::uint64_t n) {
  if (type == "bool") return x & 0xFF ? "true" : "false";
  if (type == "int" || type == "int64" || type == "int32" || type == "int16" || type == "int8")
    return format_scalar(x, n, 'd');
  if (type == "uint32" || type == "uint16" || type == "uint8") return format_scalar(x, n, 'u');
  if (type == "float64" && n == 8) {
    double d = 0;
    std::memcpy(&d, &x, 8);
    return fmt::format("{}", d);
  }
  return format_scalar(x, n, 'x');
}

// A value of DWARF type `type` from its bytes, as gdb prints it: nested structs
// and arrays in braces, Go strings quoted, at most 16 array elements.
void format_typed(Session& s, const model::DwarfInfo& dw, const std::string& type, const std::uint8_t* data,
                  std::uint64_t size, char f, int depth, std::string& out) {
  const auto ti = dw.type(type);
  if (ti && ti->kind == model::TypeKind::kStruct) {
    if (type == "string" && size >= 16 && (!f || f == 's')) {
      std::uint64_t ptr = 0, len = 0;
      std::memcpy(&ptr, data, 8);
      std::memcpy(&len, data + 8, 8);
      std::vector<std::uint8_t> text(std::min<std::uint64_t>(len, 200));
      if (text.empty()) out += "\"\"";
      else if (ptr && s.process().memory().peek(ptr, text.data(), text.size())) out += quote(text, len > 200);
      else out += fmt::format("{{str = {:#x}, len = {}}}", ptr, len);
      return;
    }
    if (depth >= 4) {
      out += "{...}";
      return;
    }
    out += "{";
    for (std::size_t i = 0; i < ti->fields.size(); ++i) {
      const auto& fl = ti->fields[i];
      if (out.size() > 6000) {
        out += ", ...";
        break;
      }
      out += (i ? ", " : "") + fl.name + " = ";
      if (fl.offset + fl.size <= size) format_typed(s, dw, fl.type_name, data + fl.offset, fl.size, f, depth + 1, out);
      else out += "<unread>";
    }
    out += "}";
    return;
  }
  if (ti && ti->kind == model::TypeKind::kArray) {
    const std::uint64_t es = ti->count ? ti->size / ti->count : 0;
    out += "{";
    for (std::uint64_t i = 0; i < ti->count && i < 16; ++i) {
      out += i ? ", " : "";
      if (es && (i + 1) * es <= size) format_typed(s, dw, ti->elem_type, data + i * es, es, f, depth + 1, out);
      else out += "<unread>";
    }
    if (ti->count > 16) out += ", ...";
    out += "}";
    return;
  }
  const std::uint64_t n = std::clamp<std::uint64_t>(size, 1, 8);
  std::uint64_t x = 0;
  if (size) std::memcpy(&x, data, n);
  out += f ? format_scalar(x, n, f) : natural_scalar(type, x, n);
}

// A value as print shows it (without the type prefix and symbol).
std::string format_value(Session& s, const ExprValue& v, char f) {
  ExprEvaluator ev(s, 0);
  if (v.type == "bytes") {
    if (!f) return ev.format(v);
    if (f == 's') return quote(v.bytes, false);
    std::string out = "{";
    for (std::size_t i = 0; i < v.bytes.size(); ++i) out += (i ? ", " : "") + format_scalar(v.bytes[i], 1, f);
    return out + "}";
  }
  if (v.is_struct) {
    const model::DwarfInfo* dw = s.dwarf();
    if (!dw || !dw->type(v.type)) return ev.format(v, f);
    std::string out;
    format_typed(s, *dw, v.type, v.bytes.data(), v.bytes.size(), f, 0, out);
    return out;
  }
  if (!f) return ev.format(v);
  if (f == 'a') return hex(v.value);
  if (f == 's') return ev.format(v);
  return format_scalar(v.value, v.size ? v.size : 8, f);
}

// ---- x/FMT ----

struct XFormat {
  std::uint64_t count = 1;
  char fmt = 'x';
  char size = 'w';
  bool size_given = false;
  bool fmt_given = false;
};

constexpr const char* kXFormats = "xduotacsiz";

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

std::uint64_t unit_bytes(char size) { return size == 'b' ? 1 : size == 'h' ? 2 : size == 'w' ? 4 : 8; }

// The widest a unit of `size` prints in format `f`.
std::size_t unit_width(char f, std::uint64_t n) {
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

struct Examined {
  std::string text;
  std::string error;
  GuestAddr next = 0;
  json items = json::array();
};

std::string x_label(Session& s, GuestAddr a) {
  const std::string name = symbolic(s, a);
  return name.empty() ? fmt::format("{:#x}:", a) : fmt::format("{:#x} <{}>:", a, name);
}

// `label` shortened (its symbolic part) so that `rest` more columns fit in 100.
std::string fit_label(const std::string& label, std::size_t rest) {
  if (columns(label) + rest <= kColumns) return label;
  const auto lt = label.find(" <");
  if (lt == std::string::npos) return label;
  const std::size_t room = kColumns > rest + lt + 4 ? kColumns - rest - lt - 4 : 6;
  return label.substr(0, lt) + " <" + clip(label.substr(lt + 2, label.size() - lt - 4), std::max<std::size_t>(room, 6)) +
         ">:";
}

Examined examine(Session& s, bool att, const XFormat& f, GuestAddr addr, GuestAddr pc) {
  Examined r;
  r.next = addr;
  auto& mem = s.process().memory();
  if (f.fmt == 'i') {
    Disassembler dis(att);
    for (std::uint64_t k = 0; k < f.count; ++k) {
      std::uint8_t code[16] = {};
      const std::size_t got = read_code(s, r.next, code);
      if (!got) {
        r.error = fmt::format("Cannot access memory at address {:#x}", r.next);
        break;
      }
      std::string text;
      const std::size_t len = dis.decode(code, got, r.next, text);
      text = with_target(s, text);
      const std::string name = code_label(s, r.next);
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
        if (!mem.peek(a, &c, 1)) {
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
      const std::string label = x_label(s, r.next);
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
  const std::size_t first_label = columns(x_label(s, addr));
  while (per_line > 1 && first_label + per_line * (width + 1) > kColumns) --per_line;
  for (std::uint64_t k = 0; k < f.count;) {
    const std::size_t here = static_cast<std::size_t>(std::min<std::uint64_t>(per_line, f.count - k));
    std::string line;
    std::vector<std::string> values;
    const GuestAddr line_addr = r.next;
    for (std::size_t j = 0; j < here; ++j, ++k) {
      std::uint64_t v = 0;
      if (!mem.peek(r.next, &v, n)) {
        r.error = fmt::format("Cannot access memory at address {:#x}", r.next);
        break;
      }
      std::string shown = format_scalar(v, n, f.fmt == 'a' ? 'x' : f.fmt);
      if (f.fmt == 'x') shown = fmt::format("0x{:0{}x}", v, n * 2);  // gdb pads x's units
      if (f.fmt == 't') shown = fmt::format("{:0{}b}", v, n * 8);
      if (f.fmt == 'a') {
        const std::string name = symbolic(s, v);
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
      r.text += clip(fit_label(x_label(s, line_addr), columns(body)) + body, kColumns) + "\n";
    }
    if (!r.error.empty()) break;
  }
  return r;
}

// A display: "EXPR", "/x EXPR" (print's format) or "/3i EXPR" (x's).
struct DisplaySpec {
  std::string format;  // without the slash
  std::string expr;
  bool examine = false;
};

DisplaySpec parse_display(const std::string& spec) {
  DisplaySpec d;
  if (spec.empty() || spec[0] != '/') {
    d.expr = spec;
    return d;
  }
  const auto sp = spec.find_first_of(" \t");
  d.format = spec.substr(1, sp == std::string::npos ? std::string::npos : sp - 1);
  d.expr = sp == std::string::npos ? "" : trim(spec.substr(sp));
  // gdb: with i, s or a unit size, a display examines memory.
  d.examine = d.format.find_first_of("isbhwg") != std::string::npos || all_digits(d.format.substr(0, 1));
  return d;
}

// print's /FMT: one format letter.
model::Result<char> parse_print_format(const std::string& s) {
  if (s.empty()) return '\0';
  if (std::isdigit(static_cast<unsigned char>(s[0])))
    return model::Error{"Item count other than 1 is meaningless in \"print\" command."};
  char f = 0;
  for (char c : s) {
    if (c == 'b' || c == 'h' || c == 'w' || c == 'g')
      return model::Error{"Size letters are meaningless in \"print\" command."};
    if (!std::strchr("xduotacsz", c) || !c)
      return model::Error{fmt::format("Undefined output format \"{}\". Formats: x d u o t a c s z (print/x $rax)", c)};
    f = c;
  }
  return f;
}

// The file of a source line, or why it cannot be shown.
std::string unreadable_note(const model::SourceLine& src) {
  const std::string& file = src.file;
  const auto slash = file.find('/');
  const std::string first = slash == std::string::npos ? file : file.substr(0, slash);
  const bool in_goroot = file.rfind("/usr/lib/go", 0) == 0 || src.full_path.rfind("/usr/lib/go", 0) == 0;
  const bool std_package = !file.empty() && file[0] != '/' && first.find('.') == std::string::npos &&
                           first != "command-line-arguments" && slash != std::string::npos;
  if (in_goroot || std_package)
    return fmt::format("{}: not readable here; install golang-1.19-src to see the runtime's source", file);
  if (!file.empty() && file[0] != '/')
    return fmt::format("{}: not available (the program was built with -trimpath)", file);
  return fmt::format("{}: cannot read it (built on another machine, or the file moved)", file);
}

// One display after a stop: "N: EXPR = VALUE", "N: x/FMT EXPR" and x's lines, or
// "N: EXPR = <not available: why>"; `j` gets the same for --json.
std::string render_display(const DataContext& ctx, bool att, GuestAddr pc, int n, const std::string& spec, json& j) {
  const DisplaySpec d = parse_display(spec);
  j = {{"number", n}, {"expr", d.expr}, {"format", d.format}};
  const std::string head = d.examine         ? fmt::format("{}: x/{} {}", n, d.format, d.expr)
                           : d.format.empty() ? fmt::format("{}: {}", n, d.expr)
                                              : fmt::format("{}: /{} {}", n, d.format, d.expr);
  const auto v = ctx.evaluate(d.expr);
  std::string why;
  if (!v) {
    why = v.error();
  } else if (d.examine) {
    const auto f = parse_xformat(d.format, 'x', 'w');
    if (!f) {
      why = f.error();
    } else {
      const GuestAddr addr = (v->is_struct || v->type == "bytes") && v->address ? *v->address : v->value;
      const Examined r = examine(ctx.s, att, *f, addr, pc);
      j["items"] = r.items;
      if (r.error.empty()) return head + "\n" + r.text;
      j["error"] = r.error;
      return head + "\n" + r.text + wrap(fmt::format("<not available: {}>", r.error));
    }
  } else {
    const auto f = parse_print_format(d.format);
    if (!f) {
      why = f.error();
    } else {
      const std::string shown = format_value(ctx.s, *v, *f);
      std::string sym;
      if (((!*f || *f == 'x') && pointer_like(*v) && !v->is_struct) || *f == 'a') sym = symbolic(ctx.s, v->value);
      j["value"] = shown;
      return wrap(fmt::format("{} = {}{}", head, shown, sym.empty() ? "" : " <" + sym + ">"));
    }
  }
  j["value"] = nullptr;
  j["error"] = why;
  return wrap(fmt::format("{} = <not available: {}>", head, why));
}

}  // namespace

// ---------------------------------------------------------------- print

void Debugger::cmd_print(const Args& a) {
  const auto f = parse_print_format(a.count_suffix);
  if (!f) return error(f.error());
  std::string text = a.rest;
  if (text.empty()) {
    if (history_.empty())
      return error("print needs an expression: $rax, $sp, g0.stack.lo, m0.tls[0], allp[0].runnext, &m0, *ADDR@LEN");
    text = "$";
  }
  const DataContext ctx{s_, selected_tid_, history_};
  const auto v = ctx.evaluate(text);
  if (!v) return error(v.error());
  history_.push_back(*v);
  history_.back().reads.clear();
  const int n = static_cast<int>(history_.size());
  const std::string shown = format_value(s_, *v, *f);
  std::string sym;
  if (((!*f || *f == 'x') && pointer_like(*v) && !v->is_struct) || *f == 'a') sym = symbolic(s_, v->value);
  const std::string prefix = !*f && !v->type.empty() && v->type[0] == '*' ? "(" + v->type + ") " : "";
  say(wrap(fmt::format("${} = {}{}{}", n, prefix, shown, sym.empty() ? "" : " <" + sym + ">")));
  result_["history"] = n;
  result_["value"] = shown;
  result_["type"] = v->type.empty() ? json(nullptr) : json(v->type);
  result_["address"] = v->address ? json(hex(*v->address)) : json(nullptr);
  result_["symbol"] = sym.empty() ? json(nullptr) : json(sym);
}

// ---------------------------------------------------------------- x

void Debugger::cmd_x(const Args& a) {
  const auto f = parse_xformat(a.count_suffix, x_format_, x_size_);
  if (!f) return error(f.error());
  GuestAddr addr = 0;
  if (a.rest.empty()) {
    if (!x_next_) return error("Argument required (starting display address): x/FMT ADDR, e.g. x/4gx $sp");
    addr = *x_next_;
  } else {
    const DataContext ctx{s_, selected_tid_, history_};
    const auto v = ctx.evaluate(a.rest);
    if (!v) return error(v.error());
    // A struct or byte string is examined where it lives; a number or pointer is the address.
    addr = (v->is_struct || v->type == "bytes") && v->address ? *v->address : v->value;
  }
  Thread* t = s_.process().thread_by_tid(selected_tid_);
  const GuestAddr pc = s_.process().regs_of(t ? *t : s_.process().current())[Reg::rip];
  const Examined r = examine(s_, att_syntax_, *f, addr, pc);
  say(r.text);
  x_next_ = r.next;
  x_format_ = f->fmt;
  if (f->fmt != 's' && f->fmt != 'i') x_size_ = f->size;
  result_["address"] = hex(addr);
  result_["format"] = fmt::format("{}{}{}", f->count, f->fmt, f->fmt == 's' || f->fmt == 'i' ? "" : std::string(1, f->size));
  result_["items"] = r.items;
  if (!r.error.empty()) error(r.error);
}

// ---------------------------------------------------------------- display

void Debugger::cmd_display(const Args& a) {
  if (a.rest.empty() && a.count_suffix.empty()) {  // also `info display`
    if (displays_.empty()) return say("There are no auto-display expressions now.\n");
    std::string s = "Auto-display expressions now in effect:\nNum Enb Expression\n";
    json list = json::array();
    for (const auto& [n, spec] : displays_) {
      const DisplaySpec d = parse_display(spec);
      const std::string shown = d.format.empty() ? d.expr : fmt::format("/{} {}", d.format, d.expr);
      s += fmt::format("{}:   y  {}\n", n, shown);
      list.push_back({{"number", n}, {"expr", d.expr}, {"format", d.format}});
    }
    say(s);
    result_["displays"] = list;
    return;
  }
  if (a.rest.empty()) return error("display needs an expression: display/i $pc, display g0.sched.sp");
  const std::string spec = a.count_suffix.empty() ? a.rest : "/" + a.count_suffix + " " + a.rest;
  const DisplaySpec d = parse_display(spec);
  if (d.examine) {
    const auto f = parse_xformat(d.format, 'x', 'w');
    if (!f) return error(f.error());
  } else {
    const auto f = parse_print_format(d.format);
    if (!f) return error(f.error());
  }
  const DataContext ctx{s_, selected_tid_, history_};
  const auto v = ctx.evaluate(d.expr);
  if (!v && permanent_error(v.error())) return error(v.error());
  displays_.emplace_back(next_display_++, spec);
  // Shown at once, as gdb does; then after every stop.
  Thread* t = s_.process().thread_by_tid(selected_tid_);
  const GuestAddr pc = s_.process().regs_of(t ? *t : s_.process().current())[Reg::rip];
  json j;
  say(render_display(ctx, att_syntax_, pc, displays_.back().first, spec, j));
  result_["display"] = j;
}

void Debugger::cmd_undisplay(const Args& a) {
  std::istringstream in(a.rest);
  std::vector<int> nums;
  std::string w;
  while (in >> w) {
    if (!all_digits(w) || w.size() > 9) return error(fmt::format("Arguments must be display numbers, not \"{}\".", w));
    nums.push_back(std::stoi(w));
  }
  if (nums.empty()) {
    displays_.clear();
    return;
  }
  for (int n : nums) {
    auto it = std::find_if(displays_.begin(), displays_.end(), [n](const auto& d) { return d.first == n; });
    if (it == displays_.end()) {
      error(fmt::format("No display number {}.", n));
      continue;
    }
    displays_.erase(it);
  }
}

void Debugger::show_displays() {
  if (displays_.empty()) return;
  json list = json::array();
  Thread* t = s_.process().thread_by_tid(selected_tid_);
  const GuestAddr pc = s_.process().regs_of(t ? *t : s_.process().current())[Reg::rip];
  const DataContext ctx{s_, selected_tid_, history_};
  for (const auto& [n, spec] : displays_) {
    json j;
    say(render_display(ctx, att_syntax_, pc, n, spec, j));
    list.push_back(j);
  }
  result_["displays"] = list;
}

// ---------------------------------------------------------------- disassemble

void Debugger::cmd_disassemble(const Args& a) {
  if (!a.count_suffix.empty() && a.count_suffix != "s" && a.count_suffix != "m" && a.count_suffix != "r")
    return error(fmt::format("Invalid disassembly modifier \"/{}\"; gostep always shows source lines (/s).", a.count_suffix));
  Thread* t = s_.process().thread_by_tid(selected_tid_);
  const GuestAddr pc = s_.process().regs_of(t ? *t : s_.process().current())[Reg::rip];
  // LOC: SYMBOL, SYMBOL+OFF, 0xADDR, FILE:LINE, milestone:NAME, or an expression ($pc, g0.sched.pc).
  auto resolve = [&](const std::string& loc) -> model::Result<GuestAddr> {
    auto l = s_.resolve(loc);
    if (l) {
      if (l->kind == Location::Kind::insn) return model::Error{"disassemble needs an address; insn:N is a moment, not a place"};
      return l->addr;
    }
    const bool expr_like = loc.find_first_of("$*()+-&") != std::string::npos || loc.find('.') != std::string::npos;
    if (expr_like) {
      const DataContext ctx{s_, selected_tid_, history_};
      if (const auto v = ctx.evaluate(loc)) return v->value;
    }
    return model::Error{l.error()};  // Session::resolve already suggests close symbols
  };
  GuestAddr lo = 0, hi = 0;
  std::string head;
  bool relative_to_function = true;
  std::uint64_t base = 0;
  if (const auto comma = a.rest.find(','); comma != std::string::npos) {
    // disassemble START,END or START,+LENGTH
    const auto start = resolve(trim(a.rest.substr(0, comma)));
    if (!start) return error(start.error());
    std::string end_text = trim(a.rest.substr(comma + 1));
    lo = *start;
    if (!end_text.empty() && end_text[0] == '+') {
      const DataContext ctx{s_, selected_tid_, history_};
      const auto len = ctx.evaluate(end_text.substr(1));
      if (!len) return error(len.error());
      hi = lo + len->value;
    } else {
      const auto end = resolve(end_text);
      if (!end) return error(end.error());
      hi = *end;
    }
    if (hi <= lo) return error(fmt::format("disassemble START,END: END ({:#x}) must be after START ({:#x})", hi, lo));
    head = fmt::format("Dump of assembler code from {:#x} to {:#x}:", lo, hi);
    relative_to_function = false;
  } else {
    GuestAddr at = pc;
    if (!a.rest.empty()) {
      const auto r = resolve(a.rest);
      if (!r) return error(r.error());
      at = *r;
    }
    const auto fn = s_.symbols().function_at(at);
    if (!fn || !fn->size)
      return error(fmt::format("No function contains the address {:#x}; try \"x/10i {:#x}\" or "
                               "\"disassemble START,+LENGTH\".", at, at));
    lo = fn->entry;
    hi = fn->entry + fn->size;
    base = fn->entry;
    head = fmt::format("Dump of assembler code for function {}:", fn->name);
    result_["function"] = fn->name;
  }
  if (hi - lo > (1u << 20)) return error("That range is over 1 MiB of code; give a smaller one.");
  // The last instruction may run past the end (START,+LENGTH): up to 15 more bytes.
  std::vector<std::uint8_t> code(hi - lo + 15);
  while (code.size() > hi - lo && !s_.process().memory().peek(lo, code.data(), code.size())) code.pop_back();
  if (!s_.process().memory().peek(lo, code.data(), code.size()))
    return error(fmt::format("Cannot access memory at address {:#x}", lo));
  Disassembler dis(att_syntax_);
  std::string s = head + "\n";
  json insns = json::array();
  std::string last_src;
  const std::size_t off_width = fmt::format("<+{}>:", hi - lo).size();
  std::size_t label_width = 0;
  if (!relative_to_function)
    for (GuestAddr at : {lo, hi - 1}) label_width = std::max(label_width, code_label(s_, at).size() + 3);
  for (GuestAddr at = lo; at < hi;) {
    std::string src_short;
    if (auto src = s_.symbols().source(at)) {
      src_short = src->short_form();
      if (src_short != last_src) {
        const auto text = sources_.line(src->full_path, src->line);
        s += clip(expand_tabs(text && !text->empty() ? src_short + "  " + *text : src_short), kColumns) + "\n";
        last_src = src_short;
      }
    }
    std::string text;
    const std::size_t len = dis.decode(code.data() + (at - lo), code.size() - static_cast<std::size_t>(at - lo), at, text);
    text = with_target(s_, text);
    std::string where;
    if (relative_to_function) {
      where = fmt::format("{:<{}}", fmt::format("<+{}>:", at - base), off_width);
    } else {
      const std::string name = code_label(s_, at);
      where = fmt::format("{:<{}}", name.empty() ? ":" : "<" + name + ">:", label_width);
    }
    s += clip(fmt::format("{}{:#x} {} {}", at == pc ? "=> " : "   ", at, where, text), kColumns) + "\n";
    insns.push_back({{"addr", hex(at)},
                     {"offset", at - (relative_to_function ? base : lo)},
                     {"insn", text},
                     {"source", src_short.empty() ? json(nullptr) : json(src_short)},
                     {"current", at == pc}});
    at += len ? len : 1;
  }
  s += "End of assembler dump.\n";
  say(s);
  result_["instructions"] = insns;
}

// ---------------------------------------------------------------- list

void Debugger::cmd_list(const Args& a) {
  const std::string arg = a.rest;
  model::SourceLine place;  // the file to show (file, full_path) and the line to center on
  int first = 0, last = 0;
  Thread* t = s_.process().thread_by_tid(selected_tid_);
  const GuestAddr pc = s_.process().regs_of(t ? *t : s_.process().current())[Reg::rip];
  const std::uint64_t now = s_.process().insn_count();
  auto at_address = [&](GuestAddr addr) -> bool {
    const auto src = s_.symbols().source(addr);
    if (!src) {
      error(fmt::format("No line number information for {:#x} ({}).", addr, s_.symbols().describe_code(addr)));
      return false;
    }
    place = *src;
    return true;
  };
  auto center = [&](int line) {
    first = std::max(1, line - 5);
    last = first + 9;
  };
  // The file as DWARF names it, for the continuing forms (list, list -, list N).
  auto from_last = [&]() -> bool {
    if (list_path_.empty()) return false;
    place.full_path = list_path_;
    place.file = list_path_;
    return true;
  };
  if (arg.empty() || arg == "+") {
    if (!list_path_.empty() && list_insn_ == now && from_last()) {
      first = list_last_ + 1;
      last = first + 9;
    } else {
      if (!at_address(pc)) return;
      center(place.line);
    }
  } else if (arg == "-") {
    if (list_path_.empty() || list_insn_ != now) {
      if (!at_address(pc)) return;
      center(place.line);
    } else {
      from_last();
      if (list_first_ <= 1) return error(fmt::format("Already at the start of {}.", list_path_));
      last = list_first_ - 1;
      first = std::max(1, last - 9);
    }
  } else if (all_digits(arg)) {
    if (arg.size() > 7) return error(fmt::format("Line number {} out of range.", arg));
    if (!from_last()) {
      if (!at_address(pc)) return;
    }
    center(std::stoi(arg));
  } else if (const auto colon = arg.rfind(':');
             colon != std::string::npos && all_digits(arg.substr(colon + 1)) && arg.rfind("milestone:", 0) != 0 &&
             arg.rfind("insn:", 0) != 0) {
    const std::string file = arg.substr(0, colon);
    const std::string num = arg.substr(colon + 1);
    if (file.empty()) return error("list FILE:LINE needs a file name: list proc.go:144");
    if (num.size() > 7) return error(fmt::format("Line number {} out of range.", num));
    const int line = std::stoi(num);
    const model::DwarfInfo* dw = s_.dwarf();
    if (!dw) return error("This program has no DWARF line tables, so FILE:LINE cannot be found.");
    auto where = dw->pc_for_line(file, line);
    if (!where && where.error().find("ambiguous") != std::string::npos) return error(where.error());
    if (!where) where = dw->pc_for_line(file, 1);  // a line without code: any line of the file names it
    if (!where && where.error().find("no source file") == std::string::npos) return error(where.error());
    if (!where) {
      std::vector<std::string> bases;
      for (const auto& f : dw->source_files()) bases.push_back(f.substr(f.rfind('/') + 1));
      const std::string sugg = close_matches(bases, file.substr(file.rfind('/') + 1));
      return error(fmt::format("No source file named {}.{}", file, sugg.empty() ? "" : " Did you mean " + sugg + "?"));
    }
    place = where->source;
    center(line);
  } else {
    std::string loc = arg;
    GuestAddr addr = 0;
    if (loc[0] == '*') {  // list *ADDR: the line of an address
      const DataContext ctx{s_, selected_tid_, history_};
      const auto v = ctx.evaluate(loc.substr(1));
      if (!v) return error(v.error());
      addr = v->value;
    } else {
      auto l = s_.resolve(loc);
      if (!l) {
        std::string err = l.error();
        if (err.rfind("no symbol", 0) == 0) {
          const std::string sugg = close_matches(code_names(s_), loc);
          err = fmt::format("Function \"{}\" not defined.{}", loc, sugg.empty() ? "" : " Did you mean " + sugg + "?");
        }
        return error(err);
      }
      if (l->kind == Location::Kind::insn) return error("list needs a place; insn:N is a moment, not a place");
      addr = l->addr;
    }
    if (!at_address(addr)) return;
    center(place.line);
  }
  if (!sources_.readable(place.full_path)) return error(unreadable_note(place));
  const auto lines = sources_.lines(place.full_path, first, last);
  if (lines.empty()) {
    const auto all = sources_.lines(place.full_path, 1, INT_MAX);
    return error(fmt::format("Line number {} out of range; \"{}\" has {} lines.", first, place.full_path, all.size()));
  }
  std::string s;
  json out = json::array();
  for (const auto& [n, text] : lines) {
    s += clip(fmt::format("{:<8}{}", n, expand_tabs(text)), kColumns) + "\n";
    out.push_back({{"line", n}, {"text", text}});
  }
  say(s);
  list_path_ = place.full_path;
  list_first_ = lines.front().first;
  list_last_ = lines.back().first;
  list_insn_ = now;
  result_["file"] = place.full_path;
  result_["lines"] = out;
}

}  // namespace gostep
