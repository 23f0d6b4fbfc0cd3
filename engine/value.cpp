#include "engine/value.h"

namespace gostep::engine {

std::int64_t Value::as_int() const {
  if (!is_signed || size >= 8) return static_cast<std::int64_t>(bits);
  const std::uint64_t sign = 1ULL << (size * 8 - 1);
  const std::uint64_t mask = (1ULL << (size * 8)) - 1;
  return static_cast<std::int64_t>(((bits & mask) ^ sign) - sign);
}

bool Value::same_as(const Value& o) const {
  if (kind != o.kind || bits != o.bits || bytes != o.bytes || children.size() != o.children.size() ||
      address != o.address || optimized_out != o.optimized_out || length != o.length || capacity != o.capacity ||
      capacity_unknown != o.capacity_unknown ||
      dynamic_type != o.dynamic_type || closed != o.closed || recv_waiting != o.recv_waiting ||
      send_waiting != o.send_waiting)
    return false;
  for (std::size_t i = 0; i < children.size(); ++i)
    if (!children[i].same_as(o.children[i])) return false;
  return true;
}

}  // namespace gostep::engine
