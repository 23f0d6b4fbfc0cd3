// The pclntab reader (runtime_model/pclntab) over any bytes, as a whole file:
// parsing either fails with a reason or gives tables every query can use.
#include <cstdint>
#include <span>

#include "runtime_model/pclntab.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace gostep::model;
  auto p = Pclntab::parse(std::span<const std::uint8_t>(data, size));
  if (!p) return 0;
  std::size_t n = 0;
  for (const auto& f : p->functions()) {
    if (++n > 64) break;
    for (std::uint64_t pc : {f.entry, f.entry + 1, (f.entry + f.end) / 2, f.end - 1, f.end}) {
      (void)p->function_at(pc);
      (void)p->sp_delta(f, pc);
      (void)p->position(f, pc);
      (void)p->inlined_at(f, pc);
    }
    (void)p->function(f.name);
  }
  return 0;
}
