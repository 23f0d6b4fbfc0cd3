// The runtime's state as people read it: short tables that read well projected
// in a lecture hall. Values that changed since the state shown before are
// painted (Highlight); the caller fits the lines to the width (text_util.h).
#pragma once

#include <set>
#include <string>

#include "engine/state_json.h"
#include "runtime_model/runtime_state.h"
#include "tools/color.h"

namespace gostep {

// What to paint: the paths (as RuntimeModel::flatten names them, "g0.stack.lo",
// "allp[0].runnext") whose values changed since the last state shown.
struct Highlight {
  Palette paint;
  std::set<std::string> changed;
  bool has(const std::string& path) const { return paint.on() && changed.count(path) != 0; }
};

// Whether the code at a pc is ABI0 (assembly, or an ABI wrapper), where R14 is
// not yet the g register: the TLS view says so instead of reporting a disagreement.
bool abi0_code(const model::Symbolizer& symbols, GuestAddr pc);

std::string stop_line(const StopInfo& stop, const std::string& label);
std::string registers_text(const RegFile& regs);
std::string tls_text(const model::TlsView& t, bool in_abi0_code, const Highlight* h = nullptr);
// `path`: the object's name in the flattened state ("g0", "g(goid=1)", "m0", "allp[0]").
std::string g_text(const std::string& label, const model::GView& g, const Highlight* h = nullptr,
                   const std::string& path = "");
std::string m_text(const std::string& label, const model::MView& m, const Highlight* h = nullptr,
                   const std::string& path = "");
std::string p_text(const std::string& label, const model::PView& p, const Highlight* h = nullptr,
                   const std::string& path = "");
std::string sched_text(const model::SchedView& s, const Highlight* h = nullptr);
// The flattened name of a g ("g0", "g(goid=1)") and of an m ("m0", "m(id=2)").
std::string g_path(const model::RuntimeState& st, const model::GView& g);
std::string m_path(const model::RuntimeState& st, const model::MView& m);
// Everything: the `dump` text format.
std::string state_text(const StopInfo& stop, const std::string& label, const model::RuntimeState& st,
                       bool in_abi0_code, const Highlight* h = nullptr);

}  // namespace gostep
