// Health of kinds that Argo CD judges with a bundled Lua script (resource_customizations/):
// CustomResourceDefinition, cert-manager and rabbitmq.com. Our own code, written from the
// behaviour those scripts document; the messages match theirs.
#include "wavesync/health/fields.hpp"
#include "wavesync/health/rules.hpp"

#include <string>

namespace wavesync::health::rules {

namespace {

// cert-manager's Ready condition, shared by Certificate, Issuer and ClusterIssuer: the first
// Ready condition decides.
std::optional<Health> ready_condition(const Json& conditions) {
  for (const Json& c : conditions) {
    if (condition_is(c, "Ready", "False")) return Health{Status::degraded, field(c, "message")};
    if (condition_is(c, "Ready", "True")) return Health{Status::healthy, field(c, "message")};
  }
  return std::nullopt;
}

}  // namespace

Health custom_resource_definition(const Json& live) {
  const Json* conditions = conditions_of(live);
  if (conditions == nullptr || conditions->empty()) {
    return {Status::progressing, "Status conditions not found"};
  }
  bool established = false;
  bool installing = false;
  bool terminating = false;
  bool names_rejected = false;
  bool non_structural = false;
  std::string message;  // of the last condition that set a flag, as the Lua script does
  for (const Json& c : *conditions) {
    if (condition_is(c, "Terminating", "True")) {
      terminating = true;
      message = field(c, "message");
    } else if (condition_is(c, "NamesAccepted", "False")) {
      names_rejected = true;
      message = field(c, "message");
    } else if (condition_is(c, "Established", "True")) {
      established = true;
      message = field(c, "message");
    } else if (field(c, "type") == "Established" && field(c, "reason") == "Installing") {
      installing = true;
    } else if (condition_is(c, "NonStructuralSchema", "True")) {
      non_structural = true;
      message = field(c, "message");
    }
  }
  if (terminating) return {Status::progressing, "CRD is terminating: " + message};
  if (names_rejected) return {Status::degraded, "CRD names have not been accepted: " + message};
  // The API server sets Established=False/Installing while it prepares to serve the new kind;
  // that is progress, not failure (argo-cd issue #25084).
  if (installing) return {Status::progressing, "CRD is being installed"};
  if (!established) return {Status::degraded, "CRD is not established"};
  if (non_structural) return {Status::degraded, "Schema violations found: " + message};
  return {Status::healthy, "CRD is healthy"};
}

Health cert_manager_certificate(const Json& live) {
  if (const Json* conditions = conditions_of(live)) {
    // A re-issue in flight wins over a Ready condition left from the previous certificate.
    for (const Json& c : *conditions) {
      if (condition_is(c, "Issuing", "True")) return {Status::progressing, field(c, "message")};
    }
    if (auto health = ready_condition(*conditions)) return *health;
  }
  return {Status::progressing, "Waiting for certificate"};
}

Health cert_manager_issuer(const Json& live) {
  if (const Json* conditions = conditions_of(live)) {
    if (auto health = ready_condition(*conditions)) return *health;
  }
  return {Status::progressing,
          string_at(live, {"kind"}) == "ClusterIssuer" ? "Initializing ClusterIssuer" : "Initializing issuer"};
}

Health rabbitmq_topology(const Json& live, const char* noun) {
  std::string what = std::string("RabbitMQ ") + noun;
  if (const Json* conditions = conditions_of(live)) {
    for (const Json& c : *conditions) {
      if (field(c, "type") != "Ready") continue;
      std::string reason = field(c, "reason");
      if (field(c, "status") == "True" && reason == "SuccessfulCreateOrUpdate") {
        return {Status::healthy, what + " ready"};
      }
      if (field(c, "status") == "False" && reason == "FailedCreateOrUpdate") {
        return {Status::degraded, what + " failed to be created or updated"};
      }
    }
  }
  // Unknown rather than Progressing: as a resource it keeps a wave waiting, as a hook it fails.
  return {Status::unknown, what + " status is unknown"};
}

Health rabbitmq_cluster(const Json& live) {
  const Json* conditions = conditions_of(live);
  if (conditions == nullptr) return {Status::progressing, "Waiting for RabbitMQ Operator"};
  const Json* available = nullptr;
  const Json* replicas_ready = nullptr;
  for (const Json& c : *conditions) {
    if (condition_is(c, "ReconcileSuccess", "False")) return {Status::degraded, field(c, "message")};
    if (field(c, "type") == "ClusterAvailable") available = &c;
    if (field(c, "type") == "AllReplicasReady") replicas_ready = &c;
  }
  std::string available_status = available ? field(*available, "status") : "";
  std::string ready_status = replicas_ready ? field(*replicas_ready, "status") : "";
  // The operator sets these to Unknown briefly while forming the cluster.
  if (available_status == "Unknown" || ready_status == "Unknown") {
    return {Status::progressing, "Waiting for RabbitMQ cluster readiness (conditions unknown)"};
  }
  if (ready_status == "False" && field(*replicas_ready, "reason") == "ScaledToZero" &&
      optional_int_at(live, {"spec", "replicas"}) == 0) {
    return {Status::suspended, "RabbitmqCluster is scaled to 0 replicas"};
  }
  if (available_status == "False") {
    return {Status::progressing, "Waiting for RabbitMQ cluster formation"};
  }
  if (ready_status == "False") return {Status::progressing, "Waiting for RabbitMQ instances ready"};
  if (available_status == "True" && ready_status == "True") {
    return {Status::healthy, "RabbitMQ cluster ready"};
  }
  return {Status::progressing, "Waiting for RabbitMQ Operator"};
}

}  // namespace wavesync::health::rules
