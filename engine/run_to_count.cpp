#include "run_to_count.h"

namespace gostep::engine {

StopReason run_to_count(Process& p, std::uint64_t count, const std::function<bool(const StopReason&)>& run_on) {
  p.stop_before_insn(count + 1);
  StopReason r;
  do r = p.run();
  while (r.kind != StopKind::insn_reached && run_on(r));
  p.stop_before_insn(std::nullopt);
  return r;
}

bool is_user_stop(const StopReason& r) {
  return r.kind == StopKind::breakpoint || r.kind == StopKind::watch || r.kind == StopKind::syscall_caught;
}

}  // namespace gostep::engine
