// The runtime's state as people read it: short tables that fit in 100
// columns and read well projected in a lecture hall.
#pragma once

#include <string>

#include "runtime_model/runtime_state.h"
#include "engine/state_json.h"

namespace gostep {

std::string stop_line(const StopInfo& stop, const std::string& label);
std::string registers_text(const RegFile& regs);
std::string tls_text(const model::TlsView& t);
std::string g_text(const std::string& label, const model::GView& g);
std::string m_text(const std::string& label, const model::MView& m);
std::string p_text(const std::string& label, const model::PView& p);
std::string sched_text(const model::SchedView& s);
// Everything: the `dump` text format.
std::string state_text(const StopInfo& stop, const std::string& label, const model::RuntimeState& st);

}  // namespace gostep
