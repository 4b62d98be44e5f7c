// Health of the apps/v1 controllers: Deployment, StatefulSet, DaemonSet, ReplicaSet.
// Messages follow Argo CD's (themselves borrowed from `kubectl rollout status`) word for word so
// users who know one tool recognise the other.
#include "wavesync/health/fields.hpp"
#include "wavesync/health/rules.hpp"

#include <string>

namespace wavesync::health::rules {

namespace {

Health progressing(std::string message) { return {Status::progressing, std::move(message)}; }
Health healthy(std::string message = {}) { return {Status::healthy, std::move(message)}; }

std::string n(std::int64_t value) { return std::to_string(value); }

}  // namespace

Health deployment(const Json& live) {
  if (bool_at(live, {"spec", "paused"})) return {Status::suspended, "Deployment is paused"};
  // The status describes an older spec until the controller has observed this generation; reading
  // it earlier would call a deployment healthy right after an apply that has not rolled out yet.
  if (int_at(live, {"metadata", "generation"}) > int_at(live, {"status", "observedGeneration"})) {
    return progressing(
        "Waiting for rollout to finish: observed deployment generation less than desired "
        "generation");
  }
  const Json* progressing_condition = condition(live, "Progressing");
  if (progressing_condition != nullptr &&
      field(*progressing_condition, "reason") == "ProgressDeadlineExceeded") {
    return {Status::degraded, "Deployment \"" + string_at(live, {"metadata", "name"}) +
                                  "\" exceeded its progress deadline"};
  }
  auto replicas = optional_int_at(live, {"spec", "replicas"});
  std::int64_t updated = int_at(live, {"status", "updatedReplicas"});
  std::int64_t current = int_at(live, {"status", "replicas"});
  std::int64_t available = int_at(live, {"status", "availableReplicas"});
  if (replicas && updated < *replicas) {
    return progressing("Waiting for rollout to finish: " + n(updated) + " out of " + n(*replicas) +
                       " new replicas have been updated...");
  }
  if (current > updated) {
    return progressing("Waiting for rollout to finish: " + n(current - updated) +
                       " old replicas are pending termination...");
  }
  if (available < updated) {
    return progressing("Waiting for rollout to finish: " + n(available) + " of " + n(updated) +
                       " updated replicas are available...");
  }
  return healthy();
}

Health stateful_set(const Json& live) {
  std::int64_t observed = int_at(live, {"status", "observedGeneration"});
  if (observed == 0 || int_at(live, {"metadata", "generation"}) > observed) {
    return progressing("Waiting for statefulset spec update to be observed...");
  }
  auto replicas = optional_int_at(live, {"spec", "replicas"});
  std::int64_t ready = int_at(live, {"status", "readyReplicas"});
  if (replicas && ready < *replicas) {
    return progressing("Waiting for " + n(*replicas - ready) + " pods to be ready...");
  }
  std::string strategy = string_at(live, {"spec", "updateStrategy", "type"});
  std::int64_t updated = int_at(live, {"status", "updatedReplicas"});
  const Json* rolling = find_path(live, {"spec", "updateStrategy", "rollingUpdate"});
  if (strategy == "RollingUpdate" && rolling != nullptr && !rolling->is_null()) {
    auto partition =
        optional_int_at(live, {"spec", "updateStrategy", "rollingUpdate", "partition"});
    if (replicas && partition && updated < *replicas - *partition) {
      return progressing("Waiting for partitioned roll out to finish: " + n(updated) + " out of " +
                         n(*replicas - *partition) + " new pods have been updated...");
    }
    return healthy("partitioned roll out complete: " + n(updated) +
                   " new pods have been updated...");
  }
  if (strategy == "OnDelete") return healthy("statefulset has " + n(ready) + " ready pods");
  std::string update_revision = string_at(live, {"status", "updateRevision"});
  std::string current_revision = string_at(live, {"status", "currentRevision"});
  if (update_revision != current_revision) {
    return progressing("waiting for statefulset rolling update to complete " + n(updated) +
                       " pods at revision " + update_revision + "...");
  }
  return healthy("statefulset rolling update complete " +
                 n(int_at(live, {"status", "currentReplicas"})) + " pods at revision " +
                 current_revision + "...");
}

Health daemon_set(const Json& live) {
  if (int_at(live, {"metadata", "generation"}) > int_at(live, {"status", "observedGeneration"})) {
    return progressing(
        "Waiting for rollout to finish: observed daemon set generation less than desired "
        "generation");
  }
  std::int64_t updated = int_at(live, {"status", "updatedNumberScheduled"});
  std::int64_t desired = int_at(live, {"status", "desiredNumberScheduled"});
  std::int64_t available = int_at(live, {"status", "numberAvailable"});
  if (string_at(live, {"spec", "updateStrategy", "type"}) == "OnDelete") {
    return healthy("daemon set " + n(updated) + " out of " + n(desired) +
                   " new pods have been updated");
  }
  std::string name = string_at(live, {"metadata", "name"});
  if (updated < desired) {
    return progressing("Waiting for daemon set \"" + name + "\" rollout to finish: " + n(updated) +
                       " out of " + n(desired) + " new pods have been updated...");
  }
  if (available < desired) {
    return progressing("Waiting for daemon set \"" + name + "\" rollout to finish: " +
                       n(available) + " of " + n(desired) + " updated pods are available...");
  }
  return healthy();
}

Health replica_set(const Json& live) {
  if (int_at(live, {"metadata", "generation"}) > int_at(live, {"status", "observedGeneration"})) {
    return progressing(
        "Waiting for rollout to finish: observed replica set generation less than desired "
        "generation");
  }
  const Json* failure = condition(live, "ReplicaFailure");
  if (failure != nullptr && field(*failure, "status") == "True") {
    return {Status::degraded, field(*failure, "message")};
  }
  auto replicas = optional_int_at(live, {"spec", "replicas"});
  std::int64_t available = int_at(live, {"status", "availableReplicas"});
  if (replicas && available < *replicas) {
    return progressing("Waiting for rollout to finish: " + n(available) + " out of " +
                       n(*replicas) + " new replicas are available...");
  }
  return healthy();
}

}  // namespace wavesync::health::rules
