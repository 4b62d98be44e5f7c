// Health assessment with Argo CD parity: live object JSON in, verdict out. Pure.
// Semantics: ../shared/research/argocd-semantics.md section 4.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace wavesync::health {

enum class Status { healthy, progressing, degraded, suspended, missing, unknown };

// `Healthy`, `Progressing`, `Degraded`, `Suspended`, `Missing`, `Unknown`.
std::string_view status_name(Status status);

struct Health {
  Status status = Status::unknown;
  std::string message;
};

enum class ConditionsRule { annotated_only, all_custom_resources };
enum class Role { resource, hook };  // hook pods are judged as run-to-completion

struct Options {
  ConditionsRule conditions = ConditionsRule::annotated_only;  // --health-conditions
  Role role = Role::resource;
};

// The verdict for one live object, or nullopt when no rule applies (ConfigMap, Secret,
// RBAC, most custom resources): such objects do not block a wave.
std::optional<Health> assess(const nlohmann::json& live, const Options& options);

}  // namespace wavesync::health
