// Views of Go's scheduler decoded from guest memory: g, m, p, schedt and the
// TLS slot, as the JSON contract gostep.dump/1 lists them (DESIGN.md). Every
// layout comes from the binary's DWARF (runtime2.go of go1.19 names the fields);
// nothing about offsets is hard-coded here.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "emulator/unicorn_engine.h"
#include "runtime_model/dwarf_reader.h"
#include "runtime_model/go_status.h"
#include "runtime_model/result.h"
#include "runtime_model/symbolizer.h"

namespace gostep::model {

// Reads guest memory without side effects; false if the range is unmapped.
using MemoryReader = std::function<bool(std::uint64_t addr, void* out, std::uint64_t len)>;

// runtime.g (runtime2.go: type g struct), the fields the contract shows.
struct GView {
  std::uint64_t addr = 0;
  std::int64_t goid = 0;
  std::uint32_t status = 0;  // atomicstatus, scan bit kept
  std::string status_name;
  std::uint64_t stack_lo = 0, stack_hi = 0;
  std::uint64_t stackguard0 = 0, stackguard1 = 0;
  std::uint64_t m = 0;  // *m
  std::uint64_t sched_sp = 0, sched_pc = 0, sched_g = 0;  // gobuf; sched.g is a guintptr
  std::uint64_t startpc = 0, gopc = 0;
  std::string startpc_symbol, gopc_symbol;
};

// runtime.m
struct MView {
  std::uint64_t addr = 0;
  std::int64_t id = 0;
  std::uint64_t procid = 0;
  std::uint64_t g0 = 0, curg = 0;  // *g
  std::uint64_t p = 0, nextp = 0;  // puintptr
  std::vector<std::uint64_t> tls;  // [tlsSlots]uintptr
  bool spinning = false;
};

// runtime.p
struct PView {
  std::uint64_t addr = 0;
  std::int32_t id = 0;
  std::uint32_t status = 0;
  std::string status_name;
  std::uint64_t m = 0;  // muintptr
  std::uint32_t runqhead = 0, runqtail = 0;
  std::vector<std::uint64_t> runq;  // the g addresses between runqhead and runqtail
  std::uint64_t runnext = 0;        // guintptr
};

// runtime.schedt (the global `sched`)
struct SchedView {
  std::int32_t runqsize = 0;
  std::vector<std::uint64_t> runq;  // global run queue, head to tail (g.schedlink)
  std::uint64_t midle = 0;          // muintptr
  std::int32_t nmidle = 0;
  std::uint64_t pidle = 0;          // puintptr
  std::uint32_t npidle = 0, nmspinning = 0;
  std::uint64_t goidgen = 0;
  std::vector<std::uint64_t> midle_list, pidle_list;  // followed through schedlink / link
};

// The TLS slot of one thread: the word at %fs:-8 (Go's g) and R14 (ABIInternal's g).
struct TlsView {
  std::uint64_t fs_base = 0;
  std::optional<std::uint64_t> g;  // nullopt when fs_base is 0 ("no TLS yet")
  std::string g_symbol;            // "runtime.g0", "g(goid=1)", ""
  std::uint64_t r14 = 0;
  bool agree = false;
};

struct RuntimeState {
  RegFile regs;
  TlsView tls;
  GView g0;
  MView m0;
  std::optional<GView> curg;
  std::vector<GView> allgs;
  std::vector<MView> allm;
  std::vector<PView> allp;
  SchedView sched;
};

// One changed field: "g0.stack.lo", "0x0", "0x7ffffffeee58".
struct FieldChange {
  std::string path;
  std::string before;
  std::string after;
};

class RuntimeModel {
 public:
  // Fails with a one-line reason when the binary has no DWARF or lacks a needed type.
  static Result<std::unique_ptr<RuntimeModel>> create(const DwarfInfo& dwarf, const Symbolizer& symbols);

  RuntimeState capture(const MemoryReader& mem, const RegFile& regs) const;
  GView read_g(const MemoryReader& mem, std::uint64_t addr) const;
  MView read_m(const MemoryReader& mem, std::uint64_t addr) const;
  PView read_p(const MemoryReader& mem, std::uint64_t addr) const;
  SchedView read_sched(const MemoryReader& mem) const;
  TlsView read_tls(const MemoryReader& mem, const RegFile& regs) const;
  // allgs (runtime.allgs slice), in order.
  std::vector<std::uint64_t> allg_addrs(const MemoryReader& mem) const;

  // Heap objects the model knows, by field: "g(goid=1).sched.sp", "allp[0].runnext",
  // "m(id=1).tls[0]"; nullopt for any other address.
  std::optional<std::string> describe_heap(const MemoryReader& mem, std::uint64_t addr) const;

  // "runtime.g0", "runtime.m0" or "g(goid=N)" for a g address; "" if unknown.
  std::string g_name(const MemoryReader& mem, std::uint64_t g) const;

  std::uint64_t g0_addr() const { return g0_; }
  std::uint64_t m0_addr() const { return m0_; }
  const StatusNames& statuses() const { return status_; }

  // Every field of the state as (path, value) pairs: the basis of diffs and watches.
  static std::vector<std::pair<std::string, std::string>> flatten(const RuntimeState& s);
  static std::vector<FieldChange> diff(const RuntimeState& before, const RuntimeState& after);

  struct Offsets;  // resolved field offsets (runtime_state.cpp)
  ~RuntimeModel();

 private:
  RuntimeModel(const DwarfInfo& dwarf, const Symbolizer& symbols);
  const DwarfInfo& dwarf_;
  const Symbolizer& symbols_;
  StatusNames status_;
  std::unique_ptr<Offsets> off_;
  std::uint64_t g0_ = 0, m0_ = 0, allgs_ = 0, allm_ = 0, allp_ = 0, sched_ = 0;
  std::uint64_t g_size_ = 0, m_size_ = 0, p_size_ = 0;  // sizeof, from DWARF
};

}  // namespace gostep::model
