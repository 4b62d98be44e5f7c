// Health of operator kinds that Argo CD judges by a Ready-style condition with a bundled Lua
// script (resource_customizations/): External Secrets, Sealed Secrets, Strimzi, Karpenter,
// Prometheus Operator, KEDA, Knative, Keycloak, Crossplane packages, PodDisruptionBudget. Our own
// code, written from the behaviour those scripts document; the verdicts and messages match theirs.
#include "wavesync/health/fields.hpp"
#include "wavesync/health/rules.hpp"

#include <algorithm>
#include <string>
#include <vector>

namespace wavesync::health::rules {

namespace {

// The first condition of `type` that is True (Healthy) or False (Degraded) decides, with its
// message; without one, Progressing with `waiting`.
Health first_true_or_false(const Json& live, std::string_view type, const char* waiting) {
  if (const Json* conditions = conditions_of(live)) {
    for (const Json& c : *conditions) {
      if (condition_is(c, type, "False")) return {Status::degraded, field(c, "message")};
      if (condition_is(c, type, "True")) return {Status::healthy, field(c, "message")};
    }
  }
  return {Status::progressing, waiting};
}

}  // namespace

Health external_secrets(const Json& live) {
  std::string kind = string_at(live, {"kind"});
  const char* waiting = kind == "ExternalSecret" ? "Waiting for ExternalSecret" : "Waiting for SecretStore";
  return first_true_or_false(live, "Ready", waiting);
}

Health sealed_secret(const Json& live) {
  return first_true_or_false(live, "Synced", "Waiting for Sealed Secret to be decrypted");
}

Health karpenter_node_pool(const Json& live) {
  return first_true_or_false(live, "Ready", "Waiting for NodePool to be ready");
}

Health strimzi(const Json& live) {
  bool topic = string_at(live, {"kind"}) == "KafkaTopic";
  if (const Json* conditions = conditions_of(live)) {
    for (const Json& c : *conditions) {
      // A Kafka cluster reports NotReady while it is first created; that is not a failure.
      if (condition_is(c, "NotReady", "True") && (topic || field(c, "reason") != "Creating")) {
        return {Status::degraded, field(c, "message")};
      }
      if (condition_is(c, "Ready", "True")) return {Status::healthy, ""};
    }
  }
  return {Status::progressing, topic ? "Waiting for Kafka Topic" : "Waiting for Kafka Cluster"};
}

Health prometheus(const Json& live) {
  Health health{Status::progressing, "Waiting for initialization"};
  if (const Json* conditions = conditions_of(live)) {
    // The last Available condition decides.
    for (const Json& c : *conditions) {
      if (field(c, "type") != "Available") continue;
      if (field(c, "status") == "True") {
        health = {Status::healthy, "All instances are available"};
      } else {
        health.status = field(c, "reason") == "SomePodsNotReady" ? Status::progressing : Status::degraded;
        const Json* message = find_path(c, {"message"});
        health.message = message != nullptr && message->is_string() ? message->get<std::string>() : field(c, "reason");
      }
    }
  }
  return health;
}

Health keda_scaled_object(const Json& live) {
  bool healthy = false;
  bool degraded = false;
  bool paused = false;
  std::string message;
  if (const Json* conditions = conditions_of(live)) {
    for (const Json& c : *conditions) {
      // The last condition that matters gives the message, whatever the verdict.
      if (condition_is(c, "Ready", "False") || condition_is(c, "Fallback", "True")) {
        degraded = true;
        message = field(c, "message");
      } else if (condition_is(c, "Ready", "True")) {
        healthy = true;
        message = field(c, "message");
      } else if (condition_is(c, "Paused", "True")) {
        paused = true;
        message = field(c, "message");
      }
    }
  }
  if (degraded) return {Status::degraded, message};
  if (healthy) return {paused ? Status::suspended : Status::healthy, message};
  return {Status::progressing, "Creating HorizontalPodAutoscaler Object"};
}

Health knative_service(const Json& live) {
  const Json* conditions = find_path(live, {"status", "conditions"});
  if (conditions == nullptr || !(conditions->is_array() || conditions->is_object())) {
    return {Status::progressing, "Waiting for status update."};
  }
  int ready = 0;
  int failed = 0;
  int unknown = 0;
  std::string message;
  for (const Json& c : *conditions) {
    std::string type = field(c, "type");
    std::string status = field(c, "status");
    if (status == "True" && (type == "ConfigurationsReady" || type == "RoutesReady" || type == "Ready")) {
      ++ready;
    } else if (status == "False" || status == "Unknown") {
      std::string line = type + " is " + status;
      if (std::string reason = field(c, "reason"); !reason.empty()) line += ", since " + reason + ".";
      if (std::string text = field(c, "message"); !text.empty()) line += " " + text;
      message += line + "\n";
      ++(status == "False" ? failed : unknown);
    }
  }
  if (ready == 3 && failed == 0 && unknown == 0) return {Status::healthy, "Knative Service is healthy."};
  return {failed > 0 ? Status::degraded : Status::progressing, message};
}

Health keycloak(const Json& live) {
  const Json* conditions = conditions_of(live);
  if (conditions == nullptr) return {Status::progressing, "Waiting for Keycloak status conditions to exist"};
  // Oldest transition first; conditions without a time go last, in their order.
  std::vector<const Json*> ordered;
  for (const Json& c : *conditions) ordered.push_back(&c);
  std::stable_sort(ordered.begin(), ordered.end(), [](const Json* a, const Json* b) {
    const Json* ta = find_path(*a, {"lastTransitionTime"});
    const Json* tb = find_path(*b, {"lastTransitionTime"});
    if (ta == nullptr || !ta->is_string()) return false;
    if (tb == nullptr || !tb->is_string()) return true;
    return ta->get<std::string>() < tb->get<std::string>();
  });
  for (const Json* c : ordered) {
    if (condition_is(*c, "Ready", "True")) return {Status::healthy, ""};
    if (condition_is(*c, "HasErrors", "True")) return {Status::degraded, "Has Errors: " + field(*c, "message")};
  }
  return {Status::progressing, ""};
}

Health crossplane_provider(const Json& live) {
  const Json* conditions = conditions_of(live);
  if (conditions == nullptr) return {Status::progressing, "Waiting for provider to be installed"};
  bool installed = false;
  bool healthy = false;
  std::string installed_reason;
  std::string healthy_reason;
  for (const Json& c : *conditions) {
    if (field(c, "type") == "Installed") {
      installed = field(c, "status") == "True";
      installed_reason = field(c, "reason");
    } else if (field(c, "type") == "Healthy") {
      healthy = field(c, "status") == "True";
      healthy_reason = field(c, "reason");
    }
  }
  return {installed && healthy ? Status::healthy : Status::degraded, installed_reason + " " + healthy_reason};
}

Health crossplane(const Json& live) {
  static constexpr std::string_view k_no_status[] = {"Composition", "CompositionRevision", "DeploymentRuntimeConfig",
                                                     "ClusterProviderConfig", "ProviderConfig", "ProviderConfigUsage",
                                                     "ControllerConfig"};
  static constexpr std::string_view k_healthy_types[] = {"Ready", "Healthy", "Offered", "Established",
                                                         "ValidPipeline", "RevisionHealthy"};
  std::string kind = string_at(live, {"kind"});
  const Json* status = find_path(live, {"status"});
  bool empty_status = status != nullptr && status->is_object() && status->empty();
  // No status at all reads as up to date; an empty one only for kinds that never write one.
  if (status == nullptr ||
      (empty_status && std::find(std::begin(k_no_status), std::end(k_no_status), kind) != std::end(k_no_status))) {
    return {Status::healthy, "Resource is up-to-date."};
  }
  bool no_status = empty_status;
  Health health{Status::progressing, "Provisioning ..."};
  const Json* conditions = conditions_of(live);
  if (no_status || find_path(live, {"status", "conditions"}) == nullptr) {
    if ((kind == "ProviderConfig" || kind == "ClusterProviderConfig") && find_path(live, {"status", "users"}) != nullptr) {
      return {Status::healthy, "Resource is in use."};
    }
    return health;
  }
  if (conditions == nullptr) return health;
  for (const Json& c : *conditions) {
    std::string type = field(c, "type");
    if ((type == "LastAsyncOperation" || type == "Synced") && field(c, "status") == "False") {
      return {Status::degraded, field(c, "message")};
    }
    if (std::find(std::begin(k_healthy_types), std::end(k_healthy_types), type) != std::end(k_healthy_types) &&
        field(c, "status") == "True") {
      health = {Status::healthy, "Resource is up-to-date."};
    }
  }
  return health;
}

Health pod_disruption_budget(const Json& live) {
  Health health{Status::progressing, "Waiting for status"};
  if (const Json* conditions = conditions_of(live)) {
    for (const Json& c : *conditions) {
      std::string reason = field(c, "reason");
      // Too few pods to allow a disruption is the normal state of a small workload.
      if (field(c, "status") == "False" && reason != "InsufficientPods") {
        return {Status::degraded, "PodDisruptionBudget has " + reason};
      }
      health = {Status::healthy, "PodDisruptionBudget has " + reason};
    }
  }
  return health;
}

}  // namespace wavesync::health::rules
