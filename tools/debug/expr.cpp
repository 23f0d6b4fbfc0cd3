#include "expr.h"

#include <fmt/format.h>

#include <cctype>
#include <charconv>
#include <cstring>

namespace gostep {
namespace {

struct Token {
  enum Kind { num, path, reg, op, end } kind;
  std::string text;
  std::uint64_t n = 0;
};

model::Result<std::vector<Token>> tokenize(const std::string& s) {
  std::vector<Token> out;
  std::size_t i = 0;
  while (i < s.size()) {
    const char c = s[i];
    if (std::isspace(static_cast<unsigned char>(c))) { ++i; continue; }
    if (std::isdigit(static_cast<unsigned char>(c))) {
      std::size_t j = i;
      while (j < s.size() && std::isalnum(static_cast<unsigned char>(s[j]))) ++j;
      const std::string lit = s.substr(i, j - i);
      std::uint64_t v = 0;
      const bool hex = lit.size() > 2 && (lit[1] == 'x' || lit[1] == 'X');
      const char* b = lit.data() + (hex ? 2 : 0);
      const auto [p, ec] = std::from_chars(b, lit.data() + lit.size(), v, hex ? 16 : 10);
      if (ec != std::errc() || p != lit.data() + lit.size())
        return model::Error{fmt::format("bad number '{}'", lit)};
      out.push_back({Token::num, lit, v});
      i = j;
      continue;
    }
    if (c == '$') {
      std::size_t j = i + 1;
      while (j < s.size() && (std::isalnum(static_cast<unsigned char>(s[j])) || s[j] == '_')) ++j;
      out.push_back({Token::reg, s.substr(i + 1, j - i - 1)});
      i = j;
      continue;
    }
    if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      // A path: identifiers, dots, [N] and (N) as in g(1).sched.sp or allp[0].runq[3].
      std::size_t j = i;
      int depth = 0;
      while (j < s.size()) {
        const char d = s[j];
        if (std::isalnum(static_cast<unsigned char>(d)) || d == '_' || d == '.' || d == '/') { ++j; continue; }
        if (d == '[' || d == '(') { ++depth; ++j; continue; }
        if ((d == ']' || d == ')') && depth > 0) { --depth; ++j; continue; }
        break;
      }
      out.push_back({Token::path, s.substr(i, j - i)});
      i = j;
      continue;
    }
    static const char* const ops[] = {"==", "!=", "<=", ">=", "&&", "||", "<", ">", "+", "-", "*", "@", "(", ")"};
    bool matched = false;
    for (const char* o : ops)
      if (s.compare(i, std::strlen(o), o) == 0) {
        out.push_back({Token::op, o});
        i += std::strlen(o);
        matched = true;
        break;
      }
    if (!matched) return model::Error{fmt::format("unexpected '{}' in expression", c)};
  }
  out.push_back({Token::end, ""});
  return out;
}

const char* const kRegs[] = {"rip", "rsp", "rbp", "rax", "rbx", "rcx", "rdx", "rsi", "rdi", "r8", "r9",
                             "r10", "r11", "r12", "r13", "r14", "r15", "rflags", "fs_base", "gs_base"};

// Named integer types of the runtime that are really pointers (runtime2.go).
std::string pointee_of_uintptr_type(const std::string& t) {
  if (t == "runtime.guintptr") return "runtime.g";
  if (t == "runtime.puintptr") return "runtime.p";
  if (t == "runtime.muintptr") return "runtime.m";
  return "";
}

class Parser {
 public:
  Parser(Session& s, int tid, std::vector<Token> toks) : s_(s), tid_(tid), t_(std::move(toks)) {}

  // Every range read so far, also when evaluation failed (allp[0] before
  // schedinit reads allp's header: a watchpoint waits for a write there).
  const std::vector<std::pair<GuestAddr, std::uint64_t>>& reads() const { return reads_; }

  model::Result<ExprValue> parse() {
    auto v = parse_or();
    if (!v) return v;
    if (t_[i_].kind != Token::end) return model::Error{fmt::format("unexpected '{}' after the expression", t_[i_].text)};
    return v;
  }

 private:
  bool accept(const char* op) {
    if (t_[i_].kind == Token::op && t_[i_].text == op) { ++i_; return true; }
    return false;
  }
  static ExprValue number(std::uint64_t v, const ExprValue& a, const ExprValue& b) {
    ExprValue r;
    r.value = v;
    r.type = "";
    r.reads = a.reads;
    r.reads.insert(r.reads.end(), b.reads.begin(), b.reads.end());
    return r;
  }
  model::Result<ExprValue> parse_or() {
    auto a = parse_and();
    while (a && accept("||")) {
      auto b = parse_and();
      if (!b) return b;
      a = number(a->value || b->value, *a, *b);
    }
    return a;
  }
  model::Result<ExprValue> parse_and() {
    auto a = parse_cmp();
    while (a && accept("&&")) {
      auto b = parse_cmp();
      if (!b) return b;
      a = number(a->value && b->value, *a, *b);
    }
    return a;
  }
  model::Result<ExprValue> parse_cmp() {
    auto a = parse_add();
    if (!a) return a;
    for (const char* op : {"==", "!=", "<=", ">=", "<", ">"}) {
      if (!accept(op)) continue;
      auto b = parse_add();
      if (!b) return b;
      const std::uint64_t x = a->value, y = b->value;
      const std::string o = op;
      const bool r = o == "==" ? x == y : o == "!=" ? x != y : o == "<=" ? x <= y : o == ">=" ? x >= y : o == "<" ? x < y : x > y;
      return number(r, *a, *b);
    }
    return a;
  }
  model::Result<ExprValue> parse_add() {
    auto a = parse_unary();
    while (a) {
      const bool plus = accept("+");
      if (!plus && !accept("-")) break;
      auto b = parse_unary();
      if (!b) return b;
      a = number(plus ? a->value + b->value : a->value - b->value, *a, *b);
    }
    return a;
  }
  model::Result<ExprValue> parse_unary() {
    if (accept("-")) {
      auto a = parse_unary();
      if (!a) return a;
      ExprValue r = *a;
      r.value = 0 - a->value;
      r.address.reset();
      r.type = "";
      return r;
    }
    if (accept("*")) {
      auto a = parse_unary();
      if (!a) return a;
      std::uint64_t len = 8;
      bool explicit_len = false;
      if (accept("@")) {
        auto l = parse_unary();
        if (!l) return l;
        if (l->value == 0 || l->value > 4096) return model::Error{"*ADDR@LEN: LEN must be 1 to 4096"};
        len = l->value;
        explicit_len = true;
      }
      return read_memory(a->value, len, explicit_len, a->reads);
    }
    return parse_primary();
  }
  model::Result<ExprValue> read_memory(GuestAddr addr, std::uint64_t len, bool raw,
                                        const std::vector<std::pair<GuestAddr, std::uint64_t>>& reads) {
    ExprValue r;
    r.reads = reads;
    r.reads.emplace_back(addr, len);
    reads_.emplace_back(addr, len);
    r.bytes.resize(len);
    if (!s_.process().memory().peek(addr, r.bytes.data(), len))
      return model::Error{fmt::format("Cannot access memory at address {:#x}", addr)};
    r.address = addr;
    r.size = len;
    std::memcpy(&r.value, r.bytes.data(), std::min<std::uint64_t>(len, 8));
    if (!raw) r.bytes.clear();
    r.type = raw ? "bytes" : "uint64";
    return r;
  }
  model::Result<ExprValue> parse_primary() {
    const Token tok = t_[i_];
    if (accept("(")) {
      auto v = parse_or();
      if (!v) return v;
      if (!accept(")")) return model::Error{"missing ')'"};
      return v;
    }
    ++i_;
    switch (tok.kind) {
      case Token::num: {
        ExprValue v;
        v.value = tok.n;
        v.type = "";
        return v;
      }
      case Token::reg: {
        std::string name = tok.text == "pc" ? "rip" : tok.text == "sp" ? "rsp" : tok.text == "fp" ? "rbp"
                           : tok.text == "eflags" ? "rflags" : tok.text;
        for (int r = 0; r < kRegCount; ++r)
          if (name == kRegs[r]) {
            Thread* t = s_.process().thread_by_tid(tid_);
            ExprValue v;
            v.value = s_.process().regs_of(t ? *t : s_.process().current())[static_cast<Reg>(r)];
            v.type = "register";
            return v;
          }
        return model::Error{fmt::format("unknown register ${}; registers: $rax ... $r15, $rip/$pc, $rsp/$sp, $rbp, "
                                        "$rflags, $fs_base", tok.text)};
      }
      case Token::path:
        return eval_path(tok.text);
      default:
        return model::Error{tok.kind == Token::end ? "missing expression" : fmt::format("unexpected '{}'", tok.text)};
    }
  }

  // ---- runtime paths ----
  struct Place {
    GuestAddr addr = 0;
    std::string type;  // DWARF type name of the object at addr
  };

  bool read_word(GuestAddr a, std::uint64_t& out, std::uint64_t size = 8) {
    out = 0;
    reads_.emplace_back(a, size);
    return s_.process().memory().peek(a, &out, size);
  }

  model::Result<ExprValue> eval_path(const std::string& path) {
    const model::DwarfInfo* dw = s_.dwarf();
    if (!dw) return model::Error{"this binary has no DWARF, so runtime paths cannot be read; use *ADDR"};
    std::size_t pos = 0;
    auto root = resolve_root(path, pos);
    if (!root) return model::Error{root.error()};
    Place cur = *root;
    // Walk .field and [N] steps.
    while (pos < path.size()) {
      if (path[pos] == '.') {
        std::size_t j = pos + 1;
        while (j < path.size() && path[j] != '.' && path[j] != '[') ++j;
        const std::string field = path.substr(pos + 1, j - pos - 1);
        auto next = step_field(cur, field, path.substr(0, pos));
        if (!next) return model::Error{next.error()};
        cur = *next;
        pos = j;
      } else if (path[pos] == '[') {
        const std::size_t close = path.find(']', pos);
        if (close == std::string::npos) return model::Error{"missing ']'"};
        std::uint64_t idx = 0;
        const std::string n = path.substr(pos + 1, close - pos - 1);
        const auto [p, ec] = std::from_chars(n.data(), n.data() + n.size(), idx);
        if (ec != std::errc() || p != n.data() + n.size()) return model::Error{fmt::format("bad index [{}]", n)};
        auto next = step_index(cur, idx, path.substr(0, pos));
        if (!next) return model::Error{next.error()};
        cur = *next;
        pos = close + 1;
      } else {
        return model::Error{fmt::format("unexpected '{}' in {}", path[pos], path)};
      }
    }
    return value_at(cur);
  }

  model::Result<Place> resolve_root(const std::string& path, std::size_t& pos) {
    const model::DwarfInfo* dw = s_.dwarf();
    auto global = [&](const std::string& name) -> std::optional<Place> {
      if (auto v = dw->variable(name)) return Place{v->addr, v->type_name};
      return std::nullopt;
    };
    // g(N): the goroutine with goid N.
    if (path.rfind("g(", 0) == 0) {
      const std::size_t close = path.find(')');
      if (close == std::string::npos) return model::Error{"missing ')' in g(N)"};
      const std::string n = path.substr(2, close - 2);
      std::int64_t goid = 0;
      const auto [endp, ec] = std::from_chars(n.data(), n.data() + n.size(), goid);
      if (ec != std::errc() || endp != n.data() + n.size() || n.empty())
        return model::Error{fmt::format("g(N) needs a goroutine id, not \"{}\"", n)};
      pos = close + 1;
      if (!s_.model()) return model::Error{s_.model_error()};
      for (std::uint64_t g : s_.model()->allg_addrs(s_.reader())) {
        reads_.emplace_back(g, 8);
        if (s_.model()->read_g(s_.reader(), g).goid == goid) return Place{g, "runtime.g"};
      }
      return model::Error{fmt::format("no goroutine with goid {} (yet): see \"info goroutines\"", goid)};
    }
    std::size_t j = 0;
    while (j < path.size() && path[j] != '.' && path[j] != '[') ++j;
    std::string first = path.substr(0, j);
    static const std::pair<const char*, const char*> aliases[] = {
        {"g0", "runtime.g0"}, {"m0", "runtime.m0"}, {"sched", "runtime.sched"}, {"allp", "runtime.allp"},
        {"allgs", "runtime.allgs"}, {"allm", "runtime.allm"}};
    for (const auto& [a, real] : aliases)
      if (first == a) {
        pos = j;
        if (auto p = global(real)) return *p;
      }
    if (first == "curg") {
      pos = j;
      if (!s_.model()) return model::Error{s_.model_error()};
      Thread* t = s_.process().thread_by_tid(tid_);
      const RegFile rf = s_.process().regs_of(t ? *t : s_.process().current());
      const auto tls = s_.model()->read_tls(s_.reader(), rf);
      if (!tls.g || !*tls.g) return model::Error{"no curg: this thread has no g in its TLS slot yet"};
      reads_.emplace_back(rf[Reg::fs_base] - 8, 8);
      auto gm = dw->field("runtime.g", "m");
      auto mc = dw->field("runtime.m", "curg");
      std::uint64_t m = 0, curg = 0;
      if (!gm || !mc || !read_word(*tls.g + gm->offset, m) || !m) return model::Error{"no curg: g.m is nil"};
      if (!read_word(m + mc->offset, curg) || !curg) return model::Error{"no curg: this M runs no goroutine (m.curg is nil)"};
      return Place{curg, "runtime.g"};
    }
    // A Go global, possibly with a field path after it: runtime.ncpu, runtime.m0.tls[1].
    for (std::size_t k = path.size(); k > 0; --k) {
      if (k != path.size() && path[k] != '.' && path[k] != '[') continue;
      if (auto p = global(path.substr(0, k))) {
        pos = k;
        return *p;
      }
    }
    return model::Error{fmt::format("No symbol \"{}\" in the runtime model. Try g0, m0, allp[N], sched, curg, g(N), "
                                    "or a Go global such as runtime.ncpu", first)};
  }

  model::Result<Place> deref_if_pointer(const Place& p, const std::string& shown) {
    const model::DwarfInfo* dw = s_.dwarf();
    auto ti = dw->type(p.type);
    std::string target;
    if (ti && ti->kind == model::TypeKind::kPointer) target = ti->elem_type;
    if (target.empty()) target = pointee_of_uintptr_type(p.type);
    if (target.empty()) return p;
    std::uint64_t v = 0;
    if (!read_word(p.addr, v)) return model::Error{fmt::format("Cannot access memory at {:#x}", p.addr)};
    if (!v) return model::Error{fmt::format("{} is nil", shown)};
    return Place{v, target};
  }

  model::Result<Place> step_field(const Place& at, const std::string& field, const std::string& shown) {
    auto p = deref_if_pointer(at, shown);
    if (!p) return p;
    const model::DwarfInfo* dw = s_.dwarf();
    auto ti = dw->type(p->type);
    if (!ti || ti->kind != model::TypeKind::kStruct) return model::Error{fmt::format("{} is not a struct", shown)};
    std::string names;
    for (const auto& f : ti->fields) {
      if (f.name == field) return Place{p->addr + f.offset, f.type_name};
      names += (names.empty() ? "" : ", ") + f.name;
    }
    // Suggest close names (the user may have typed stackguard for stackguard0).
    std::string close;
    for (const auto& f : ti->fields)
      if (f.name.find(field) != std::string::npos || field.find(f.name) != std::string::npos)
        close += (close.empty() ? "" : ", ") + f.name;
    return model::Error{fmt::format("There is no member named {} in {} ({}).{}", field, shown, p->type,
                                    close.empty() ? "" : " Did you mean: " + close + "?")};
  }

  model::Result<Place> step_index(const Place& at, std::uint64_t idx, const std::string& shown) {
    const model::DwarfInfo* dw = s_.dwarf();
    auto ti = dw->type(at.type);
    if (ti && ti->kind == model::TypeKind::kArray) {
      if (idx >= ti->count) return model::Error{fmt::format("index {} out of range: {} has {} elements", idx, shown, ti->count)};
      auto et = dw->type(ti->elem_type);
      const std::uint64_t esize = et ? et->size : ti->size / std::max<std::uint64_t>(ti->count, 1);
      return Place{at.addr + idx * esize, ti->elem_type};
    }
    // A Go slice: struct { array *T; len int; cap int }.
    if (ti && ti->kind == model::TypeKind::kStruct && ti->name.rfind("[]", 0) == 0) {
      std::uint64_t array = 0, len = 0;
      read_word(at.addr, array);
      read_word(at.addr + 8, len);
      if (idx >= len)
        return model::Error{fmt::format("index {} out of range: {} has {} elements{}", idx, shown, len,
                                        len == 0 && shown == "allp" ? " (schedinit has not created the Ps yet)" : "")};
      const std::string elem = ti->name.substr(2);
      auto et = dw->type(elem);
      const std::uint64_t esize = et ? et->size : 8;
      return Place{array + idx * esize, elem};
    }
    return model::Error{fmt::format("{} cannot be indexed", shown)};
  }

  model::Result<ExprValue> value_at(const Place& p) {
    const model::DwarfInfo* dw = s_.dwarf();
    auto ti = dw->type(p.type);
    ExprValue v;
    v.address = p.addr;
    v.type = p.type;
    v.size = ti ? ti->size : 8;
    if (ti && (ti->kind == model::TypeKind::kStruct || ti->kind == model::TypeKind::kArray)) {
      v.is_struct = true;
      v.bytes.resize(std::min<std::uint64_t>(v.size, 4096));
      reads_.emplace_back(p.addr, v.bytes.size());
      if (!s_.process().memory().peek(p.addr, v.bytes.data(), v.bytes.size()))
        return model::Error{fmt::format("Cannot access memory at address {:#x}", p.addr)};
    } else {
      const std::uint64_t n = std::min<std::uint64_t>(v.size ? v.size : 8, 8);
      if (!read_word(p.addr, v.value, n)) return model::Error{fmt::format("Cannot access memory at address {:#x}", p.addr)};
    }
    v.reads = reads_;
    return v;
  }

  Session& s_;
  int tid_;
  std::vector<Token> t_;
  std::size_t i_ = 0;
  std::vector<std::pair<GuestAddr, std::uint64_t>> reads_;
};

}  // namespace

model::Result<ExprValue> ExprEvaluator::eval(const std::string& text) {
  auto toks = tokenize(text);
  if (!toks) return model::Error{toks.error()};
  Parser p(s_, tid_, std::move(toks.value()));
  auto r = p.parse();
  last_reads_ = p.reads();
  return r;
}

std::string ExprEvaluator::format(const ExprValue& v, char fmt) const {
  if (v.type == "bytes") {
    std::string s;
    for (std::size_t i = 0; i < v.bytes.size(); ++i) s += fmt::format("{}{:02x}", i ? " " : "", v.bytes[i]);
    return s;
  }
  if (v.is_struct) {
    const model::DwarfInfo* dw = s_.dwarf();
    auto ti = dw ? dw->type(v.type) : std::nullopt;
    std::string s = "{";
    if (ti && ti->kind == model::TypeKind::kStruct) {
      for (std::size_t i = 0; i < ti->fields.size(); ++i) {
        const auto& f = ti->fields[i];
        if (i == 12) { s += ", ..."; break; }
        std::uint64_t x = 0;
        if (f.offset + std::min<std::uint64_t>(f.size, 8) <= v.bytes.size())
          std::memcpy(&x, v.bytes.data() + f.offset, std::min<std::uint64_t>(f.size, 8));
        s += fmt::format("{}{} = {:#x}", i ? ", " : "", f.name, x);
      }
    } else if (ti && ti->kind == model::TypeKind::kArray) {
      const std::uint64_t es = ti->count ? ti->size / ti->count : 8;
      for (std::uint64_t i = 0; i < ti->count && i < 16; ++i) {
        std::uint64_t x = 0;
        // Only what was read (value_at keeps at most 4096 bytes of a big array).
        if (i * es + std::min<std::uint64_t>(es, 8) > v.bytes.size()) break;
        std::memcpy(&x, v.bytes.data() + i * es, std::min<std::uint64_t>(es, 8));
        s += fmt::format("{}{:#x}", i ? ", " : "", x);
      }
      if (ti->count > 16) s += ", ...";
    }
    return s + "}";
  }
  const bool decimal = fmt == 'd' || (fmt == 0 && (v.type.empty() || v.type == "int" || v.type == "int32" ||
                                                    v.type == "int64" || v.type == "uint32" || v.type == "bool"));
  if (fmt == 'x' || !decimal) return fmt::format("{:#x}", v.value);
  if (v.type == "bool") return v.value ? "true" : "false";
  if (v.type == "int" || v.type == "int64" || v.type == "int32")
    return std::to_string(v.size == 4 ? static_cast<std::int64_t>(static_cast<std::int32_t>(v.value))
                                      : static_cast<std::int64_t>(v.value));
  return std::to_string(v.value);
}

}  // namespace gostep
