#include "milestones.h"

#include "emulator/disassembler.h"

#include <algorithm>
#include <functional>
#include <map>
#include <string_view>

namespace gostep::model {
namespace {

using Insn = Instruction;

const ElfSymbol* symbol(const ElfImage& img, const std::string& name) {
  for (const auto& s : img.symbols)
    if (s.name == name) return &s;
  return nullptr;
}

// Decodes one function's instructions (with Capstone's operand details).
std::vector<Insn> decode_function(const ElfImage& img, const ElfSymbol& fn) {
  static const Disassembler dis(Disassembler::Syntax::intel);
  for (const auto& seg : img.segments) {
    if (fn.addr < seg.vaddr || fn.addr >= seg.vaddr + seg.filesz) continue;
    const std::uint64_t size = std::min<std::uint64_t>(fn.size ? fn.size : 4096, seg.vaddr + seg.filesz - fn.addr);
    return dis.decode_all(std::span<const std::uint8_t>(img.bytes).subspan(seg.offset + (fn.addr - seg.vaddr), size),
                          fn.addr);
  }
  return {};
}

bool is_reg(const cs_x86_op& op, x86_reg r) { return op.type == X86_OP_REG && op.reg == r; }
bool is_mem(const cs_x86_op& op, x86_reg base, std::int64_t disp, x86_reg seg = X86_REG_INVALID) {
  return op.type == X86_OP_MEM && op.mem.base == base && op.mem.disp == disp && op.mem.segment == seg &&
         op.mem.index == X86_REG_INVALID;
}
// Intel operand order (Capstone's detail): ops[0] is the destination.
bool is_store(const Insn& in, x86_reg base, std::int64_t disp, x86_reg src, x86_reg seg = X86_REG_INVALID) {
  return in.id == X86_INS_MOV && in.ops.size() == 2 && is_mem(in.ops[0], base, disp, seg) && is_reg(in.ops[1], src);
}
bool is_call_to(const Insn& in, GuestAddr target) {
  return in.id == X86_INS_CALL && in.ops.size() == 1 && in.ops[0].type == X86_OP_IMM &&
         static_cast<GuestAddr>(in.ops[0].imm) == target;
}

}  // namespace

const std::vector<std::string>& milestone_names() {
  static const std::vector<std::string> names = {
      "entry",  "rt0_go", "g0_stack", "settls_return", "tls_checked", "g0_in_tls",
      "m0_g0",  "g0_m",   "schedinit_return", "newproc_return", "mstart", "schedule",
      "execute", "gogo",  "runtime_main", "main_main"};
  return names;
}

std::vector<Milestone> demo_milestones(const ElfImage& img) {
  constexpr std::string_view prefix = "main.milestone_";
  std::map<GuestAddr, std::string> by_addr;
  for (const auto& s : img.symbols) {
    if (!s.is_function || s.name.rfind(prefix, 0) != 0) continue;
    std::string name = s.name.substr(prefix.size());
    if (name.size() > 5 && name.compare(name.size() - 5, 5, ".abi0") == 0) name.resize(name.size() - 5);
    by_addr.emplace(s.addr, name);
  }
  std::vector<Milestone> out;
  if (by_addr.empty()) return out;
  out.push_back({"entry", "the ELF entry point: the stack is the kernel's", img.entry, ""});
  for (const auto& [addr, name] : by_addr) out.push_back({name, "", addr, ""});
  return out;
}

std::vector<Milestone> find_milestones(const ElfImage& img, const BootstrapOffsets& off) {
  if (auto demo = demo_milestones(img); !demo.empty()) return demo;
  std::map<std::string, std::string> desc = {
      {"entry", "ELF entry point _rt0_amd64_linux: argc and argv are on the OS stack"},
      {"rt0_go", "runtime.rt0_go begins: the bootstrap proper"},
      {"g0_stack", "g0's stack carved out of the OS stack (stack.lo/hi, stackguard0/1 set)"},
      {"settls_return", "back from runtime.settls: arch_prctl(ARCH_SET_FS) pointed FS at m0.tls"},
      {"tls_checked", "0x123 written through %fs:-8 read back from m0.tls[0]: TLS works"},
      {"g0_in_tls", "g0 stored at %fs:-8 (m0.tls[0]): getg() now returns g0"},
      {"m0_g0", "m0.g0 = &g0"},
      {"g0_m", "g0.m = &m0: m0 and g0 are bound to each other"},
      {"schedinit_return", "back from schedinit: Ps created, allp[0] taken by m0"},
      {"newproc_return", "back from newproc: the main goroutine waits in allp[0].runnext"},
      {"mstart", "runtime.mstart: m0 starts scheduling (it never returns)"},
      {"schedule", "runtime.schedule, first time: find a runnable goroutine"},
      {"execute", "runtime.execute, first time: the main goroutine becomes _Grunning"},
      {"gogo", "runtime.gogo, first time: switch from g0's stack to the goroutine's"},
      {"runtime_main", "runtime.main runs on goroutine 1"},
      {"main_main", "main.main: the user's program begins"},
  };
  std::map<std::string, std::optional<GuestAddr>> at;
  std::map<std::string, std::string> missing;
  auto by_symbol = [&](const std::string& m, const std::string& sym) {
    if (const ElfSymbol* s = symbol(img, sym)) at[m] = s->addr;
    else missing[m] = "no symbol " + sym + " (stripped binary?)";
  };
  at["entry"] = img.entry;
  by_symbol("rt0_go", "runtime.rt0_go.abi0");
  by_symbol("mstart", "runtime.mstart.abi0");
  by_symbol("schedule", "runtime.schedule");
  by_symbol("execute", "runtime.execute");
  by_symbol("gogo", "runtime.gogo.abi0");
  by_symbol("runtime_main", "runtime.main");
  by_symbol("main_main", "main.main");

  const ElfSymbol* rt0 = symbol(img, "runtime.rt0_go.abi0");
  if (rt0) {
    const std::vector<Insn> code = decode_function(img, *rt0);
    // Each pattern is searched after the previous one, in the order of asm_amd64.s.
    std::size_t from = 0;
    auto find_after = [&](const std::string& m, const std::function<bool(const Insn&)>& match,
                          const std::function<GuestAddr(std::size_t)>& where, const std::string& what) {
      for (std::size_t i = from; i < code.size(); ++i)
        if (match(code[i])) {
          at[m] = where(i);
          from = i + 1;
          return;
        }
      missing[m] = "pattern not found in runtime.rt0_go: " + what;
    };
    auto next = [&](std::size_t i) { return code[i].next(); };
    auto call_to = [&](const std::string& sym) {
      const ElfSymbol* s = symbol(img, sym);
      const GuestAddr target = s ? s->addr : 0;
      return [target](const Insn& in) { return target && is_call_to(in, target); };
    };
    find_after("g0_stack", [&](const Insn& in) { return is_store(in, X86_REG_RDI, off.g_stack_hi, X86_REG_RSP); },
               next, "MOVQ SP, (g_stack+stack_hi)(DI)");
    find_after("settls_return", call_to("runtime.settls.abi0"), next, "CALL runtime·settls");
    find_after("tls_checked",
               [](const Insn& in) {
                 return in.id == X86_INS_CMP && in.ops.size() == 2 && is_reg(in.ops[0], X86_REG_RAX) &&
                        in.ops[1].type == X86_OP_IMM && in.ops[1].imm == 0x123;
               },
               [&](std::size_t i) -> GuestAddr {
                 // The jump after the compare goes to ok: when the check passed.
                 if (i + 1 < code.size() && code[i + 1].id == X86_INS_JE && !code[i + 1].ops.empty())
                   return static_cast<GuestAddr>(code[i + 1].ops[0].imm);
                 return i + 2 < code.size() ? code[i + 2].addr : code[i].next();
               },
               "CMPQ AX, $0x123; JEQ ok");
    find_after("g0_in_tls", [](const Insn& in) { return is_store(in, X86_REG_INVALID, -8, X86_REG_RCX, X86_REG_FS); },
               next, "MOVQ CX, g(BX)");
    find_after("m0_g0", [&](const Insn& in) { return is_store(in, X86_REG_RAX, off.m_g0, X86_REG_RCX); }, next,
               "MOVQ CX, m_g0(AX)");
    find_after("g0_m", [&](const Insn& in) { return is_store(in, X86_REG_RCX, off.g_m, X86_REG_RAX); }, next,
               "MOVQ AX, g_m(CX)");
    find_after("schedinit_return", call_to("runtime.schedinit.abi0"), next, "CALL runtime·schedinit");
    find_after("newproc_return", call_to("runtime.newproc.abi0"), next, "CALL runtime·newproc");
  } else {
    for (const char* m : {"g0_stack", "settls_return", "tls_checked", "g0_in_tls", "m0_g0", "g0_m",
                          "schedinit_return", "newproc_return"})
      missing[m] = "no symbol runtime.rt0_go.abi0 (stripped binary?)";
  }

  std::vector<Milestone> out;
  for (const auto& name : milestone_names()) {
    Milestone m{name, desc[name], std::nullopt, ""};
    if (auto it = at.find(name); it != at.end()) m.pc = it->second;
    else m.why_missing = missing[name];
    out.push_back(std::move(m));
  }
  return out;
}

}  // namespace gostep::model
