// Health assessment with Argo CD parity: live object JSON in, verdict out. Pure.
// Semantics: gitops-engine pkg/health/health.go GetResourceHealth and the per-kind rules beside it.
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

class Scripts;  // scripts.hpp

struct Options {
  ConditionsRule conditions = ConditionsRule::annotated_only;  // --health-conditions
  Role role = Role::resource;
  // The user's health scripts (--argocd-cm, --health-scripts), consulted before the built-in
  // rules; nullptr: none. Not owned; must outlive every assess call that uses these options.
  const Scripts* scripts = nullptr;
};

// The verdict for one live object, or nullopt when no rule applies (ConfigMap, Secret,
// RBAC, most custom resources): such objects do not block a wave. The rule is chosen in this
// order: `wavesync.dev/health: none` or `argocd.argoproj.io/ignore-healthcheck: "true"` (none),
// pending deletion, `wavesync.dev/health: conditions`, the user's scripts, the built-in rules
// (Argo CD's bundled scripts and Go rules, reimplemented), then --health-conditions.
std::optional<Health> assess(const nlohmann::json& live, const Options& options);

// Whether the object's group is not one served by Kubernetes itself (a CRD-defined kind).
bool is_custom_resource(const nlohmann::json& live);

// Argo CD leaves an object with this annotation set to "true" out of the application's health
// (controller/health.go); wavesync gives it no health, so it never holds a wave.
inline constexpr std::string_view k_ignore_healthcheck_annotation = "argocd.argoproj.io/ignore-healthcheck";

// Fails when `wavesync.dev/health` is set to anything but `conditions` or `none`:
// `invalid wavesync.dev/health "x": expected conditions or none`. assess ignores such values.
Result<void> check_health_annotation(const nlohmann::json& object);

}  // namespace wavesync::health
