// x/FMT and disassemble: memory and code as gdb shows them, in the output's width.
#include <fmt/format.h>

#include <algorithm>
#include <cstdint>

#include "debugger.h"
#include "examine.h"
#include "tools/text_util.h"

namespace gostep {
namespace {
using json = nlohmann::ordered_json;
std::string hex(std::uint64_t v) { return fmt::format("{:#x}", v); }
}  // namespace

// ---------------------------------------------------------------- x

void Debugger::cmd_x(const Args& a) {
  const auto f = parse_xformat(a.count_suffix, x_format_, x_size_);
  if (!f) return error(f.error());
  GuestAddr addr = 0;
  if (a.rest.empty()) {
    if (!x_next_) return error("Argument required (starting display address): x/FMT ADDR, e.g. x/4gx $sp");
    addr = *x_next_;
  } else {
    const auto v = t_.evaluate(a.rest);
    if (!v) return error(explain(a.rest, v.error()));
    // A struct or byte string is examined where it lives; a number or pointer is the address.
    addr = !v->scalar() && v->address ? *v->address : v->bits;
  }
  const GuestAddr pc = t_.pc(t_.selected_thread());
  const Examined r = examine(t_, att_syntax_, *f, addr, pc);
  say(r.text);
  x_next_ = r.next;
  x_format_ = f->fmt;
  if (f->fmt != 's' && f->fmt != 'i') x_size_ = f->size;
  result_["address"] = hex(addr);
  result_["format"] = fmt::format("{}{}{}", f->count, f->fmt, f->fmt == 's' || f->fmt == 'i' ? "" : std::string(1, f->size));
  result_["items"] = r.items;
  if (!r.error.empty()) error(r.error);
}

// ---------------------------------------------------------------- disassemble

void Debugger::cmd_disassemble(const Args& a) {
  if (!a.count_suffix.empty() && a.count_suffix != "s" && a.count_suffix != "m" && a.count_suffix != "r")
    return error(fmt::format("Invalid disassembly modifier \"/{}\"; gostep always shows source lines (/s).", a.count_suffix));
  const GuestAddr pc = t_.pc(t_.selected_thread());
  // LOC: SYMBOL, SYMBOL+OFF, 0xADDR, FILE:LINE, milestone:NAME, or an expression ($pc, g0.sched.pc).
  auto resolve = [&](const std::string& loc) -> model::Result<GuestAddr> {
    auto l = t_.session().resolve(loc);
    if (l) {
      if (l->kind == Location::Kind::insn) return model::Error{"disassemble needs an address; insn:N is a moment, not a place"};
      return l->addr;
    }
    const bool expr_like = loc.find_first_of("$*()+-&") != std::string::npos || loc.find('.') != std::string::npos;
    if (expr_like)
      if (const auto v = t_.evaluate(loc)) return v->bits;
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
      const auto len = t_.evaluate(end_text.substr(1));
      if (!len) return error(explain(end_text.substr(1), len.error()));
      if (len->bits > (1u << 20)) return error("That range is over 1 MiB of code; give a smaller one.");
      hi = lo + len->bits;
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
    const auto fn = t_.symbols().function_at(at);
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
  while (code.size() > hi - lo && !t_.read_memory(lo, code.data(), code.size())) code.pop_back();
  if (!t_.read_memory(lo, code.data(), code.size()))
    return error(fmt::format("Cannot access memory at address {:#x}", lo));
  const Disassembler dis(att_syntax_ ? Disassembler::Syntax::att : Disassembler::Syntax::intel);
  // A listing keeps one instruction per line: long lines are clipped, not wrapped.
  const std::size_t listing_width = width() ? width() : SIZE_MAX;
  std::string s = head + "\n";
  json insns = json::array();
  std::string last_src;
  const std::size_t off_width = fmt::format("<+{}>:", hi - lo).size();
  std::size_t label_width = 0;
  if (!relative_to_function)
    for (GuestAddr at : {lo, hi - 1}) label_width = std::max(label_width, code_label(t_, at).size() + 3);
  for (GuestAddr at = lo; at < hi;) {
    std::string src_short;
    if (auto src = t_.symbols().source(at)) {
      src_short = src->short_form();
      if (src_short != last_src) {
        const auto text = sources_.line(src->full_path, src->line);
        s += clip(expand_tabs(text && !text->empty() ? src_short + "  " + *text : src_short), listing_width) + "\n";
        last_src = src_short;
      }
    }
    std::string text;
    const std::size_t len = decode_for_listing(dis, code.data() + (at - lo), code.size() - static_cast<std::size_t>(at - lo), at, text);
    text = with_target(t_, text);
    std::string where;
    if (relative_to_function) {
      where = fmt::format("{:<{}}", fmt::format("<+{}>:", at - base), off_width);
    } else {
      const std::string name = code_label(t_, at);
      where = fmt::format("{:<{}}", name.empty() ? ":" : "<" + name + ">:", label_width);
    }
    const std::string row = clip(fmt::format("{}{:#x} {} {}", at == pc ? "=> " : "   ", at, where, text), listing_width);
    s += (at == pc ? paint_(Paint::current, row) : row) + "\n";
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

}  // namespace gostep
