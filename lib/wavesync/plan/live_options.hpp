// What the sync options on a live object add to its manifest's, as Argo CD reads them: applyObject
// replaces or forces when the manifest *or* the live object says Replace=true / Force=true
// (gitops-engine sync_context.go), and an Application's deletion keeps what the live object marks
// Delete=false or `helm.sh/resource-policy: keep` (controller/appcontroller.go shouldBeDeleted).
// Pure: values in, values out.
#pragma once

#include "wavesync/plan/object_policy.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace wavesync {

// The `argocd.argoproj.io/sync-options` of a live object (parsed as a manifest's; malformed
// items are ignored here, the manifest's reading warns about its own).
SyncOptions live_sync_options(const nlohmann::json& live);

// The manifest's write mode with Replace=true and Force=true also taken from the live object.
WriteMode write_mode(const SyncOptions& manifest, const SyncOptions& live);

// Whether the live object asks `wavesync delete` to confirm first (`Delete=confirm`).
bool delete_needs_confirmation(const nlohmann::json& live);

// Why `wavesync delete` keeps an object because of its live annotations (`Delete=false`,
// `helm.sh/resource-policy: keep`), or nullopt.
std::optional<std::string> kept_by_live_object(const nlohmann::json& live);

}  // namespace wavesync
