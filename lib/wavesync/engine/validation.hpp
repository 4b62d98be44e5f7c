// The check before the first write: every kind of the plan is resolved through discovery, then
// every object is dry-run on the server (concurrently), so an object the server would reject in
// a late wave stops the sync before anything is written. Argo CD also checks before a sync
// (gitops-engine/pkg/sync/sync_context.go: getSyncTasks resolves every kind, then a dry-run of
// every task), but its dry run is client-side (applyObject always uses DryRunClient), so a
// server's rejection is found only when that wave is written; wavesync asks the server. As in
// Argo CD, a kind whose CRD comes with the same sync, or an object marked
// SkipDryRunOnMissingResource=true, is not checked. An object in a namespace this sync creates
// cannot be dry-run either and is listed as unchecked. Writes nothing.
#pragma once

#include "wavesync/engine/events.hpp"
#include "wavesync/kube/client.hpp"
#include "wavesync/plan/plan.hpp"

#include <cstddef>
#include <string>
#include <vector>

namespace wavesync::engine {

struct ValidationOptions {
  kube::ForceConflicts force_conflicts = kube::ForceConflicts::yes;
  std::string field_manager = "wavesync";
  // --create-namespace: the namespace the sync creates first; objects in it cannot be dry-run
  // while it is missing, as for a Namespace in the plan.
  std::string created_namespace;
};

// One object the server would reject, or would not serve.
struct ValidationFailure {
  const PlannedResource* planned = nullptr;
  ObjectRef id;
  std::string message;  // the server's message (+ an immutable-field hint)
};

// One object the server was not asked about. Two words per object: a first sync into a
// namespace it creates leaves every object of that namespace unchecked.
struct Unchecked {
  enum class Reason : unsigned char { crd_in_plan, skip_missing_resource, namespace_in_plan };
  const PlannedResource* planned = nullptr;
  Reason reason = Reason::crd_in_plan;

  // `its CustomResourceDefinition is created by this sync`, ...
  [[nodiscard]] std::string why() const;
};

struct ValidationReport {
  std::vector<ValidationFailure> failures;  // in plan order
  std::vector<Unchecked> unchecked;         // in plan order
  std::size_t checked = 0;                  // objects the server accepted
  // 0 when nothing failed; 4 when the cluster could not be reached; else 1.
  int exit_code = 0;
};

// Dry-runs every object of every step (SyncFail hooks included), as each would be written:
// Validate=false objects with field validation off, generateName-only hooks by a dry-run
// create. A 422 that the real write answers by recreating (Force=true, Replace=true with
// Force=true, a BeforeHookCreation hook) is not a failure.
ValidationReport validate_plan(const Plan& plan, kube::Client& client, const ValidationOptions& options);

// `manifests/web.yaml:12: apps/v1 Deployment shop/web: 422 ...` for one failure.
std::string describe(const ValidationFailure& failure);

}  // namespace wavesync::engine
