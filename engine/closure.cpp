#include "engine/closure.h"

#include <dwarf.h>

#include "emulator/disassembler.h"

namespace gostep::engine {
namespace {

// Capstone's register to DWARF's x86-64 number (System V psABI figure 3.36).
int dwarf_number(unsigned reg) {
  switch (reg) {
    case X86_REG_RAX: return 0;
    case X86_REG_RDX: return 1;
    case X86_REG_RCX: return 2;
    case X86_REG_RBX: return 3;
    case X86_REG_RSI: return 4;
    case X86_REG_RDI: return 5;
    case X86_REG_R8: return 8;
    case X86_REG_R9: return 9;
    case X86_REG_R10: return 10;
    case X86_REG_R11: return 11;
    case X86_REG_R12: return 12;
    case X86_REG_R13: return 13;
    case X86_REG_R15: return 15;
    default: return -1;
  }
}

}  // namespace

std::vector<Value> captured_variables(Session& s, const ValueReader& reader, GuestAddr fn, GuestAddr obj,
                                      std::vector<Range>* reads) {
  std::vector<Value> out;
  const model::DwarfInfo* dw = s.dwarf();
  const auto f = dw ? dw->function_at(fn) : std::nullopt;
  if (!f || f->low != fn || f->name.find(".func") == std::string::npos) return out;
  std::vector<std::uint8_t> code(std::min<std::uint64_t>(f->high - f->low, 256));
  if (code.empty() || !s.process().memory().peek(fn, code.data(), code.size())) return out;
  static const Disassembler intel(Disassembler::Syntax::intel);
  for (const auto& in : intel.decode_all(code, fn)) {
    if (in.flow != Flow::none) break;  // the loads come first, before any call or jump
    if (in.ops.size() != 2 || in.ops[0].type != X86_OP_REG || in.ops[1].type != X86_OP_MEM) continue;
    const auto& mem = in.ops[1].mem;
    if (mem.base != X86_REG_RDX || mem.index != X86_REG_INVALID || mem.disp < 8) continue;
    const int reg = dwarf_number(in.ops[0].reg);
    if (reg < 0) continue;
    // The variable DWARF places in that register right after the load.
    for (const auto& scope : dw->scopes_at(in.next())) {
      if (scope.function != f->name) continue;
      for (const auto& v : scope.variables) {
        if (v.is_param || !v.located || v.expr.size() != 1 || v.expr[0].atom != DW_OP_reg0 + reg) continue;
        std::vector<Range> r;
        auto val = reader.read(obj + static_cast<std::uint64_t>(mem.disp), v.type_name, r);
        if (!val) continue;
        std::string name = v.name;
        if (!name.empty() && name[0] == '&') {  // captured by reference: the object holds &x
          name = name.substr(1);
          if (val->kind == ValueKind::pointer && val->bits) {
            auto target = reader.read(val->bits, val->pointee, r);
            if (target) val = std::move(target);
          }
        }
        if (reads) reads->insert(reads->end(), r.begin(), r.end());
        val->name = name;
        out.push_back(std::move(*val));
      }
    }
  }
  return out;
}

ValueReader program_reader(Session& s) {
  auto plain = [&s]() {
    ValueReader r(*s.dwarf(), s.model() ? &s.model()->statuses() : nullptr,
                  [&s](GuestAddr a, void* out, std::uint64_t n) { return s.process().memory().peek(a, out, n); });
    r.set_code_names([&s](GuestAddr pc) {
      const auto f = s.symbols().function_at(pc);
      return f ? f->name : std::string();
    });
    return r;
  };
  ValueReader r = plain();
  r.set_captured([&s, plain](GuestAddr fn, GuestAddr obj, std::vector<Range>* reads) {
    const ValueReader inner = plain();
    return captured_variables(s, inner, fn, obj, reads);
  });
  return r;
}

}  // namespace gostep::engine
