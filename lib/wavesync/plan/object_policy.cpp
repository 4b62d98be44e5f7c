#include "wavesync/plan/object_policy.hpp"

namespace wavesync {

bool is_crd(const std::string& api_version, const std::string& kind) {
  return kind == "CustomResourceDefinition" && group_of(api_version) == "apiextensions.k8s.io";
}

bool is_namespace(const std::string& api_version, const std::string& kind) {
  return kind == "Namespace" && group_of(api_version).empty();
}

WriteMode write_mode(const SyncOptions& options) {
  const bool replace = options.has("Replace", "true");
  const bool force = options.has("Force", "true");
  if (replace) return force ? WriteMode::replace_force : WriteMode::replace;
  return force ? WriteMode::force : WriteMode::apply;
}

WriteRequest write_request(WriteMode mode, const std::string& api_version, const std::string& kind,
                           bool exists) {
  if (mode == WriteMode::apply || mode == WriteMode::force) return WriteRequest::server_side_apply;
  if (!exists) return WriteRequest::create;
  if (mode == WriteMode::replace_force && !is_crd(api_version, kind) && !is_namespace(api_version, kind))
    return WriteRequest::delete_and_create;
  return WriteRequest::update;
}

bool recreate_after_rejection(WriteMode mode, int http_status) {
  return mode == WriteMode::force && http_status == 422;
}

bool skips_field_validation(const SyncOptions& options) { return options.has("Validate", "false"); }

bool skip_dry_run_on_missing_resource(const SyncOptions& options) {
  return options.has("SkipDryRunOnMissingResource", "true");
}

bool prune_needs_confirmation(const SyncOptions& live_options) {
  return live_options.has("Prune", "confirm");
}

DeleteVerdict delete_verdict(const PlannedResource& resource, CrdDeletion crds) {
  const Resource& r = resource.resource;
  if (resource.sync_options.has("Delete", "false")) return {DeleteDecision::keep, "Delete=false"};
  const std::string* policy = r.annotation("helm.sh/resource-policy");
  if (policy != nullptr && *policy == "keep") return {DeleteDecision::keep, "helm.sh/resource-policy: keep"};
  if (crds == CrdDeletion::keep && is_crd(r.api_version(), r.kind()))
    return {DeleteDecision::keep, "a CRD, kept with every custom resource of its kind; --include-crds deletes it"};
  if (resource.sync_options.has("Delete", "confirm")) return {DeleteDecision::confirm, "Delete=confirm"};
  return {DeleteDecision::remove, ""};
}

}  // namespace wavesync
