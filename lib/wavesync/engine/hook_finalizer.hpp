// Takes Argo CD's hook finalizer off a live hook before wavesync re-runs or deletes it, as Argo
// CD's removeHookFinalizer does (gitops-engine sync_context.go), so a hook Argo CD left behind
// does not hold its deletion until --timeout. Used by sync and by `wavesync delete`.
#pragma once

#include "wavesync/kube/client.hpp"
#include "wavesync/model/result.hpp"

#include <nlohmann/json.hpp>

#include <optional>

namespace wavesync::engine {

// Removes the finalizer from the object `ref` names. `live` is what the caller last saw of it
// (nullopt: read it now). A refused patch (the object changed meanwhile) is retried on a fresh
// read, a few times, as Argo CD retries on conflict. Success when the object does not carry the
// finalizer or is gone; an error (its message names the object) otherwise.
Result<void> remove_hook_finalizer(kube::Client& client, const kube::ObjectRef& ref,
                                   std::optional<nlohmann::json> live);

}  // namespace wavesync::engine
