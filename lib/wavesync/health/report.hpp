// A health report over a set of live objects (what `wavesync health` prints): each object's
// verdict, plus diagnostics for unhealthy workloads and pods drawn from the Pods and ReplicaSets
// in the same set. Pure; the caller loads the objects and prints the lines.
#pragma once

#include "wavesync/health/diagnostics.hpp"
#include "wavesync/health/health.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace wavesync::health {

struct ObjectReport {
  std::string api_version;
  std::string kind;
  std::string namespace_name;  // empty for cluster-scoped objects
  std::string name;
  std::optional<Health> health;  // nullopt: no health rule
  std::vector<Diagnostic> diagnostics;  // only for objects that are not Healthy
};

// One report per object, in input order. Diagnostics are added for a Pod, or a Deployment,
// StatefulSet, DaemonSet, ReplicaSet or Job, whose status is neither Healthy nor Suspended,
// from the Pods (and ReplicaSets) among `objects`.
std::vector<ObjectReport> assess_all(const std::vector<nlohmann::json>& objects,
                                     const Options& options);

// `Kind namespace/name: Status: message` (`: message` left out when empty, `None: no health
// rule` for an object without one), then each diagnostic line indented by two spaces.
std::string format_text(const ObjectReport& report);

// One JSON object on one line: apiVersion, kind, namespace, name, status (`None` without a
// rule), message, and `diagnostics` (a list of lines) only when there are some.
std::string format_json(const ObjectReport& report);

}  // namespace wavesync::health
