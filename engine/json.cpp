#include "engine/json.h"

#include <fmt/format.h>

#include "emulator/disassembler.h"
#include "emulator/linux/syscall_table.h"
#include "engine/state_json.h"

namespace gostep::engine {
namespace {

json hex(std::uint64_t v) { return fmt::format("{:#x}", v); }
json or_null(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }

json bytes_json(const std::vector<std::uint8_t>& b) {
  if (b.size() <= 8) {
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < b.size(); ++i) v |= std::uint64_t{b[i]} << (8 * i);
    return hex(v);
  }
  std::string s;
  for (auto c : b) s += fmt::format("{:02x}", c);
  return s;
}

const char* kind_name(ValueKind k) {
  switch (k) {
    case ValueKind::integer: return "integer";
    case ValueKind::boolean: return "bool";
    case ValueKind::pointer: return "pointer";
    case ValueKind::structure: return "struct";
    case ValueKind::array: return "array";
    case ValueKind::bytes: return "bytes";
    case ValueKind::string: return "string";
    case ValueKind::slice: return "slice";
    case ValueKind::map: return "map";
    case ValueKind::chan: return "chan";
    case ValueKind::interface: return "interface";
    case ValueKind::func: return "func";
  }
  return "?";
}

json syscall_json(const SyscallRecord& c) {
  const SyscallInfo* info = find_syscall(c.nr);
  json args = json::object();
  for (std::size_t i = 0; i < 6; ++i) {
    if (info && !info->args[i]) break;
    args[info ? info->args[i] : fmt::format("arg{}", i)] = hex(c.args[i]);
  }
  return json{{"nr", c.nr},
              {"name", info ? std::string(info->name) : syscall_name(c.nr)},
              {"pc", hex(c.pc)},
              {"args", args},
              {"result", c.blocked ? json(nullptr) : json(c.result)},
              {"blocked", c.blocked}};
}

}  // namespace

json kernel_cause_json(const KernelCause& c) {
  switch (c.kind) {
    case KernelCause::Kind::none: return nullptr;
    case KernelCause::Kind::syscall: return json{{"kind", "syscall"}, {"syscall", syscall_name(c.syscall_nr)}, {"thread", c.tid}};
    case KernelCause::Kind::wake: return json{{"kind", "wake"}, {"syscall", syscall_name(c.syscall_nr)}, {"thread", c.tid}};
    case KernelCause::Kind::signal_delivery: return json{{"kind", "signal_delivery"}, {"signal", c.signal}, {"thread", c.tid}};
  }
  return nullptr;
}

json value_json(const Value& v) {
  json j{{"kind", kind_name(v.kind)}, {"type", or_null(v.type)}};
  j["address"] = v.address ? hex(*v.address) : json(nullptr);
  auto elements = [&]() {
    json list = json::array();
    for (const auto& c : v.children) list.push_back(value_json(c));
    return list;
  };
  if (v.optimized_out) {
    j["optimized_out"] = true;
    if (v.kind != ValueKind::structure) return j;  // a struct may have some fields
  }
  switch (v.kind) {
    case ValueKind::string:
      // Text as text (invalid UTF-8 is replaced when the document is written); bytes as numbers too.
      j["value"] = std::string(v.bytes.begin(), v.bytes.end());
      j["length"] = v.length;
      j["truncated"] = v.bytes.size() < v.length;
      break;
    case ValueKind::slice:
      j["array"] = v.bits ? hex(v.bits) : json(nullptr);
      j["length"] = v.length;
      j["capacity"] = v.capacity_unknown ? json(nullptr) : json(v.capacity);
      j["elements"] = elements();
      break;
    case ValueKind::map:
      j["value"] = v.bits ? hex(v.bits) : json(nullptr);
      j["count"] = v.length;
      break;
    case ValueKind::chan: {
      j["value"] = v.bits ? hex(v.bits) : json(nullptr);
      if (!v.bits) break;
      j["qcount"] = v.length;
      j["dataqsiz"] = v.capacity;
      j["closed"] = v.closed;
      j["queue"] = elements();
      j["recv_waiting"] = v.recv_waiting;
      j["send_waiting"] = v.send_waiting;
      break;
    }
    case ValueKind::interface:
      j["dynamic_type"] = v.dynamic_type.empty() ? json(nullptr) : json(v.dynamic_type);
      j["data"] = v.children.empty() ? json(nullptr) : value_json(v.children[0]);
      break;
    case ValueKind::func: {
      j["value"] = v.bits ? hex(v.bits) : json(nullptr);
      j["function"] = or_null(v.function);
      json cap = json::array();
      for (const auto& c : v.children) cap.push_back(json{{"name", c.name}, {"value", value_json(c)}});
      j["captured"] = cap;
      break;
    }
    case ValueKind::integer:
      if (v.is_signed) j["value"] = v.as_int();
      else if (v.address_like) j["value"] = hex(v.bits);
      else j["value"] = v.bits;
      break;
    case ValueKind::boolean: j["value"] = v.bits != 0; break;
    case ValueKind::pointer:
      j["value"] = v.bits ? hex(v.bits) : json(nullptr);
      j["pointee"] = v.pointee;
      if (!v.children.empty()) j["target"] = value_json(v.children[0]);
      break;
    case ValueKind::bytes: j["value"] = bytes_json(v.bytes); break;
    case ValueKind::structure:
    case ValueKind::array: {
      json fields = json::array();
      for (const auto& c : v.children) fields.push_back(json{{"name", c.name}, {"value", value_json(c)}});
      j[v.kind == ValueKind::array ? "elements" : "fields"] = fields;
      if (v.kind == ValueKind::array) j["length"] = v.length;
      if (v.elided) j["elided"] = true;
      break;
    }
  }
  if (!v.constant.empty()) j["constant"] = v.constant;
  return j;
}

json effects_json(const Effects& fx, Target& t) {
  std::uint8_t code[16] = {};
  t.read_memory(fx.pc, code, sizeof code);
  const auto src = t.symbols().source(fx.pc);
  json j{{"insn", fx.insn},
         {"thread", fx.tid},
         {"pc", hex(fx.pc)},
         {"function", t.symbols().describe_code(fx.pc)},
         {"disassembly", disassemble_one(code, fx.pc)},
         {"source", src ? json(src->short_form()) : json(nullptr)},
         {"instructions", fx.insns}};
  json regs = json::object();
  for (int r = 0; r < kRegCount; ++r) {
    const Reg reg = static_cast<Reg>(r);
    if (reg == Reg::rip || fx.before[reg] == fx.after[reg]) continue;
    regs[reg_name(reg)] = {hex(fx.before[reg]), hex(fx.after[reg])};
  }
  j["registers"] = regs;
  json writes = json::array();
  for (const auto& w : fx.writes)
    writes.push_back({{"addr", hex(w.addr)},
                      {"symbol", or_null(w.symbol)},
                      {"before", bytes_json(w.before)},
                      {"after", bytes_json(w.after)},
                      {"by_kernel", w.by_kernel},
                      {"kernel", kernel_cause_json(w.cause)}});
  j["writes"] = writes;
  j["unnamed_writes"] = fx.unnamed_writes;
  json fields = json::array();
  for (const auto& f : fx.fields) fields.push_back({{"path", f.path}, {"before", f.before}, {"after", f.after}});
  j["fields"] = fields;
  json calls = json::array();
  for (const auto& c : fx.syscalls) calls.push_back(syscall_json(c));
  j["syscalls"] = calls;
  return j;
}

json stop_json(const StopEvent& ev, Target& t) {
  json causes = json::array();
  for (auto c : ev.causes) causes.push_back(to_string(c));
  json j{{"causes", causes}, {"thread", ev.tid}, {"pc", hex(ev.pc)}, {"insn", ev.insn}};
  j["function"] = t.symbols().describe_code(ev.pc);
  json bps = json::array();
  for (const auto& b : ev.breakpoints) bps.push_back({{"number", b.number}, {"temporary", b.temporary}, {"hits", b.hits}});
  j["breakpoints"] = bps;
  json wps = json::array();
  for (const auto& w : ev.watchpoints)
    wps.push_back({{"number", w.number},
                   {"expr", w.expr},
                   {"old", w.old_value ? value_json(*w.old_value) : json(nullptr)},
                   {"new", w.new_value ? value_json(*w.new_value) : json(nullptr)},
                   {"writer_pc", w.writer_pc ? hex(w.writer_pc) : json(nullptr)},
                   {"writer_insn", w.writer_insn},
                   {"writer_thread", w.writer_tid},
                   {"kernel", kernel_cause_json(w.cause)},
                   {"scope_ended", w.scope_ended}});
  j["watchpoints"] = wps;
  j["catchpoint"] = ev.catchpoint ? json{{"number", ev.catchpoint->number},
                                         {"syscall", syscall_name(ev.catchpoint->syscall_nr)},
                                         {"nr", ev.catchpoint->syscall_nr}}
                                  : json(nullptr);
  j["signal"] = ev.signal ? json(ev.signal) : json(nullptr);
  j["exit_status"] = ev.ended() || ev.has(StopCause::stopped_by_gostep) || ev.has(StopCause::deadlock)
                         ? json(ev.exit_status)
                         : json(nullptr);
  j["thread_changed"] = ev.thread_changed;
  j["blocked"] = ev.blocked ? json{{"thread", ev.blocked_tid}, {"waiting", *ev.blocked}} : json(nullptr);
  j["note"] = or_null(ev.note);
  return j;
}

void stop_event_into(json& out, const StopEvent& ev, Target& t) {
  out["stop"] = stop_json(ev, t);
  if (!ev.steps.empty()) {
    json steps = json::array();
    for (const auto& fx : ev.steps) steps.push_back(effects_json(fx, t));
    out["effects"] = steps;
  }
  if (ev.net) out["net_effects"] = effects_json(*ev.net, t);
  if (!ev.ended() && t.session().model())
    out["dump"] = dump_json(stop_info(t.session()), t.runtime_state(t.current_thread()));
}

json stop_entry_json(const Stop& s, Target& t) {
  const char* type = s.type == Stop::Type::breakpoint ? "breakpoint" : s.type == Stop::Type::watchpoint ? "watchpoint" : "catchpoint";
  json j{{"number", s.number}, {"type", type}, {"enabled", s.enabled}, {"temporary", s.temporary},
         {"what", s.what},     {"hits", s.hits}, {"ignore", s.ignore}};
  if (s.type == Stop::Type::breakpoint) {
    json locs = json::array();
    for (GuestAddr a : s.addrs) {
      const auto src = t.symbols().source(a);
      locs.push_back({{"addr", hex(a)}, {"function", t.symbols().describe_code(a)}, {"source", src ? json(src->short_form()) : json(nullptr)}});
    }
    j["locations"] = locs;
    j["condition"] = or_null(s.condition);
  }
  if (s.type == Stop::Type::watchpoint) j["value"] = s.last ? value_json(*s.last) : json(nullptr);
  if (s.type == Stop::Type::catchpoint) {
    json calls = json::array();
    for (auto nr : s.syscalls) calls.push_back(syscall_name(nr));
    j["syscalls"] = calls;
  }
  return j;
}

json frame_json(const model::Frame& f, std::size_t level, bool selected, Target& t) {
  json j;
  j["level"] = level;
  j["pc"] = hex(f.pc);
  if (!f.function.empty()) {
    j["function"] = f.function;
  } else {
    const auto sym = t.symbols().function_at(f.lookup_pc);
    j["function"] = sym ? sym->name : f.func ? f.func->name : "??";
  }
  const auto src = f.function.empty() ? t.symbols().source(f.lookup_pc) : f.source;
  if (src) {
    j["file"] = src->file;
    j["line"] = src->line;
    j["source"] = src->short_form();
  } else {
    j["file"] = nullptr;
    j["line"] = nullptr;
    j["source"] = nullptr;
  }
  j["inlined"] = f.inlined;
  j["sp"] = hex(f.sp);
  j["frame_size"] = f.frame_size;
  j["cfa"] = f.cfa ? hex(f.cfa) : json(nullptr);
  j["return_address"] = f.ret_addr ? hex(f.ret_addr) : json(nullptr);
  j["outermost"] = f.outermost;
  if (!f.note.empty()) j["note"] = f.note;
  j["selected"] = selected;
  return j;
}

json thread_json(const ThreadInfo& th, bool selected, Target& t) {
  return json{{"tid", th.tid},
              {"state", th.waiting.empty() ? "runnable" : th.waiting},
              {"pc", hex(th.pc)},
              {"function", t.symbols().describe_code(th.pc)},
              {"insns", th.insns},
              {"selected", selected}};
}

}  // namespace gostep::engine
