// The one owner of the Unicorn engine. Nothing else includes <unicorn/unicorn.h>:
// every uc_* call goes through here, and every error becomes an EmulatorError
// that names the call (dynarmic's wrapper does the same).
#pragma once

#include <array>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <span>
#include <unordered_map>
#include <vector>

#include "guest.h"

struct uc_struct;
struct uc_context;

namespace gostep {

// Registers by gostep's own ids; the table in unicorn_engine.cpp maps them to
// Unicorn's. The order is the order of the JSON contract.
enum class Reg : int {
  rip, rsp, rbp, rax, rbx, rcx, rdx, rsi, rdi,
  r8, r9, r10, r11, r12, r13, r14, r15,
  rflags, fs_base, gs_base,
  count
};
inline constexpr int kRegCount = static_cast<int>(Reg::count);
const char* reg_name(Reg r);

// Full general-purpose register file (what a signal frame or a dump needs).
struct RegFile {
  std::array<std::uint64_t, kRegCount> v{};
  std::uint64_t& operator[](Reg r) { return v[static_cast<int>(r)]; }
  std::uint64_t operator[](Reg r) const { return v[static_cast<int>(r)]; }
};

// The SSE state that signal frames save and restore (FXSAVE layout subset).
struct SseState {
  std::array<std::array<std::uint8_t, 16>, 16> xmm{};
  std::uint32_t mxcsr = 0x1f80;
};

enum : std::uint32_t { kProtRead = 1, kProtWrite = 2, kProtExec = 4 };

enum class MemAccess { read, write, fetch };

// Callbacks the engine forwards to. They run inside Unicorn; an exception one
// throws is caught at the trampoline, stops the engine and is rethrown by start().
struct EngineHooks {
  // Before each instruction (only when the per-instruction hook is installed).
  std::function<void(GuestAddr pc, std::uint32_t size)> on_insn;
  // SYSCALL executed (RIP still points at it).
  std::function<void()> on_syscall;
  // CPUID: fill eax..edx for leaf/subleaf.
  std::function<void(std::uint32_t leaf, std::uint32_t sub, std::array<std::uint32_t, 4>& out)> on_cpuid;
  // Access to memory Unicorn has not mapped: return true after mapping it to retry.
  std::function<bool(MemAccess, GuestAddr addr, int size)> on_unmapped;
  // Access that the page protection forbids.
  std::function<bool(MemAccess, GuestAddr addr, int size)> on_protection;
  // CPU exception (int3, #DE, #UD, #GP...).
  std::function<void(std::uint32_t intno)> on_interrupt;
  // A guest store is about to happen (only when write hooks are installed).
  std::function<void(GuestAddr addr, int size)> on_write;
};

class UnicornEngine {
 public:
  UnicornEngine();
  ~UnicornEngine();
  UnicornEngine(const UnicornEngine&) = delete;
  UnicornEngine& operator=(const UnicornEngine&) = delete;

  // Hooks: install once, after setting `hooks` (and set_block_hook).
  EngineHooks hooks;
  struct HookPlan {
    bool per_instruction = false;  // hooks.on_insn before every instruction
    bool blocks = false;           // the block function at the start of every translated block
    bool writes = false;           // hooks.on_write before every store
    // Exact RIP at a memory fault. Unicorn 2.0.1 leaves RIP at the start of
    // the translated block (with the registers of the instructions before the
    // faulting one already changed) unless a memory hook or the instruction
    // hook makes it store RIP before each access (docs/TRAPS.md).
    bool precise_faults = false;
  };
  void install_hooks(const HookPlan& plan);
  // Turns precise_faults on after install_hooks (`have_write_hook`: plan.writes
  // was on). Code translated before keeps running without it: invalidate_code.
  void add_precise_fault_hooks(bool have_write_hook);
  // The block hook is a plain function pointer: it runs once per executed
  // block, the hottest callback there is.
  using BlockFn = void (*)(void* ctx, GuestAddr start, std::uint32_t size);
  void set_block_hook(BlockFn fn, void* ctx) {
    block_fn_ = fn;
    block_ctx_ = ctx;
  }
  // A code hook on exactly one address (RDTSC fix-ups, breakpoints and exact
  // stops under block counting); it runs before the instruction there. Code
  // already translated there gets it only after invalidate_code on it.
  // Returns an id for remove_address_hook.
  std::uint64_t add_address_hook(GuestAddr addr, std::function<void(GuestAddr)> fn);
  void remove_address_hook(std::uint64_t id);

  std::uint64_t reg(Reg r) const;
  void set_reg(Reg r, std::uint64_t v);
  RegFile regs() const;
  void set_regs(const RegFile& rf);
  SseState sse() const;
  void set_sse(const SseState& s);

  // Guest memory is gostep's: `host` holds the bytes of [addr, addr+len) and
  // Unicorn uses them in place (uc_mem_map_ptr). unmap and protect may cover
  // part of such a region: Unicorn splits it and keeps using the same bytes.
  void map_host(GuestAddr addr, std::uint64_t len, std::uint32_t prot, std::uint8_t* host);
  void unmap(GuestAddr addr, std::uint64_t len);
  void protect(GuestAddr addr, std::uint64_t len, std::uint32_t prot);
  struct Region {
    GuestAddr begin, end;  // end inclusive, as Unicorn reports it
    std::uint32_t prot;
  };
  std::vector<Region> regions() const;  // what Unicorn has mapped (tests, reports)
  // Drops translated code of [begin, end) (after a hook was added there, or
  // before code memory is unmapped).
  void invalidate_code(GuestAddr begin, GuestAddr end);

  // Runs from `pc` until a hook calls stop(). Returns Unicorn's error code
  // (0 = stopped cleanly); error_text() explains a non-zero one. An exception
  // thrown by a hook is rethrown here, after Unicorn has returned.
  int start(GuestAddr pc);
  void stop();
  static const char* error_text(int err);
  static bool is_fetch_error(int err);

  // CPU state of one emulated thread.
  class Context {
   public:
    Context(const Context&) = delete;
    Context& operator=(const Context&) = delete;
    ~Context();
   private:
    friend class UnicornEngine;
    explicit Context(uc_context* c) : ctx_(c) {}
    uc_context* ctx_;
  };
  std::unique_ptr<Context> new_context();
  std::unique_ptr<Context> copy_context(const Context& c);  // time travel's checkpoints
  void save(Context& c);
  void restore(const Context& c);

  // For the trampolines: keeps a hook's exception until start() returns.
  void hook_failed(std::exception_ptr e);

 private:
  void check(int err, const char* what) const;
  uc_struct* uc_ = nullptr;
  std::exception_ptr hook_error_;
  std::unordered_map<std::uint64_t, std::shared_ptr<void>> address_hooks_;  // uc_hook -> AddressHook
  std::vector<std::shared_ptr<void>> retired_hooks_;  // removed; freed at the next start()
  BlockFn block_fn_ = nullptr;
  void* block_ctx_ = nullptr;
  friend void block_trampoline(uc_struct*, std::uint64_t, std::uint32_t, void*);
};

}  // namespace gostep
