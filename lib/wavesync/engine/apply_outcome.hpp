// Reading the server's answer to an apply: whether it created, changed or left the object
// alone, and what to tell a person when a field is immutable. Pure. How sync options choose the
// write is plan/object_policy.hpp.
#pragma once

#include "wavesync/engine/clock.hpp"
#include "wavesync/engine/events.hpp"
#include "wavesync/plan/plan.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace wavesync::engine {

// `live` is the object the server returned. Created when its creationTimestamp is not before
// the sync started (second precision); configured when `field_manager`'s managedFields entry
// was written since then; otherwise unchanged. Two syncs within the same second can report a
// no-op as `configured`.
ApplyResult classify_apply(const nlohmann::json& live, TimePoint sync_start, const std::string& field_manager);

// For a 422 "field is immutable" rejection: the field(s) and what to do, e.g.
// `spec.selector is immutable; set argocd.argoproj.io/sync-options: Force=true (delete and
// recreate) or delete the object first`. nullopt for any other error.
std::optional<std::string> immutable_hint(const std::string& server_message);

}  // namespace wavesync::engine
