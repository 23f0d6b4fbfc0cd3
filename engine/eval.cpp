#include "engine/eval.h"

#include "engine/closure.h"
#include "engine/goroutines.h"
#include "runtime_model/name_match.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>

namespace gostep::engine {
namespace {

EvalError err(EvalErrorKind k, std::string m, std::string sym = "") { return EvalError{k, std::move(m), std::move(sym)}; }

constexpr const char* kRegNames[] = {"rip", "rsp", "rbp", "rax", "rbx", "rcx", "rdx", "rsi", "rdi", "r8",
                                     "r9",  "r10", "r11", "r12", "r13", "r14", "r15", "rflags", "fs_base", "gs_base"};
static_assert(std::size(kRegNames) == kRegCount);

// The runtime's globals by their short names (the chapter's g0, m0, sched...).
constexpr std::pair<const char*, const char*> kAliases[] = {
    {"g0", "runtime.g0"},   {"m0", "runtime.m0"},       {"sched", "runtime.sched"},
    {"allp", "runtime.allp"}, {"allgs", "runtime.allgs"}, {"allm", "runtime.allm"}};

Value untyped(std::int64_t v) {
  Value r;
  r.kind = ValueKind::integer;
  r.is_signed = true;
  r.size = 8;
  r.bits = static_cast<std::uint64_t>(v);
  return r;
}

Value boolean(bool b) {
  Value r;
  r.kind = ValueKind::boolean;
  r.type = "bool";
  r.size = 1;
  r.bits = b ? 1 : 0;
  return r;
}

std::uint64_t truncate(std::uint64_t bits, std::uint64_t size) {
  return size >= 8 ? bits : bits & ((1ULL << (size * 8)) - 1);
}

// A token as the message shows it: clipped, control characters as '?' (a quoted
// name may hold a newline, and the message must stay one line).
std::string shown_op(const Token& t) {
  return t.kind == Token::Kind::end ? "the end" : "'" + model::clip_typed(t.text) + "'";
}

// Binary operators by Go's precedence level (5 binds tightest).
bool at_level(const std::string& op, int level) {
  static const std::vector<std::vector<std::string>> levels = {
      {}, {"||"}, {"&&"}, {"==", "!=", "<", "<=", ">", ">="}, {"+", "-", "|", "^"}, {"*", "/", "%", "<<", ">>", "&", "&^"}};
  const auto& l = levels[static_cast<std::size_t>(level)];
  return std::find(l.begin(), l.end(), op) != l.end();
}

}  // namespace

Evaluator::Evaluator(Session& session, EvalScope scope) : s_(session), scope_(scope) {
  if (s_.dwarf()) reader_.emplace(program_reader(s_));
}

std::optional<Evaluated<Value>> Evaluator::local(const std::string& name) {
  if (!scope_.frame || !reader_) return std::nullopt;
  if (!frame_) frame_ = scope_.frame();
  if (!*frame_) return std::nullopt;
  auto v = frame_variable(s_, *reader_, **frame_, name);
  if (!v) return std::nullopt;
  used_frame_ = **frame_;
  if (v->value) {
    for (const auto& r : v->value->reads) reads_.push_back(r);
  } else if (v->value.error().kind == EvalErrorKind::optimized_out) {
    return Evaluated<Value>(EvalError{EvalErrorKind::optimized_out,
                                      fmt::format("{} is optimized out here (no location for it at this pc)", name), ""});
  }
  return v->value;
}

Evaluated<Value> Evaluator::builtin(const std::string& name) {
  auto v = parse_binary(1);
  if (!v) return v;
  if (!accept(")")) return err(EvalErrorKind::syntax, fmt::format("missing ')' in {}(...)", name));
  const bool is_len = name == "len";
  switch (v->kind) {
    case ValueKind::string: if (is_len) return untyped(static_cast<std::int64_t>(v->length)); break;
    case ValueKind::slice: return untyped(static_cast<std::int64_t>(is_len ? v->length : v->capacity));
    case ValueKind::chan: return untyped(static_cast<std::int64_t>(is_len ? v->length : v->capacity));
    case ValueKind::map: if (is_len) return untyped(static_cast<std::int64_t>(v->length)); break;
    case ValueKind::array: return untyped(static_cast<std::int64_t>(v->length));
    default: break;
  }
  return err(EvalErrorKind::type_error, fmt::format("invalid argument for {}: {}", name, v->type.empty() ? "a number" : v->type));
}

EvalError Evaluator::too_deep() {
  return err(EvalErrorKind::too_deep, fmt::format("expression too deeply nested (limit {})", kMaxNesting));
}

bool Evaluator::accept(std::string_view op) {
  if (peek().kind == Token::Kind::op && peek().text == op) {
    ++pos_;
    return true;
  }
  return false;
}

bool Evaluator::peek_word(GuestAddr addr, std::uint64_t& out, std::uint64_t size) {
  out = 0;
  reads_.emplace_back(addr, size);
  return s_.process().memory().peek(addr, &out, size);
}

Evaluated<Value> Evaluator::evaluate(std::string_view text) {
  reads_.clear();
  used_frame_.reset();
  pos_ = 0;
  depth_ = 0;
  if (text.size() > kMaxLength)
    return err(EvalErrorKind::too_long, fmt::format("expression too long ({} characters; the limit is {})", text.size(), kMaxLength));
  auto toks = tokenize(text);
  if (!toks) return toks.error();
  toks_ = std::move(*toks);
  if (peek().kind == Token::Kind::end) return err(EvalErrorKind::syntax, "missing expression");
  auto v = parse_binary(1);
  if (!v) return v;
  if (peek().kind != Token::Kind::end)
    return err(EvalErrorKind::syntax, fmt::format("unexpected {} after the expression", shown_op(peek())));
  v->reads = reads_;
  return v;
}

Evaluated<Value> Evaluator::parse_binary(int level) {
  if (level > 5) return parse_unary();
  // A whole expression is a level of nesting: the top one, and each inside (...),
  // [...] and g(...). Deep input must end in this error, never in a stack overflow.
  std::optional<Nested> nested;
  if (level == 1) {
    if (depth_ >= kMaxNesting) return too_deep();
    nested.emplace(depth_);
  }
  auto a = parse_binary(level + 1);
  while (a && peek().kind == Token::Kind::op && at_level(peek().text, level)) {
    const std::string op = peek().text;
    ++pos_;
    auto b = parse_binary(level + 1);
    if (!b) return b;
    a = apply(op, *a, *b);
  }
  return a;
}

Evaluated<Value> Evaluator::parse_unary() {
  for (const char* op : {"-", "!", "^", "*", "&"}) {
    if (!accept(op)) continue;
    // Each unary operator is a level of nesting (and of recursion here).
    if (depth_ >= kMaxNesting) return too_deep();
    const Nested nested(depth_);
    auto v = parse_unary();
    if (!v) return v;
    const std::string o = op;
    if (o == "*") {
      if (accept("@")) {  // *ADDR@LEN: LEN raw bytes
        auto len = parse_unary();
        if (!len) return len;
        if (!len->scalar() || len->bits == 0 || len->bits > 4096)
          return err(EvalErrorKind::bad_length, "*ADDR@LEN: LEN must be 1 to 4096");
        Value r;
        r.kind = ValueKind::bytes;
        r.type = "bytes";
        r.size = len->bits;
        r.bytes.resize(len->bits);
        r.address = v->bits;
        reads_.emplace_back(v->bits, len->bits);
        if (!s_.process().memory().peek(v->bits, r.bytes.data(), len->bits))
          return err(EvalErrorKind::unreadable, fmt::format("Cannot access memory at address {:#x}", v->bits));
        return r;
      }
      return deref(*v);
    }
    if (o == "&") return address_of(*v);
    if (!v->scalar()) return err(EvalErrorKind::type_error, fmt::format("operator {} needs a number, not a {}", o, v->type));
    if (o == "!") return boolean(!v->truthy());
    Value r = *v;
    r.address.reset();
    r.constant.clear();
    if (r.kind == ValueKind::pointer || r.kind == ValueKind::boolean) {
      r.kind = ValueKind::integer;
      r.type = "uintptr";
      r.pointee.clear();
    }
    r.bits = truncate(o == "-" ? 0 - v->bits : ~v->bits, r.size);
    if (o == "-" && r.type.empty()) r.is_signed = true;
    return r;
  }
  return parse_postfix();
}

Evaluated<Value> Evaluator::parse_postfix() {
  std::size_t start = pos_;
  auto v = parse_primary();
  while (v) {
    const std::string shown = start < toks_.size() ? toks_[start].text : "";
    if (accept(".")) {
      if (peek().kind != Token::Kind::name) return err(EvalErrorKind::syntax, "a field name must follow '.'");
      const std::string name = peek().text;
      ++pos_;
      v = field(*v, name, shown);
    } else if (accept("[")) {
      auto i = parse_binary(1);
      if (!i) return i;
      if (!accept("]")) return err(EvalErrorKind::syntax, "missing ']'");
      v = index(*v, *i, shown);
    } else {
      break;
    }
  }
  return v;
}

Evaluated<Value> Evaluator::parse_primary() {
  const Token t = peek();
  switch (t.kind) {
    case Token::Kind::number:
      ++pos_;
      return untyped(static_cast<std::int64_t>(t.number));
    case Token::Kind::dollar:
      ++pos_;
      return dollar(t);
    case Token::Kind::name:
      return parse_name();
    case Token::Kind::op:
      if (accept("(")) {
        auto v = parse_binary(1);  // counts the nesting
        if (!v) return v;
        if (!accept(")")) return err(EvalErrorKind::syntax, "missing ')'");
        return v;
      }
      return err(EvalErrorKind::syntax, fmt::format("unexpected {}", shown_op(t)));
    case Token::Kind::end:
      return err(EvalErrorKind::syntax, "missing expression");
  }
  return err(EvalErrorKind::syntax, "missing expression");
}

Evaluated<Value> Evaluator::dollar(const Token& t) {
  const std::string& n = t.text;
  // History: $ (last), $N, $$ (one before), $$N (N back).
  const bool back = !n.empty() && n[0] == '$';
  const std::string digits = back ? n.substr(1) : n;
  if (n.empty() || back || std::all_of(n.begin(), n.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    if (!digits.empty() && !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }))
      return err(EvalErrorKind::syntax, fmt::format("unexpected '${}'", model::clip_typed(n)));
    const auto& h = scope_.history ? *scope_.history : std::vector<Value>{};
    if (digits.size() > 9) return err(EvalErrorKind::history, fmt::format("History has not yet reached ${}.", model::clip_typed(n)));
    const std::size_t k = digits.empty() ? (back ? 1 : 0) : std::stoul(digits);
    std::size_t index = 0;  // 1-based
    if (!back && !digits.empty()) {
      index = k;
    } else if (k < h.size()) {
      index = h.size() - k;
    }
    if (h.empty() && (back || digits.empty())) return err(EvalErrorKind::history, "History is empty: print a value first.");
    if (index == 0 || index > h.size()) return err(EvalErrorKind::history, fmt::format("History has not yet reached ${}.", model::clip_typed(n)));
    Value v = h[index - 1];
    for (const auto& r : v.reads) reads_.push_back(r);
    return v;
  }
  const std::string name = n == "pc" ? "rip" : n == "sp" ? "rsp" : n == "fp" ? "rbp" : n == "eflags" ? "rflags" : n;
  for (int r = 0; r < kRegCount; ++r) {
    if (name != kRegNames[r]) continue;
    Process& p = s_.process();
    Thread* th = p.thread_by_tid(scope_.tid);
    Value v;
    v.kind = ValueKind::integer;
    v.type = "uint64";
    v.address_like = true;
    v.bits = p.regs_of(th ? *th : p.current())[static_cast<Reg>(r)];
    return v;
  }
  return err(EvalErrorKind::unknown_register,
             fmt::format("unknown register ${}; registers: $rax ... $r15, $rip/$pc, $rsp/$sp, $rbp/$fp, $rflags, $fs_base", model::clip_typed(n)));
}

Evaluated<Value> Evaluator::read(GuestAddr addr, const std::string& type) {
  if (!reader_) return err(EvalErrorKind::no_dwarf, "this binary has no DWARF, so typed values cannot be read; use *ADDR");
  return reader_->read(addr, type, reads_);
}

Evaluated<Value> Evaluator::parse_name() {
  // name(.name)*: the longest prefix that is a root (g0, runtime.m0...), then fields.
  std::vector<std::string> names{peek().text};
  ++pos_;
  if (names[0] == "g" && accept("(")) {  // g(N): the goroutine with goid N
    auto n = parse_binary(1);
    if (!n) return n;
    if (!accept(")")) return err(EvalErrorKind::syntax, "missing ')' in g(N)");
    if (!s_.model()) return err(EvalErrorKind::no_model, s_.model_error());
    const auto goid = n->as_int();
    for (std::uint64_t g : s_.model()->allg_addrs(s_.reader())) {
      reads_.emplace_back(g, 8);
      if (s_.model()->read_g(s_.reader(), g).goid == goid) return read(g, "runtime.g");
    }
    return err(EvalErrorKind::not_yet, fmt::format("no goroutine with goid {} (yet): see \"info goroutines\"", goid));
  }
  if ((names[0] == "len" || names[0] == "cap") && accept("(")) return builtin(names[0]);
  while (peek().kind == Token::Kind::op && peek().text == "." && toks_[pos_ + 1].kind == Token::Kind::name) {
    names.push_back(toks_[pos_ + 1].text);
    pos_ += 2;
  }
  // The selected frame's locals and arguments come first (as in gdb and Delve).
  if (auto l = local(names[0])) {
    Evaluated<Value> r = std::move(*l);
    std::string shown = names[0];
    for (std::size_t i = 1; i < names.size() && r; ++i) {
      r = field(*r, names[i], shown);
      shown += "." + names[i];
    }
    return r;
  }
  if (!s_.dwarf()) {
    // Without DWARF a name can still be a data symbol of .symtab: its first word, in hex.
    if (names.size() == 1)
      for (const auto& sym : s_.image().symbols)
        if (!sym.is_function && sym.name == names[0]) {
          Value v;
          v.kind = ValueKind::integer;
          v.type = "uint64";
          v.address = sym.addr;
          v.address_like = true;
          if (!peek_word(sym.addr, v.bits))
            return err(EvalErrorKind::unreadable, fmt::format("Cannot access memory at address {:#x}", sym.addr));
          return v;
        }
    return err(EvalErrorKind::no_dwarf,
               fmt::format("this binary has no DWARF and no data symbol \"{}\"; use $registers and *ADDR", model::clip_typed(names[0])));
  }
  for (std::size_t k = names.size(); k > 0; --k) {
    std::string joined = names[0];
    for (std::size_t i = 1; i < k; ++i) joined += "." + names[i];
    auto r = root(joined);
    if (!r && r.error().kind == EvalErrorKind::unknown_symbol) continue;
    if (!r) return r;
    std::string shown = joined;
    for (std::size_t i = k; i < names.size() && r; ++i) {
      r = field(*r, names[i], shown);
      shown += "." + names[i];
    }
    return r;
  }
  if (names.size() == 1)
    for (const auto& sym : s_.image().symbols)
      if (!sym.is_function && sym.name == names[0]) {
        Value v;
        v.kind = ValueKind::integer;
        v.type = "uint64";
        v.address = sym.addr;
        v.address_like = true;
        if (peek_word(sym.addr, v.bits)) return v;
      }
  // In the program's own code, say which frame's locals were looked at: the name
  // may be a local of another frame (`up`, `goroutine N print X`).
  const std::string in_frame = frame_ && *frame_ && user_function((*frame_)->frame.function)
                                   ? fmt::format("{}'s locals or ", (*frame_)->frame.function)
                                   : "";
  return err(EvalErrorKind::unknown_symbol,
             fmt::format("No symbol \"{}\" in {}the runtime model. Try g0, m0, sched, g(N), runtime.ncpu.",
                         model::clip_typed(names[0], 24), in_frame),
             names.size() > 1 ? names[0] + "." + names[1] : names[0]);
}

Evaluated<Value> Evaluator::root(const std::string& name) {
  const model::DwarfInfo& dw = *s_.dwarf();
  std::string real = name;
  for (const auto& [alias, full] : kAliases)
    if (name == alias) real = full;
  if (name == "curg") {
    if (!s_.model()) return err(EvalErrorKind::no_model, s_.model_error());
    Process& p = s_.process();
    Thread* th = p.thread_by_tid(scope_.tid);
    const RegFile rf = p.regs_of(th ? *th : p.current());
    const auto tls = s_.model()->read_tls(s_.reader(), rf);
    reads_.emplace_back(rf[Reg::fs_base] - 8, 8);
    if (!tls.g || !*tls.g) return err(EvalErrorKind::not_yet, "no curg: this thread has no g in its TLS slot yet");
    const auto gm = dw.field("runtime.g", "m");
    const auto mc = dw.field("runtime.m", "curg");
    std::uint64_t m = 0, curg = 0;
    if (!gm || !mc || !peek_word(*tls.g + gm->offset, m) || !m) return err(EvalErrorKind::not_yet, "no curg: g.m is nil");
    if (!peek_word(m + mc->offset, curg) || !curg)
      return err(EvalErrorKind::not_yet, "no curg: this M runs no goroutine (m.curg is nil)");
    return read(curg, "runtime.g");
  }
  const auto var = dw.variable(real);
  if (!var) return err(EvalErrorKind::unknown_symbol, fmt::format("No symbol \"{}\"", model::clip_typed(name)), name);
  return read(var->addr, var->type_name);
}

Evaluated<Value> Evaluator::deref(const Value& v) {
  if (v.kind == ValueKind::pointer) {
    if (v.pointee == "unsafe.Pointer") return err(EvalErrorKind::type_error, "cannot dereference an unsafe.Pointer");
    if (v.bits == 0) return err(EvalErrorKind::nil_pointer, fmt::format("Cannot dereference nil ({})", v.type));
    return read(v.bits, v.pointee);
  }
  if (v.kind == ValueKind::integer || v.kind == ValueKind::boolean) {
    Value r;
    r.kind = ValueKind::integer;
    r.type = "uint64";
    r.size = 8;
    r.address = v.bits;
    r.address_like = true;  // a raw memory word: people read it in hex
    if (!peek_word(v.bits, r.bits))
      return err(EvalErrorKind::unreadable, fmt::format("Cannot access memory at address {:#x}", v.bits));
    return r;
  }
  return err(EvalErrorKind::type_error, fmt::format("cannot dereference a {} (a {})", v.type.empty() ? "value" : v.type,
                                                    v.kind == ValueKind::structure ? "struct" : "non-pointer"));
}

Evaluated<Value> Evaluator::address_of(const Value& v) {
  if (!v.address) return err(EvalErrorKind::not_addressable, "Attempt to take address of value not located in memory.");
  Value p;
  p.kind = ValueKind::pointer;
  p.pointee = v.type.empty() || v.type == "bytes" ? "uint8" : v.type;
  p.type = "*" + p.pointee;
  p.bits = *v.address;
  p.address_like = true;
  return p;
}

Evaluated<Value> Evaluator::field(const Value& in, const std::string& name, const std::string& shown) {
  Value v = in;
  if (v.kind == ValueKind::pointer) {  // Go's p.f is (*p).f
    if (v.bits == 0) return err(EvalErrorKind::nil_pointer, fmt::format("{} is nil", shown));
    auto d = deref(v);
    if (!d) return d;
    v = *d;
  }
  // Go's strings, slices and interfaces are DWARF structs too (str/len, array/len/cap, tab/data).
  if (v.kind != ValueKind::structure && v.kind != ValueKind::string && v.kind != ValueKind::slice &&
      v.kind != ValueKind::interface)
    return err(EvalErrorKind::not_a_struct, fmt::format("{} is not a struct ({})", shown, v.type.empty() ? "a number" : v.type));
  const auto ti = s_.dwarf() ? s_.dwarf()->type(v.type) : std::nullopt;
  if (ti && v.address) {
    for (const auto& f : ti->fields) {
      if (f.name != name) continue;
      auto r = read(*v.address + f.offset, f.type_name);
      if (r && reader_) reader_->name_constant(v.type, name, *r);
      return r;
    }
  } else {
    for (const auto& c : v.children)
      if (c.name == name) return c;
  }
  std::string close;
  for (const auto& c : ti ? ti->fields : std::vector<model::FieldInfo>{})
    if (c.name.find(name) != std::string::npos || name.find(c.name) != std::string::npos)
      close += (close.empty() ? "" : ", ") + c.name;
  return err(EvalErrorKind::no_member, fmt::format("There is no member named {} in {} ({}).{}", model::clip_typed(name), model::clip_typed(shown), v.type,
                                                   close.empty() ? "" : " Did you mean: " + close + "?"));
}

Evaluated<Value> Evaluator::index(const Value& v, const Value& i, const std::string& shown) {
  if (!i.scalar()) return err(EvalErrorKind::type_error, "an index must be a number");
  const std::uint64_t idx = i.bits;
  if (i.is_signed && i.as_int() < 0) return err(EvalErrorKind::not_indexable, fmt::format("index {} is negative", i.as_int()));
  const auto ti = s_.dwarf() ? s_.dwarf()->type(v.type) : std::nullopt;
  if (ti && ti->kind == model::TypeKind::kArray && v.address) {
    if (idx >= ti->count)
      return err(EvalErrorKind::not_indexable, fmt::format("index {} out of range: {} has {} elements", idx, shown, ti->count));
    const auto et = s_.dwarf()->type(ti->elem_type);
    const std::uint64_t es = et ? et->size : ti->size / std::max<std::uint64_t>(ti->count, 1);
    return read(*v.address + idx * es, ti->elem_type);
  }
  // A Go slice (or string): its array pointer and length, from the decoded value, from
  // memory (the runtime's slices are plain DWARF structs), or from the fields a
  // partly located variable still has (its cap may be gone: indexing needs no cap).
  std::optional<std::uint64_t> array, len;
  const bool plain_slice = ti && ti->kind == model::TypeKind::kStruct && ti->name.rfind("[]", 0) == 0;
  if (v.kind == ValueKind::slice || v.kind == ValueKind::string) {
    array = v.bits;
    len = v.length;
  } else if (plain_slice && v.address) {
    std::uint64_t a = 0, l = 0;
    if (peek_word(*v.address, a) && peek_word(*v.address + 8, l)) array = a, len = l;
  } else if (plain_slice) {
    for (const auto& c : v.children) {
      if (c.optimized_out) continue;
      if (c.name == "array") array = c.bits;
      if (c.name == "len") len = c.bits;
    }
  }
  if (array && len) {
    if (idx >= *len)
      return err(EvalErrorKind::out_of_range,
                 fmt::format("index {} out of range: {} has {} elements{}", idx, shown, *len,
                             *len == 0 && shown == "allp" ? " (schedinit has not created the Ps yet)" : ""));
    if (v.kind == ValueKind::string) return read(*array + idx, "uint8");
    const std::string elem = ti && !ti->go_elem.empty() ? ti->go_elem : v.type.substr(2);
    const auto et = s_.dwarf()->type(elem);
    return read(*array + idx * (et ? et->size : 8), elem);
  }
  if (plain_slice && (v.optimized_out || v.children.size() > 0))
    return err(EvalErrorKind::optimized_out, fmt::format("{} cannot be indexed here: its pointer or length is optimized out", shown));
  return err(EvalErrorKind::not_indexable, fmt::format("{} cannot be indexed", shown));
}

Evaluated<Value> Evaluator::apply(const std::string& op, const Value& a, const Value& b) {
  if (!a.scalar() || !b.scalar())
    return err(EvalErrorKind::type_error, fmt::format("operator {} needs numbers, not a {}", op,
                                                      !a.scalar() ? (a.type.empty() ? "struct" : a.type) : (b.type.empty() ? "struct" : b.type)));
  if (op == "&&") return boolean(a.truthy() && b.truthy());
  if (op == "||") return boolean(a.truthy() || b.truthy());
  // The result's type: the typed operand's (Go's rule for constants), else untyped int64.
  const Value& t = !a.type.empty() && a.kind != ValueKind::boolean ? a : b;
  const bool is_signed = t.type.empty() ? true : t.is_signed && t.kind == ValueKind::integer;
  const std::uint64_t size = t.type.empty() ? 8 : t.size;
  auto sx = [&](const Value& v) { return v.type.empty() || (v.is_signed && v.kind == ValueKind::integer) ? v.as_int() : static_cast<std::int64_t>(v.bits); };
  if (op == "==" || op == "!=" || op == "<" || op == "<=" || op == ">" || op == ">=") {
    const bool both_signed = (a.type.empty() || a.is_signed) && (b.type.empty() || b.is_signed);
    int c = 0;
    if (both_signed) c = sx(a) < sx(b) ? -1 : sx(a) > sx(b) ? 1 : 0;
    else c = a.bits < b.bits ? -1 : a.bits > b.bits ? 1 : 0;
    return boolean(op == "==" ? c == 0 : op == "!=" ? c != 0 : op == "<" ? c < 0 : op == "<=" ? c <= 0 : op == ">" ? c > 0 : c >= 0);
  }
  const std::uint64_t x = a.bits, y = b.bits;
  std::uint64_t r = 0;
  if ((op == "/" || op == "%") && truncate(y, b.type.empty() ? 8 : b.size) == 0)
    return err(EvalErrorKind::division_by_zero, "Division by zero");
  if (op == "+") r = x + y;
  else if (op == "-") r = x - y;
  else if (op == "*") r = x * y;
  else if (op == "/" || op == "%") {
    if (!is_signed) r = op == "/" ? x / y : x % y;
    else if (sx(b) == -1) r = op == "/" ? 0 - x : 0;  // INT64_MIN / -1 wraps, as Go's does
    else r = static_cast<std::uint64_t>(op == "/" ? sx(a) / sx(b) : sx(a) % sx(b));
  }
  else if (op == "<<") r = y >= 64 ? 0 : x << y;
  else if (op == ">>") r = y >= 64 ? (is_signed && sx(a) < 0 ? ~0ULL : 0) : is_signed ? static_cast<std::uint64_t>(sx(a) >> y) : x >> y;
  else if (op == "&") r = x & y;
  else if (op == "|") r = x | y;
  else if (op == "^") r = x ^ y;
  else if (op == "&^") r = x & ~y;
  Value out;
  out.kind = ValueKind::integer;
  out.is_signed = is_signed;
  out.size = size;
  out.type = t.type;
  out.address_like = a.address_like || b.address_like || a.kind == ValueKind::pointer || b.kind == ValueKind::pointer;
  if (t.kind == ValueKind::pointer) out.type = "uintptr";  // pointer arithmetic is in bytes
  out.bits = truncate(r, size);
  return out;
}

}  // namespace gostep::engine
