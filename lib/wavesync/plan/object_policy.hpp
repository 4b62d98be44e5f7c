// What an object's `argocd.argoproj.io/sync-options` ask of the writes and deletions that touch
// it: how it is written (Replace=true, Force=true), whether the server validates its fields
// (Validate=false), whether its dry run may be skipped (SkipDryRunOnMissingResource=true),
// and whether pruning or deleting it needs confirmation (Prune=confirm, Delete=confirm) or is
// left out (CRDs on delete). Pure: Argo CD's rules from gitops-engine/pkg/sync/sync_context.go
// (applyObject, objRequiresPruneConfirmation, getSyncTasks) and controller/appcontroller.go
// (shouldBeDeleted), as values in and values out. Performing the writes is engine/'s job.
#pragma once

#include "wavesync/plan/plan.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace wavesync {

// How a resource asks to be written.
enum class WriteMode {
  apply,          // server-side apply
  force,          // Force=true: server-side apply; recreate when the server rejects it as invalid
  replace,        // Replace=true: `kubectl replace` (PUT of the whole object), create when missing
  replace_force,  // Replace=true,Force=true: `kubectl replace --force` (delete, then create)
};
WriteMode write_mode(const SyncOptions& options);

// The request that writes an object now.
enum class WriteRequest {
  server_side_apply,  // PATCH application/apply-patch+yaml
  create,             // POST
  update,             // PUT with the live object's resourceVersion
  delete_and_create,  // DELETE (foreground, wait until gone), then POST
};

// Argo CD's applyObject: Replace writes a missing object with create and an existing one with
// `kubectl replace` (PUT), or delete-and-create under Force. A CustomResourceDefinition or a
// Namespace is never deleted that way (it would take every custom resource, or everything in
// the namespace, with it): it gets a plain update. `kind`/`api_version` are the object's.
WriteRequest write_request(WriteMode mode, const std::string& api_version, const std::string& kind,
                           bool exists);

// Force=true without Replace: whether a rejected server-side apply is answered by deleting and
// re-creating the object. Only for 422 (invalid, e.g. an immutable field): a 409 is a field
// manager conflict, which a recreate would not resolve but silently overrule.
bool recreate_after_rejection(WriteMode mode, int http_status);

// Validate=false: the server is told to ignore unknown and duplicate fields of this object
// (`fieldValidation=Ignore`, as `kubectl apply --validate=false`) instead of rejecting them.
bool skips_field_validation(const SyncOptions& options);

// SkipDryRunOnMissingResource=true: a kind the server does not serve yet is not a validation
// failure for this object (its CRD is expected to come from elsewhere during the sync).
bool skip_dry_run_on_missing_resource(const SyncOptions& options);

// Prune=confirm on the live object (Argo reads the live object's annotation for prunes).
bool prune_needs_confirmation(const SyncOptions& live_options);

enum class CrdDeletion { keep, include };  // include: `wavesync delete --include-crds`

// What `wavesync delete` does with a manifest object.
enum class DeleteDecision { remove, keep, confirm };
struct DeleteVerdict {
  DeleteDecision decision = DeleteDecision::remove;
  std::string reason;  // for keep and confirm: `Delete=false`, `Delete=confirm`, ...
};
// Argo CD's shouldBeDeleted and RequiresDeletionConfirmation: Delete=false,
// `helm.sh/resource-policy: keep` and (unless `crds` is include) CRDs are kept; Delete=confirm
// needs confirmation. Hooks left by syncs are deleted like everything else (Argo CD's cascade
// deletes every object of the Application). The live object's annotations: live_options.hpp.
DeleteVerdict delete_verdict(const PlannedResource& resource, CrdDeletion crds);

bool is_crd(const std::string& api_version, const std::string& kind);
bool is_namespace(const std::string& api_version, const std::string& kind);

}  // namespace wavesync
