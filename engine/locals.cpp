#include "engine/locals.h"

#include <dwarf.h>
#include <fmt/format.h>

#include <algorithm>
#include <cstring>

namespace gostep::engine {
namespace {

// DWARF's x86-64 register numbers (System V psABI, figure 3.36); 16 and up are
// rip and the vector registers, which gostep's register file does not hold.
std::optional<Reg> dwarf_reg(std::uint64_t n) {
  static constexpr Reg map[] = {Reg::rax, Reg::rdx, Reg::rcx, Reg::rbx, Reg::rsi, Reg::rdi, Reg::rbp, Reg::rsp,
                                Reg::r8,  Reg::r9,  Reg::r10, Reg::r11, Reg::r12, Reg::r13, Reg::r14, Reg::r15};
  if (n < std::size(map)) return map[n];
  return std::nullopt;
}

struct Piece {
  enum class Kind { none, memory, reg, value } kind = Kind::none;
  std::uint64_t where = 0;  // address, register number or value
  std::uint64_t size = 0;   // 0: the whole variable
};

// Runs a location expression (DWARF 4, 2.5 and 2.6) to its pieces. Go's frame base
// is always DW_OP_call_frame_cfa, so fbreg is CFA-relative.
std::vector<Piece> run_expression(const std::vector<model::LocOp>& ops, const FrameRef& f, Session& s) {
  std::vector<Piece> pieces;
  std::vector<std::uint64_t> stack;
  Piece cur;
  bool broken = false;  // needed something this frame does not have
  auto reg = [&](std::uint64_t n) -> std::optional<std::uint64_t> {
    const auto r = dwarf_reg(n);
    if (!r || !f.registers) return std::nullopt;
    return f.regs[*r];
  };
  for (const auto& op : ops) {
    const std::uint8_t a = op.atom;
    if (a >= DW_OP_reg0 && a <= DW_OP_reg31) {
      cur = {Piece::Kind::reg, static_cast<std::uint64_t>(a - DW_OP_reg0), 0};
    } else if (a == DW_OP_regx) {
      cur = {Piece::Kind::reg, op.number, 0};
    } else if (a == DW_OP_call_frame_cfa || a == DW_OP_fbreg) {
      if (!f.frame.cfa) broken = true;
      stack.push_back(f.frame.cfa + (a == DW_OP_fbreg ? op.number : 0));
    } else if ((a >= DW_OP_breg0 && a <= DW_OP_breg31) || a == DW_OP_bregx) {
      const auto r = reg(a == DW_OP_bregx ? op.number : static_cast<std::uint64_t>(a - DW_OP_breg0));
      if (!r) broken = true;
      stack.push_back(r.value_or(0) + (a == DW_OP_bregx ? op.number2 : op.number));
    } else if (a == DW_OP_addr || a == DW_OP_constu || a == DW_OP_consts) {
      stack.push_back(op.number);
    } else if (a >= DW_OP_lit0 && a <= DW_OP_lit31) {
      stack.push_back(static_cast<std::uint64_t>(a - DW_OP_lit0));
    } else if (a == DW_OP_plus_uconst && !stack.empty()) {
      stack.back() += op.number;
    } else if ((a == DW_OP_plus || a == DW_OP_minus) && stack.size() >= 2) {
      const std::uint64_t y = stack.back();
      stack.pop_back();
      stack.back() = a == DW_OP_plus ? stack.back() + y : stack.back() - y;
    } else if (a == DW_OP_deref && !stack.empty()) {
      std::uint64_t w = 0;
      if (!s.process().memory().peek(stack.back(), &w, 8)) broken = true;
      stack.back() = w;
    } else if (a == DW_OP_stack_value && !stack.empty()) {
      cur = {Piece::Kind::value, stack.back(), 0};
    } else if (a == DW_OP_piece) {
      if (cur.kind == Piece::Kind::none && !stack.empty()) cur = {Piece::Kind::memory, stack.back(), 0};
      if (broken) cur.kind = Piece::Kind::none;
      cur.size = op.number;
      pieces.push_back(cur);
      cur = {};
      stack.clear();
      broken = false;
    } else {
      broken = true;  // an operation Go does not emit
    }
  }
  if (pieces.empty()) {
    if (cur.kind == Piece::Kind::none && !stack.empty()) cur = {Piece::Kind::memory, stack.back(), 0};
    if (broken) cur.kind = Piece::Kind::none;
    pieces.push_back(cur);
  }
  return pieces;
}

// Marks what in `v` lies on bytes that are not available.
void mark_missing(Value& v, const std::vector<bool>& have, std::uint64_t base) {
  const std::uint64_t end = std::min<std::uint64_t>(base + v.size, have.size());
  bool all = true, none = true;
  for (std::uint64_t i = base; i < end; ++i) (have[i] ? none : all) = false;
  if (all) return;
  if (v.kind == ValueKind::structure && !v.children.empty() && !none) {
    const GuestAddr parent = v.address.value_or(0);
    for (auto& c : v.children) mark_missing(c, have, base + (c.address && v.address ? *c.address - parent : 0));
    return;
  }
  v.optimized_out = true;
  v.children.clear();
}

bool names_register(const model::ScopeVariable& sv) {
  for (const auto& op : sv.expr)
    if ((op.atom >= DW_OP_reg0 && op.atom <= DW_OP_reg31) || op.atom == DW_OP_regx) return true;
  return false;
}

Evaluated<Value> read_variable(Session& s, const ValueReader& reader, const FrameRef& f, const model::ScopeVariable& sv,
                               std::vector<Range>& reads) {
  const EvalError out{EvalErrorKind::optimized_out, "<optimized out>", ""};
  if (!sv.located) return out;
  const model::DwarfInfo& dw = *s.dwarf();
  const auto ti = dw.type(sv.type_name);
  const std::uint64_t size = ti ? ti->size : 8;
  if (size == 0 || size > ValueReader::kMaxBytes) return out;
  const auto pieces = run_expression(sv.expr, f, s);
  // One piece in memory: an ordinary value there (addressable, watchable).
  if (pieces.size() == 1 && pieces[0].kind == Piece::Kind::memory) return reader.read(pieces[0].where, sv.type_name, reads);
  std::vector<std::uint8_t> buf(size, 0);
  std::vector<bool> have(size, false);
  std::uint64_t off = 0;
  for (const auto& p : pieces) {
    const std::uint64_t n = std::min<std::uint64_t>(p.size ? p.size : size, size - std::min(off, size));
    if (n == 0) break;
    bool ok = false;
    if (p.kind == Piece::Kind::memory) {
      reads.emplace_back(p.where, n);
      ok = s.process().memory().peek(p.where, buf.data() + off, n);
    } else if (p.kind == Piece::Kind::reg || p.kind == Piece::Kind::value) {
      std::uint64_t w = p.where;
      if (p.kind == Piece::Kind::reg) {
        const auto r = dwarf_reg(p.where);
        ok = r && f.registers;
        if (ok) w = f.regs[*r];
      } else {
        ok = true;
      }
      if (ok) std::memcpy(buf.data() + off, &w, std::min<std::uint64_t>(n, 8));
      ok = ok && n <= 8;
    }
    if (ok) std::fill(have.begin() + static_cast<std::ptrdiff_t>(off), have.begin() + static_cast<std::ptrdiff_t>(off + n), true);
    off += n;
  }
  const bool all = std::all_of(have.begin(), have.end(), [](bool b) { return b; });
  const bool none = std::none_of(have.begin(), have.end(), [](bool b) { return b; });
  if (none) return out;
  if (all) {
    Value v = reader.decode(sv.type_name, buf.data(), size, 0, 0, &reads);
    v.address.reset();  // in registers: not in memory
    return v;
  }
  // A slice whose array and length are there (Go often drops the cap of a slice it only
  // indexes) is still a slice: its elements can be read, its cap is unknown.
  if (ti && ti->go_kind == model::go_kind::kSlice && size >= 24 &&
      std::all_of(have.begin(), have.begin() + 16, [](bool b) { return b; })) {
    Value v = reader.decode(sv.type_name, buf.data(), size, 0, 0, &reads);
    if (v.kind == ValueKind::slice) {
      v.address.reset();
      v.capacity = 0;
      v.capacity_unknown = true;
      return v;
    }
  }
  // Part of it: the fields that are there (gdb shows {array = <optimized out>, len = 5, ...}).
  Value v = reader.decode_plain(sv.type_name, buf.data(), size);
  mark_missing(v, have, 0);
  v.address.reset();
  return v;
}

Variable make_variable(Session& s, const ValueReader& reader, const FrameRef& f, const model::ScopeVariable& sv) {
  Variable v;
  v.name = sv.name;
  v.type = sv.type_name;
  v.is_arg = sv.is_param;
  v.is_result = sv.is_result;
  v.decl_line = sv.decl_line;
  v.in_registers = sv.located && names_register(sv);
  std::vector<Range> reads;
  auto val = read_variable(s, reader, f, sv, reads);
  if (!sv.name.empty() && sv.name[0] == '&') {  // escaped to the heap: the slot holds &x
    v.name = sv.name.substr(1);
    if (val && val->kind == ValueKind::pointer && !val->optimized_out) {
      v.type = val->pointee;
      if (val->bits) val = reader.read(val->bits, val->pointee, reads);
      else val = EvalError{EvalErrorKind::nil_pointer, "<not yet allocated>", ""};
    } else if (val) {
      val = EvalError{EvalErrorKind::optimized_out, "<optimized out>", ""};
    }
  }
  if (val) val->reads = reads;
  v.value = std::move(val);
  return v;
}

std::optional<model::FrameScope> scope_of(Session& s, const FrameRef& f) {
  const model::DwarfInfo* dw = s.dwarf();
  if (!dw) return std::nullopt;
  auto scopes = dw->scopes_at(f.frame.lookup_pc);
  if (scopes.empty()) return std::nullopt;
  // DWARF's inlined subroutines and pclntab's inline tree come from the same
  // inlining; match by depth, and check the name.
  const auto i = static_cast<std::size_t>(f.frame.inline_index);
  if (i < scopes.size() && (scopes[i].function == f.frame.function || !f.frame.inlined)) return scopes[i];
  for (auto& sc : scopes)
    if (sc.function == f.frame.function) return sc;
  return std::nullopt;
}

}  // namespace

std::optional<FrameRef> frame_ref(Session& s, const Backtrace& b, std::size_t level) {
  if (level >= b.frames.size()) return std::nullopt;
  FrameRef r;
  r.frame = b.frames[level];
  // Registers belong to the innermost physical frame (and the inlined calls in it).
  std::size_t first_physical = 0;
  while (first_physical < b.frames.size() && b.frames[first_physical].inlined) ++first_physical;
  r.registers = b.registers && level <= first_physical;
  if (r.registers)
    if (Thread* t = s.process().thread_by_tid(b.tid)) r.regs = s.process().regs_of(*t);
  return r;
}

std::vector<Variable> frame_variables(Session& s, const ValueReader& reader, const FrameRef& f) {
  std::vector<Variable> out;
  const auto scope = scope_of(s, f);
  if (!scope) return out;
  for (const auto& sv : scope->variables) out.push_back(make_variable(s, reader, f, sv));
  std::stable_sort(out.begin(), out.end(), [](const Variable& a, const Variable& b) { return a.is_arg && !b.is_arg; });
  return out;
}

std::optional<Variable> frame_variable(Session& s, const ValueReader& reader, const FrameRef& f, const std::string& name) {
  const auto scope = scope_of(s, f);
  if (!scope) return std::nullopt;
  const auto& vars = scope->variables;
  for (auto it = vars.rbegin(); it != vars.rend(); ++it)  // the innermost block's comes last
    if (it->name == name || (it->name.size() == name.size() + 1 && it->name[0] == '&' && it->name.substr(1) == name))
      return make_variable(s, reader, f, *it);
  return std::nullopt;
}

}  // namespace gostep::engine
