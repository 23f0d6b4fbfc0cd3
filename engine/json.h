// The one JSON serializer of the engine's answers: values, effects, stop events,
// stops, frames and threads (the state itself is gostep.dump/1, state_json.h).
// Front ends add these objects to their own (the prompt's one object per command).
#pragma once

#include <nlohmann/json.hpp>

#include "engine/target.h"

namespace gostep::engine {

using json = nlohmann::ordered_json;

json value_json(const Value& v);
json effects_json(const Effects& fx, Target& t);
// "stop": causes, where, what was hit; "effects"/"net_effects" are added by stop_event_into.
json stop_json(const StopEvent& ev, Target& t);
// Adds "stop", "effects" (per instruction), "net_effects" and "dump" to `out`.
void stop_event_into(json& out, const StopEvent& ev, Target& t);
json stop_entry_json(const Stop& s, Target& t);  // a row of `info breakpoints`
json frame_json(const model::Frame& f, std::size_t level, bool selected, Target& t);
json thread_json(const ThreadInfo& th, bool selected, Target& t);
json kernel_cause_json(const KernelCause& c);

}  // namespace gostep::engine
