// Local variables and inlined calls from Go's DWARF (TRAPS.md "For the next
// capabilities"): a function's DW_TAG_subprogram holds its parameters and
// variables, lexical blocks with more, and DW_TAG_inlined_subroutine entries
// whose parameters name an abstract origin. Locations are location lists in
// .debug_loc (libdw's dwarf_getlocation_addr reads them) or blocks; Go's empty
// block (`DW_AT_location: 0 byte block`) means there is no location at all.
#include <dwarf.h>

#include <algorithm>
#include <cstring>

#include "runtime_model/dwarf_impl.h"

namespace gostep::model {
namespace {

std::uint64_t uleb(const std::uint8_t*& p, const std::uint8_t* end) {
  std::uint64_t v = 0;
  for (int shift = 0; p < end && shift < 64; shift += 7) {
    const std::uint8_t b = *p++;
    v |= static_cast<std::uint64_t>(b & 0x7f) << shift;
    if (!(b & 0x80)) break;
  }
  return v;
}

std::int64_t sleb(const std::uint8_t*& p, const std::uint8_t* end) {
  std::int64_t v = 0;
  int shift = 0;
  std::uint8_t b = 0;
  while (p < end && shift < 64) {
    b = *p++;
    v |= static_cast<std::int64_t>(b & 0x7f) << shift;
    shift += 7;
    if (!(b & 0x80)) break;
  }
  if (shift < 64 && (b & 0x40)) v |= -(static_cast<std::int64_t>(1) << shift);
  return v;
}

// A location block decoded by hand: libdw 0.188 refuses DW_FORM_block1 locations
// of DWARF 4 units (docs/TRAPS.md). Only the operations Go emits are known;
// anything else makes the whole expression unknown (empty: "optimized out").
std::vector<LocOp> decode_block(const std::uint8_t* p, std::size_t n) {
  std::vector<LocOp> ops;
  const std::uint8_t* end = p + n;
  while (p < end) {
    LocOp op;
    op.atom = *p++;
    const std::uint8_t a = op.atom;
    if (a == DW_OP_addr) {
      if (end - p < 8) return {};
      std::memcpy(&op.number, p, 8);
      p += 8;
    } else if (a == DW_OP_fbreg || (a >= DW_OP_breg0 && a <= DW_OP_breg31) || a == DW_OP_consts) {
      op.number = static_cast<std::uint64_t>(sleb(p, end));
    } else if (a == DW_OP_piece || a == DW_OP_regx || a == DW_OP_plus_uconst || a == DW_OP_constu) {
      op.number = uleb(p, end);
    } else if (a == DW_OP_bregx) {
      op.number = uleb(p, end);
      op.number2 = static_cast<std::uint64_t>(sleb(p, end));
    } else if (!((a >= DW_OP_reg0 && a <= DW_OP_reg31) || (a >= DW_OP_lit0 && a <= DW_OP_lit31) ||
                 a == DW_OP_call_frame_cfa || a == DW_OP_stack_value || a == DW_OP_deref || a == DW_OP_plus ||
                 a == DW_OP_minus)) {
      return {};
    }
    ops.push_back(op);
  }
  return ops;
}

std::string attr_type_name(Dwarf_Die* die) {
  Dwarf_Attribute attr;
  Dwarf_Die type;
  if (dwarf_formref_die(dwarf_attr_integrate(die, DW_AT_type, &attr), &type) == nullptr) return "";
  return die_name(&type);
}

ScopeVariable read_variable(Dwarf_Die* die, std::uint64_t pc) {
  ScopeVariable v;
  v.name = die_name(die);
  v.type_name = attr_type_name(die);
  v.is_param = dwarf_tag(die) == DW_TAG_formal_parameter;
  Dwarf_Attribute attr;
  bool flag = false;
  if (dwarf_formflag(dwarf_attr_integrate(die, DW_AT_variable_parameter, &attr), &flag) == 0) v.is_result = flag;
  Dwarf_Word line = 0;
  if (dwarf_formudata(dwarf_attr_integrate(die, DW_AT_decl_line, &attr), &line) == 0) v.decl_line = static_cast<int>(line);
  if (!dwarf_attr(die, DW_AT_location, &attr)) return v;
  const unsigned form = dwarf_whatform(&attr);
  if (form == DW_FORM_block1 || form == DW_FORM_block2 || form == DW_FORM_block4 || form == DW_FORM_block ||
      form == DW_FORM_exprloc) {
    Dwarf_Block block;
    if (dwarf_formblock(&attr, &block) != 0 || block.length == 0) return v;
    v.expr = decode_block(block.data, block.length);
    v.located = !v.expr.empty();
    return v;
  }
  Dwarf_Op* ops = nullptr;
  std::size_t len = 0;
  if (dwarf_getlocation_addr(&attr, pc, &ops, &len, 1) <= 0 || len == 0) return v;
  for (std::size_t i = 0; i < len; ++i) v.expr.push_back({ops[i].atom, ops[i].number, ops[i].number2});
  v.located = true;
  return v;
}

// Adds the variables of `scope` visible at `pc` (lexical blocks included) to
// `out`; returns the inlined call that contains `pc`, if any.
std::optional<Dwarf_Die> collect(Dwarf_Die* scope, std::uint64_t pc, FrameScope& out, int depth = 0) {
  std::optional<Dwarf_Die> inlined;
  Dwarf_Die child;
  if (depth > 64 || dwarf_child(scope, &child) != 0) return inlined;
  do {
    const int tag = dwarf_tag(&child);
    if (tag == DW_TAG_formal_parameter || tag == DW_TAG_variable) {
      out.variables.push_back(read_variable(&child, pc));
    } else if (tag == DW_TAG_lexical_block) {
      if (dwarf_haspc(&child, pc) > 0)
        if (auto in = collect(&child, pc, out, depth + 1)) inlined = in;
    } else if (tag == DW_TAG_inlined_subroutine) {
      if (dwarf_haspc(&child, pc) > 0) inlined = child;
    }
  } while (dwarf_siblingof(&child, &child) == 0);
  return inlined;
}

std::optional<std::uint64_t> lowest_pc(Dwarf_Die* die) {
  Dwarf_Addr low = 0;
  if (dwarf_lowpc(die, &low) == 0) return low;
  Dwarf_Addr base = 0, start = 0, end = 0;
  std::optional<std::uint64_t> best;
  for (std::ptrdiff_t off = 0; (off = dwarf_ranges(die, off, &base, &start, &end)) > 0;)
    if (!best || start < *best) best = start;
  return best;
}

void index_inlines(Dwarf_Die* die, std::map<std::string, std::vector<std::uint64_t>, std::less<>>& out, int depth) {
  Dwarf_Die child;
  if (depth > 64 || dwarf_child(die, &child) != 0) return;
  do {
    const int tag = dwarf_tag(&child);
    if (tag == DW_TAG_inlined_subroutine) {
      if (auto pc = lowest_pc(&child)) out[die_name(&child)].push_back(*pc);
    }
    if (tag == DW_TAG_subprogram || tag == DW_TAG_lexical_block || tag == DW_TAG_inlined_subroutine)
      index_inlines(&child, out, depth + 1);
  } while (dwarf_siblingof(&child, &child) == 0);
}

}  // namespace

std::vector<FrameScope> DwarfInfo::scopes_at(std::uint64_t pc) const {
  std::vector<FrameScope> outer_first;
  const auto fn = function_at(pc);
  if (!fn) return outer_first;
  auto die = impl_->die_at(fn->die);
  if (!die) return outer_first;
  FrameScope top;
  top.function = fn->name;
  Dwarf_Die cur = *die;
  for (int depth = 0; depth < 64; ++depth) {
    auto inl = collect(&cur, pc, top);
    outer_first.push_back(std::move(top));
    if (!inl) break;
    top = FrameScope{};
    cur = *inl;
    top.function = die_name(&cur);
    top.inlined = true;
    Dwarf_Attribute attr;
    Dwarf_Word line = 0;
    if (dwarf_formudata(dwarf_attr(&cur, DW_AT_call_line, &attr), &line) == 0) top.call_line = static_cast<int>(line);
  }
  std::reverse(outer_first.begin(), outer_first.end());
  return outer_first;
}

std::vector<std::uint64_t> DwarfInfo::inlined_sites(std::string_view function) const {
  std::call_once(impl_->inlines_built, [this] {
    Dwarf* d = impl_->dwarf.get();
    Dwarf_Off off = 0, next = 0;
    std::size_t header = 0;
    while (dwarf_nextcu(d, off, &next, &header, nullptr, nullptr, nullptr) == 0) {
      Dwarf_Die cu;
      if (dwarf_offdie(d, off + header, &cu) != nullptr) index_inlines(&cu, impl_->inline_sites, 0);
      off = next;
    }
    for (auto& [name, pcs] : impl_->inline_sites) {
      std::sort(pcs.begin(), pcs.end());
      pcs.erase(std::unique(pcs.begin(), pcs.end()), pcs.end());
    }
  });
  auto it = impl_->inline_sites.find(function);
  if (it == impl_->inline_sites.end()) return {};
  return it->second;
}

}  // namespace gostep::model
