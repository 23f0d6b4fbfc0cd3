#include "unicorn_engine.h"

#include <fmt/format.h>
#include <unicorn/unicorn.h>

#include <cstring>
#include <utility>

namespace gostep {
namespace {

constexpr std::array<int, kRegCount> kUcRegs = {
    UC_X86_REG_RIP, UC_X86_REG_RSP, UC_X86_REG_RBP, UC_X86_REG_RAX, UC_X86_REG_RBX,
    UC_X86_REG_RCX, UC_X86_REG_RDX, UC_X86_REG_RSI, UC_X86_REG_RDI, UC_X86_REG_R8,
    UC_X86_REG_R9,  UC_X86_REG_R10, UC_X86_REG_R11, UC_X86_REG_R12, UC_X86_REG_R13,
    UC_X86_REG_R14, UC_X86_REG_R15, UC_X86_REG_EFLAGS, UC_X86_REG_FS_BASE, UC_X86_REG_GS_BASE,
};
constexpr std::array<const char*, kRegCount> kRegNames = {
    "rip", "rsp", "rbp", "rax", "rbx", "rcx", "rdx", "rsi", "rdi", "r8",
    "r9",  "r10", "r11", "r12", "r13", "r14", "r15", "rflags", "fs_base", "gs_base",
};

MemAccess access_of(uc_mem_type t) {
  switch (t) {
    case UC_MEM_WRITE:
    case UC_MEM_WRITE_UNMAPPED:
    case UC_MEM_WRITE_PROT:
      return MemAccess::write;
    case UC_MEM_FETCH:
    case UC_MEM_FETCH_UNMAPPED:
    case UC_MEM_FETCH_PROT:
      return MemAccess::fetch;
    default:
      return MemAccess::read;
  }
}

// Static trampolines: Unicorn gives back `this` as user_data. No exception may
// unwind through Unicorn's C frames: guarded() catches it, stops the engine and
// keeps it for start() to rethrow.
template <typename F>
auto guarded(void* self, decltype(std::declval<F>()()) fallback, F&& f) noexcept {
  try {
    return f();
  } catch (...) {
    static_cast<UnicornEngine*>(self)->hook_failed(std::current_exception());
    return fallback;
  }
}
template <typename F>
void guarded(void* self, F&& f) noexcept {
  try {
    f();
  } catch (...) {
    static_cast<UnicornEngine*>(self)->hook_failed(std::current_exception());
  }
}
UnicornEngine& engine(void* self) { return *static_cast<UnicornEngine*>(self); }

void code_tramp(uc_engine*, uint64_t addr, uint32_t size, void* self) {
  guarded(self, [&] { engine(self).hooks.on_insn(addr, size); });
}
void syscall_tramp(uc_engine*, void* self) {
  guarded(self, [&] { engine(self).hooks.on_syscall(); });
}
int cpuid_tramp(uc_engine* uc, void* self) {
  uint64_t leaf = 0, sub = 0;
  uc_reg_read(uc, UC_X86_REG_RAX, &leaf);
  uc_reg_read(uc, UC_X86_REG_RCX, &sub);
  std::array<std::uint32_t, 4> out{};
  guarded(self, [&] {
    engine(self).hooks.on_cpuid(static_cast<std::uint32_t>(leaf), static_cast<std::uint32_t>(sub), out);
  });
  const int ids[4] = {UC_X86_REG_RAX, UC_X86_REG_RBX, UC_X86_REG_RCX, UC_X86_REG_RDX};
  for (int i = 0; i < 4; ++i) {
    uint64_t v = out[static_cast<size_t>(i)];  // CPUID zero-extends into the 64-bit registers
    uc_reg_write(uc, ids[i], &v);
  }
  return 1;  // skip Unicorn's own CPUID
}
bool unmapped_tramp(uc_engine*, uc_mem_type t, uint64_t addr, int size, int64_t, void* self) {
  return guarded(self, false, [&] { return engine(self).hooks.on_unmapped(access_of(t), addr, size); });
}
bool prot_tramp(uc_engine*, uc_mem_type t, uint64_t addr, int size, int64_t, void* self) {
  return guarded(self, false, [&] { return engine(self).hooks.on_protection(access_of(t), addr, size); });
}
void intr_tramp(uc_engine*, uint32_t intno, void* self) {
  guarded(self, [&] { engine(self).hooks.on_interrupt(intno); });
}
void write_tramp(uc_engine*, uc_mem_type, uint64_t addr, int size, int64_t, void* self) {
  guarded(self, [&] { engine(self).hooks.on_write(addr, size); });
}

struct AddressHook {
  UnicornEngine* engine;
  std::function<void(GuestAddr)> fn;
};
void address_tramp(uc_engine*, uint64_t addr, uint32_t, void* p) {
  auto* h = static_cast<AddressHook*>(p);
  guarded(h->engine, [&] { h->fn(addr); });
}

void empty_mem_hook(uc_engine*, uc_mem_type, uint64_t, int, int64_t, void*) {}

}  // namespace

void block_trampoline(uc_struct*, std::uint64_t start, std::uint32_t size, void* self) {
  auto* e = static_cast<UnicornEngine*>(self);
  guarded(self, [&] { e->block_fn_(e->block_ctx_, start, size); });
}

const char* reg_name(Reg r) { return kRegNames[static_cast<size_t>(r)]; }

UnicornEngine::UnicornEngine() {
  check(uc_open(UC_ARCH_X86, UC_MODE_64, &uc_), "uc_open");
}

UnicornEngine::~UnicornEngine() {
  if (uc_) uc_close(uc_);
}

void UnicornEngine::hook_failed(std::exception_ptr e) {
  if (!hook_error_) hook_error_ = std::move(e);
  uc_emu_stop(uc_);
}

void UnicornEngine::check(int err, const char* what) const {
  if (err != UC_ERR_OK)
    throw EmulatorError(fmt::format("{} failed: {}", what, uc_strerror(static_cast<uc_err>(err))));
}

void UnicornEngine::install_hooks(const HookPlan& plan) {
  uc_hook h;
  if (plan.writes)
    check(uc_hook_add(uc_, &h, UC_HOOK_MEM_WRITE, reinterpret_cast<void*>(write_tramp), this, 1, 0),
          "uc_hook_add(write)");
  if (plan.per_instruction)
    check(uc_hook_add(uc_, &h, UC_HOOK_CODE, reinterpret_cast<void*>(code_tramp), this, 1, 0),
          "uc_hook_add(code)");
  if (plan.blocks) {
    if (!block_fn_) throw EmulatorError("block hook requested without a block function");
    check(uc_hook_add(uc_, &h, UC_HOOK_BLOCK, reinterpret_cast<void*>(block_trampoline), this, 1, 0),
          "uc_hook_add(block)");
  }
  if (plan.precise_faults && !plan.per_instruction) add_precise_fault_hooks(plan.writes);
  check(uc_hook_add(uc_, &h, UC_HOOK_INSN, reinterpret_cast<void*>(syscall_tramp), this, 1, 0,
                    UC_X86_INS_SYSCALL),
        "uc_hook_add(syscall)");
  check(uc_hook_add(uc_, &h, UC_HOOK_INSN, reinterpret_cast<void*>(cpuid_tramp), this, 1, 0,
                    UC_X86_INS_CPUID),
        "uc_hook_add(cpuid)");
  check(uc_hook_add(uc_, &h, UC_HOOK_MEM_UNMAPPED, reinterpret_cast<void*>(unmapped_tramp), this,
                    1, 0),
        "uc_hook_add(unmapped)");
  check(uc_hook_add(uc_, &h, UC_HOOK_MEM_PROT, reinterpret_cast<void*>(prot_tramp), this, 1, 0),
        "uc_hook_add(prot)");
  check(uc_hook_add(uc_, &h, UC_HOOK_INTR, reinterpret_cast<void*>(intr_tramp), this, 1, 0),
        "uc_hook_add(intr)");
}

void UnicornEngine::add_precise_fault_hooks(bool have_write_hook) {
  // Memory hooks on one address no access uses (begin == end == 1): their
  // presence makes Unicorn store RIP before every load and store, in code
  // translated from now on (the caller drops what is translated already:
  // UC_CTL_TB_FLUSH would clear Unicorn's whole code buffer, docs/TRAPS.md).
  uc_hook h;
  check(uc_hook_add(uc_, &h, UC_HOOK_MEM_READ, reinterpret_cast<void*>(empty_mem_hook), this, 1, 1),
        "uc_hook_add(read, precise faults)");
  if (!have_write_hook)
    check(uc_hook_add(uc_, &h, UC_HOOK_MEM_WRITE, reinterpret_cast<void*>(empty_mem_hook), this, 1, 1),
          "uc_hook_add(write, precise faults)");
}

std::uint64_t UnicornEngine::add_address_hook(GuestAddr addr, std::function<void(GuestAddr)> fn) {
  auto h = std::make_unique<AddressHook>(AddressHook{this, std::move(fn)});
  uc_hook id = 0;
  check(uc_hook_add(uc_, &id, UC_HOOK_CODE, reinterpret_cast<void*>(address_tramp), h.get(), addr, addr),
        "uc_hook_add(address)");
  address_hooks_.emplace(id, std::shared_ptr<void>(h.release(), [](void* p) { delete static_cast<AddressHook*>(p); }));
  return id;
}

void UnicornEngine::remove_address_hook(std::uint64_t id) {
  auto it = address_hooks_.find(id);
  if (it == address_hooks_.end()) return;
  check(uc_hook_del(uc_, id), "uc_hook_del");
  // Unicorn marks a deleted hook and frees it only when an emulation ends,
  // and this may run inside one: the AddressHook lives until the next start().
  retired_hooks_.push_back(std::move(it->second));
  address_hooks_.erase(it);
}

std::uint64_t UnicornEngine::reg(Reg r) const {
  uint64_t v = 0;
  check(uc_reg_read(uc_, kUcRegs[static_cast<size_t>(r)], &v), "uc_reg_read");
  return v;
}

void UnicornEngine::set_reg(Reg r, std::uint64_t v) {
  check(uc_reg_write(uc_, kUcRegs[static_cast<size_t>(r)], &v), "uc_reg_write");
}

RegFile UnicornEngine::regs() const {
  RegFile rf;
  std::array<void*, kRegCount> ptrs{};
  for (int i = 0; i < kRegCount; ++i) ptrs[static_cast<size_t>(i)] = &rf.v[static_cast<size_t>(i)];
  int ids[kRegCount];
  for (int i = 0; i < kRegCount; ++i) ids[i] = kUcRegs[static_cast<size_t>(i)];
  check(uc_reg_read_batch(uc_, ids, ptrs.data(), kRegCount), "uc_reg_read_batch");
  rf[Reg::rflags] &= 0xffffffffu;
  return rf;
}

void UnicornEngine::set_regs(const RegFile& rf) {
  for (int i = 0; i < kRegCount; ++i) set_reg(static_cast<Reg>(i), rf.v[static_cast<size_t>(i)]);
}

SseState UnicornEngine::sse() const {
  SseState s;
  for (int i = 0; i < 16; ++i)
    check(uc_reg_read(uc_, UC_X86_REG_XMM0 + i, s.xmm[static_cast<size_t>(i)].data()), "uc_reg_read(xmm)");
  uint64_t mxcsr = 0;
  check(uc_reg_read(uc_, UC_X86_REG_MXCSR, &mxcsr), "uc_reg_read(mxcsr)");
  s.mxcsr = static_cast<std::uint32_t>(mxcsr);
  return s;
}

void UnicornEngine::set_sse(const SseState& s) {
  for (int i = 0; i < 16; ++i)
    check(uc_reg_write(uc_, UC_X86_REG_XMM0 + i, s.xmm[static_cast<size_t>(i)].data()), "uc_reg_write(xmm)");
  uint64_t mxcsr = s.mxcsr;
  check(uc_reg_write(uc_, UC_X86_REG_MXCSR, &mxcsr), "uc_reg_write(mxcsr)");
}

void UnicornEngine::map_host(GuestAddr addr, std::uint64_t len, std::uint32_t prot, std::uint8_t* host) {
  check(uc_mem_map_ptr(uc_, addr, len, prot, host), "uc_mem_map_ptr");
}
void UnicornEngine::unmap(GuestAddr addr, std::uint64_t len) {
  check(uc_mem_unmap(uc_, addr, len), "uc_mem_unmap");
}
void UnicornEngine::protect(GuestAddr addr, std::uint64_t len, std::uint32_t prot) {
  check(uc_mem_protect(uc_, addr, len, prot), "uc_mem_protect");
}
std::vector<UnicornEngine::Region> UnicornEngine::regions() const {
  uc_mem_region* r = nullptr;
  uint32_t n = 0;
  check(uc_mem_regions(uc_, &r, &n), "uc_mem_regions");
  std::vector<Region> out;
  for (uint32_t i = 0; i < n; ++i) out.push_back({r[i].begin, r[i].end, r[i].perms});
  uc_free(r);
  return out;
}

void UnicornEngine::invalidate_code(GuestAddr begin, GuestAddr end) {
  check(uc_ctl_remove_cache(uc_, begin, end), "uc_ctl_remove_cache");
}

int UnicornEngine::start(GuestAddr pc) {
  retired_hooks_.clear();
  const int err = uc_emu_start(uc_, pc, 0, 0, 0);
  if (hook_error_) std::rethrow_exception(std::exchange(hook_error_, nullptr));
  return err;
}
void UnicornEngine::stop() { uc_emu_stop(uc_); }
const char* UnicornEngine::error_text(int err) { return uc_strerror(static_cast<uc_err>(err)); }
bool UnicornEngine::is_fetch_error(int err) {
  return err == UC_ERR_FETCH_UNMAPPED || err == UC_ERR_FETCH_PROT;
}

UnicornEngine::Context::~Context() { uc_context_free(ctx_); }

std::unique_ptr<UnicornEngine::Context> UnicornEngine::new_context() {
  uc_context* c = nullptr;
  check(uc_context_alloc(uc_, &c), "uc_context_alloc");
  return std::unique_ptr<Context>(new Context(c));
}
// uc_context_size is documented as the whole buffer uc_context_save fills
// (header included): a saved context is plain bytes, and copies as such.
std::unique_ptr<UnicornEngine::Context> UnicornEngine::copy_context(const Context& c) {
  auto out = new_context();
  std::memcpy(out->ctx_, c.ctx_, uc_context_size(uc_));
  return out;
}
void UnicornEngine::save(Context& c) { check(uc_context_save(uc_, c.ctx_), "uc_context_save"); }
void UnicornEngine::restore(const Context& c) {
  check(uc_context_restore(uc_, c.ctx_), "uc_context_restore");
}

}  // namespace gostep
