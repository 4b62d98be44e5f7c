// Health of database, storage and operator-lifecycle kinds as Argo CD's bundled scripts judge
// them (resource_customizations/): CloudNativePG Cluster, Rook CephCluster and CephObjectStore,
// OLM Subscription, MinIO Tenant. Our own code, written from the behaviour those scripts
// document; verdicts and messages match theirs.
#include "wavesync/health/fields.hpp"
#include "wavesync/health/rules.hpp"

#include <array>
#include <map>
#include <string>
#include <vector>

namespace wavesync::health::rules {

namespace {

// A string field, or nullopt when absent or not a string (Lua's nil).
std::optional<std::string> optional_string(const Json& node, std::initializer_list<std::string_view> path) {
  const Json* value = find_path(node, path);
  if (value == nullptr || !value->is_string()) return std::nullopt;
  return value->get<std::string>();
}

}  // namespace

Health cnpg_cluster(const Json& live) {
  // CloudNativePG's phase strings (status.phase) and what each means for a deploy.
  static const std::map<std::string, Status, std::less<>> k_phases = {
      {"Cluster in healthy state", Status::healthy},
      {"Setting up primary", Status::progressing},
      {"Creating a new replica", Status::progressing},
      {"Upgrading cluster", Status::progressing},
      {"Waiting for the instances to become active", Status::progressing},
      {"Promoting to primary cluster", Status::progressing},
      {"Switchover in progress", Status::degraded},
      {"Failing over", Status::degraded},
      {"Upgrading Postgres major version", Status::degraded},
      {"Cluster upgrade delayed", Status::degraded},
      {"Waiting for user action", Status::degraded},
      {"Primary instance is being restarted in-place", Status::degraded},
      {"Primary instance is being restarted without a switchover", Status::degraded},
      {"Cluster cannot execute instance online upgrade due to missing architecture binary", Status::degraded},
      {"Online upgrade in progress", Status::degraded},
      {"Applying configuration", Status::degraded},
      {"Unable to create required cluster objects", Status::suspended},
      {"Cluster cannot proceed to reconciliation due to an unknown plugin being required", Status::suspended},
      {"Cluster has incomplete or invalid image catalog", Status::suspended},
      {"Cluster is unrecoverable and needs manual intervention", Status::suspended},
  };
  const std::string* loop = annotation(live, "cnpg.io/reconciliationLoop");
  if (loop != nullptr && *loop == "disabled") return {Status::suspended, "Cluster reconciliation is suspended"};
  std::string reason = string_at(live, {"status", "phaseReason"});
  const Json* conditions = find_path(live, {"status", "conditions"});
  if (conditions == nullptr || conditions->is_null()) return {Status::progressing, reason};
  if (conditions->is_array() || conditions->is_object()) {
    for (const Json& c : *conditions) {
      if (field(c, "type") == "cnpg.io/hibernation") {
        return {field(c, "status") == "True" ? Status::suspended : Status::degraded, field(c, "message")};
      }
    }
  }
  auto phase = k_phases.find(string_at(live, {"status", "phase"}));
  return {phase != k_phases.end() ? phase->second : Status::unknown, reason};
}

Health ceph_cluster(const Json& live) {
  Health health{Status::progressing, ""};
  auto append = [&](const std::string& part) {
    if (part.empty()) return;
    health.message = health.message.empty() ? part : health.message + " - " + part;
  };
  const Json* status = find_path(live, {"status"});
  if (status == nullptr || status->is_null()) {
    append("Waiting for status to be reported");
    return health;
  }
  if (auto ceph_health = optional_string(live, {"status", "ceph", "health"})) {
    std::string details;
    if (const Json* all = find_path(live, {"status", "ceph", "details"}); all != nullptr && all->is_object()) {
      // Details in the order of their names (nlohmann keeps object keys sorted).
      std::vector<std::string> parts;
      for (const auto& [name, detail] : all->items()) {
        if (auto message = optional_string(detail, {"message"})) parts.push_back(*message);
      }
      for (std::size_t i = 0; i < parts.size(); ++i) details += (i == 0 ? " (" : "; ") + parts[i];
      if (!parts.empty()) details += ")";
    }
    if (*ceph_health == "HEALTH_ERR" || *ceph_health == "HEALTH_WARN") health.status = Status::degraded;
    if (*ceph_health == "HEALTH_OK") health.status = Status::healthy;
    append("Ceph health is " + *ceph_health + details);
  }
  if (auto state = optional_string(live, {"status", "state"}); state && health.status == Status::healthy) {
    append("Ceph cluster state is " + *state);
    if (*state == "Error") {
      health.status = Status::degraded;
    } else if (*state != "Created" && *state != "Connected") {
      health.status = Status::progressing;
    }
  }
  if (auto message = optional_string(live, {"status", "message"})) append(*message);
  return health;
}

Health ceph_object_store(const Json& live) {
  Health health{Status::progressing, "Waiting for status to be reported"};
  const Json* status = find_path(live, {"status"});
  if (status == nullptr || status->is_null()) return health;
  if (auto phase = optional_string(live, {"status", "phase"})) {
    health.message = "Ceph object store phase is " + *phase;
    if (*phase == "Ready") health.status = Status::healthy;
    if (*phase == "Failure") health.status = Status::degraded;
  }
  if (auto endpoint = optional_string(live, {"status", "info", "endpoint"}); endpoint && !endpoint->empty()) {
    health.message += " - endpoint: " + *endpoint;
  }
  return health;
}

Health olm_subscription(const Json& live) {
  const Json* conditions = find_path(live, {"status", "conditions"});
  if (conditions == nullptr || conditions->is_null()) {
    return {Status::progressing, "An install plan for a subscription is pending installation"};
  }
  std::vector<const Json*> list;
  if (conditions->is_array() || conditions->is_object()) {
    for (const Json& c : *conditions) list.push_back(&c);
  }
  // A manual approval pending while a CSV is installed is the normal state of such a subscription.
  bool approval_pending = false;
  if (string_at(live, {"spec", "installPlanApproval"}) == "Manual") {
    for (const Json* c : list) {
      if (field(*c, "type") == "InstallPlanPending" && field(*c, "status") == "True" &&
          field(*c, "reason") == "RequiresApproval") {
        approval_pending = find_path(live, {"status", "installedCSV"}) != nullptr;
        break;
      }
    }
  }
  int degraded = 0;
  int pending = 0;
  std::string message;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const Json& c = *list[i];
    std::string type = field(c, "type");
    std::string status = field(c, "status");
    if (approval_pending && type == "InstallPlanPending") continue;
    message += std::to_string(i + 1) + ": " + type + " | " + status + "\n";
    if (type == "InstallPlanPending" && status == "True") {
      ++pending;
    } else if (type == "InstallPlanMissing" && field(c, "reason") != "ReferencedInstallPlanNotFound") {
      ++degraded;
    } else if ((type == "CatalogSourcesUnhealthy" || type == "InstallPlanFailed" || type == "ResolutionFailed") &&
               status == "True") {
      ++degraded;
    }
  }
  auto state = optional_string(live, {"status", "state"});
  if (!state) {
    ++pending;
    message += ".status.state not yet known\n";
  } else if (state->empty() || *state == "UpgradeAvailable") {
    ++pending;
    message += ".status.state is '" + *state + "'\n";
  } else if (*state == "UpgradePending" && approval_pending) {
    message += ".status.state is 'UpgradePending' (manual InstallPlan approval pending; treated as healthy)\n";
  } else {
    if (*state == "UpgradePending") ++pending;
    if (*state == "UpgradeFailed") ++degraded;
    message += ".status.state is '" + *state + "'\n";
  }
  if (degraded == 0 && pending == 0) return {Status::healthy, message};
  if (degraded == 0) return {Status::progressing, message};
  return {Status::degraded, message};
}

Health minio_tenant(const Json& live) {
  static constexpr std::array<std::string_view, 5> k_failures = {
      "Statefulset not controlled by operator", "Another MinIO Tenant already exists in the namespace",
      "Tenant credentials are not set properly", "Different versions across MinIO Pools",
      "Pool Decommissioning Not Allowed"};
  auto state = optional_string(live, {"status", "currentState"});
  if (!state) return {Status::progressing, "No status info available"};
  if (*state == "Initialized") return {Status::healthy, *state};
  for (std::string_view failure : k_failures) {
    if (*state == failure) return {Status::degraded, *state};
  }
  // Provisioning..., Waiting..., Updating..., Restarting MinIO and any other state are progress.
  return {Status::progressing, *state};
}

}  // namespace wavesync::health::rules
