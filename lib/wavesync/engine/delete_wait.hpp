// Deleting objects and waiting until they are gone: the one way the engine does it, for
// BeforeHookCreation hooks, Replace=true,Force=true recreates, prunes and `wavesync delete`.
// Split in two because a prune is started at the top of its wave and waited for after the
// wave's applies (gitops-engine sync_context.go runTasks); the others wait right away. Which
// propagation policy to use is the caller's decision; this module only carries it out.
#pragma once

#include "wavesync/engine/clock.hpp"
#include "wavesync/engine/events.hpp"
#include "wavesync/engine/live_view.hpp"
#include "wavesync/kube/client.hpp"
#include "wavesync/model/result.hpp"

#include <nlohmann/json.hpp>

#include <atomic>
#include <functional>
#include <string>
#include <vector>

namespace wavesync::engine {

// release: take Argo CD's hook finalizer off the live object first when it carries it
// (engine/hook_finalizer.hpp), as Argo CD does before it deletes or re-runs a hook.
enum class HookFinalizer { keep, release };
// honour: keep an object whose live annotations say `Delete=false` or
// `helm.sh/resource-policy: keep` (Argo CD's shouldBeDeleted, for an Application's deletion).
enum class LiveKeep { ignore, honour };

struct DeleteRequest {
  ObjectRef id;
  kube::Propagation propagation = kube::Propagation::foreground;
  HookFinalizer hook_finalizer = HookFinalizer::keep;
  LiveKeep live_keep = LiveKeep::ignore;
};

enum class DeleteStart {
  gone,              // not there when looked at: nothing sent
  kept,              // LiveKeep::honour and the live object asks to be kept: nothing sent
  deleting,          // the DELETE was sent
  already_deleting,  // it had a deletionTimestamp: no second DELETE (Argo CD sends none either)
  failed,            // reading it or releasing its hook finalizer failed: nothing sent
  refused,           // the DELETE was answered with an error
};

struct DeleteStarted {
  ObjectRef id;
  DeleteStart state = DeleteStart::gone;
  std::vector<std::string> finalizers;  // the live object's when looked at (blocking_finalizers)
  std::string kept;                     // kept: why (`Delete=false on the live object`)
  Error error;                          // failed, refused
};

struct DeletesStarted {
  std::vector<DeleteStarted> objects;  // in request order; cut short when interrupted
  bool interrupted = false;
};

// Covers the requests' collections in `view` first (watch, then act: no deletion after a request
// can be missed), then per request, in order: reads the object, records it in `view`, and
// deletes it with its propagation unless it is gone, kept or already being deleted. Checks
// `interrupt` (may be null) before each object. An error only when the watch cannot be opened;
// what happened to each object is in its DeleteStarted.
Result<DeletesStarted> start_deletions(kube::Client& client, LiveView& view, const std::vector<DeleteRequest>& requests,
                                       const std::atomic<int>* interrupt = nullptr);

struct GoneWait {
  WaitEnd end = WaitEnd::satisfied;
  std::vector<ObjectRef> left;  // still there when the wait ended (empty when satisfied)
};

// Waits by `view` (which start_deletions covered) until every object of `ids` is gone or
// `limits` end the wait. `on_gone` is called once per object as it goes: first for those already
// gone, then as the watch reports them. An error when the watch breaks.
Result<GoneWait> wait_until_gone(LiveView& view, Clock& clock, const std::vector<ObjectRef>& ids,
                                 const WaitLimits& limits, const std::function<void(const ObjectRef&)>& on_gone);

// What holds an object's deletion: its metadata.finalizers and, for a Namespace, its
// spec.finalizers (`kubernetes`: the namespace controller still empties it).
std::vector<std::string> blocking_finalizers(const nlohmann::json& live);

// Why an object is still there, from its last observed state: `being deleted since
// 2024-05-01T10:00:00Z, waiting on finalizers: example.com/hold` or `not marked for deletion`.
std::string still_there_reason(const Observed* last);

// blocking_finalizers as `a, b`; empty when there are none.
std::string finalizers_text(const std::vector<std::string>& finalizers);

// `foreground`, `background`, `orphan`.
std::string_view propagation_name(kube::Propagation propagation);

}  // namespace wavesync::engine
