// The gostep.dump/1 JSON object (DESIGN.md, "JSON dump"): one compact line
// per stop, keys in the contract's order.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

#include "runtime_model/runtime_state.h"
#include "session/session.h"

namespace gostep {

struct StopInfo {
  std::string loc;     // symbolized pc: "runtime.rt0_go.abi0+0xb7"
  GuestAddr pc = 0;
  std::uint64_t insn = 0;  // the number of the instruction about to execute
  int thread = 0;
  std::string source;  // "asm_amd64.s:256", or "" when unknown
};

StopInfo stop_info(Session& s);

nlohmann::ordered_json dump_json(const StopInfo& stop, const model::RuntimeState& st);

}  // namespace gostep
