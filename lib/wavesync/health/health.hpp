// Health assessment with Argo CD parity: live object JSON in, verdict out. Pure.
// Semantics: ../shared/research/argocd-semantics.md section 4.
#pragma once

#include "wavesync/model/result.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace wavesync::health {

enum class Status { healthy, progressing, degraded, suspended, missing, unknown };

// `Healthy`, `Progressing`, `Degraded`, `Suspended`, `Missing`, `Unknown`.
std::string_view status_name(Status status);
// The inverse of status_name (exact spelling), or nullopt.
std::optional<Status> parse_status(std::string_view name);

// Per-object override: `conditions` judges the object by the generic conditions rule,
// `none` opts it out of health gating (assess returns nullopt).
inline constexpr std::string_view k_health_annotation = "wavesync.dev/health";
// Argo CD's hook finalizer: an object being deleted that still has it is judged by its status.
inline constexpr std::string_view k_hook_finalizer = "argocd.argoproj.io/hook-finalizer";

struct Health {
  Status status = Status::unknown;
  std::string message;
  bool operator==(const Health&) const = default;
};

enum class ConditionsRule { annotated_only, all_custom_resources };
// A hook Pod ignores `argocd.argoproj.io/ignore-restart-policy`, so a Never/OnFailure hook pod
// is always judged as run-to-completion. Pods carrying an Argo CD or Helm hook annotation are
// treated as hooks whatever the role.
enum class Role { resource, hook };

struct Options {
  ConditionsRule conditions = ConditionsRule::annotated_only;  // --health-conditions
  Role role = Role::resource;
};

// The verdict for one live object, or nullopt when no rule applies (ConfigMap, Secret,
// RBAC, most custom resources): such objects do not block a wave.
std::optional<Health> assess(const nlohmann::json& live, const Options& options);

// Whether the object's group is not one served by Kubernetes itself (a CRD-defined kind).
bool is_custom_resource(const nlohmann::json& live);

// Fails when `wavesync.dev/health` is set to anything but `conditions` or `none`:
// `invalid wavesync.dev/health "x": expected conditions or none`. assess ignores such values.
Result<void> check_health_annotation(const nlohmann::json& object);

}  // namespace wavesync::health
