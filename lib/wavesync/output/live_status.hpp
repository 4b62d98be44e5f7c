// `wavesync status`'s output: the report engine::collect_status returns, as text (one header
// per step, one line per object) or JSON. Pure formatting; reads nothing from the cluster.
#pragma once

#include "wavesync/engine/status.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace wavesync::output {

// One header per step, one line per object; ends with a count line.
std::string format_status_text(const engine::StatusReport& report);
// {"ok":bool,"steps":[{"phase","wave","objects":[{"resource","source","hook","exists","health",
// "hookState","error"}]}]}
nlohmann::json status_json(const engine::StatusReport& report);

}  // namespace wavesync::output
