// Health of an autoscaling HorizontalPodAutoscaler, as Argo CD judges it: a condition that means
// the autoscaler cannot work is Degraded, one that shows it working is Healthy, otherwise it waits.
#include "wavesync/health/fields.hpp"
#include "wavesync/health/rules.hpp"

#include <array>
#include <string>
#include <utility>

namespace wavesync::health::rules {

namespace {

constexpr std::string_view k_v1_conditions = "autoscaling.alpha.kubernetes.io/conditions";

// Argo CD's list (the newer in-tree engine has the last four as well).
constexpr std::array<std::pair<std::string_view, std::string_view>, 8> k_degraded = {{
    {"AbleToScale", "FailedGetScale"},
    {"AbleToScale", "FailedUpdateScale"},
    {"ScalingActive", "FailedGetResourceMetric"},
    {"ScalingActive", "InvalidSelector"},
    {"ScalingActive", "FailedGetObjectMetric"},
    {"ScalingActive", "FailedGetPodsMetric"},
    {"ScalingActive", "FailedGetExternalMetric"},
    {"ScalingActive", "FailedComputeMetricsReplicas"},
}};

bool is_degraded(const Json& c) {
  for (const auto& [type, reason] : k_degraded) {
    if (field(c, "type") == type && field(c, "reason") == reason) return true;
  }
  return false;
}

bool is_healthy(const Json& c) {
  std::string type = field(c, "type");
  return (type == "AbleToScale" || type == "ScalingLimited") && field(c, "status") == "True";
}

Health waiting() { return {Status::progressing, "Waiting to Autoscale"}; }

Health from_conditions(const Json& conditions) {
  if (!conditions.is_array()) return waiting();
  // Any sign of breakage wins over a healthy-looking condition listed before it (Argo CD; the
  // older gitops-engine took the first match of either kind).
  for (const Json& c : conditions) {
    if (is_degraded(c)) return {Status::degraded, field(c, "message")};
  }
  for (const Json& c : conditions) {
    if (is_healthy(c)) return {Status::healthy, field(c, "message")};
  }
  return waiting();
}

}  // namespace

Health horizontal_pod_autoscaler(const Json& live) {
  std::string version = version_of_object(live);
  if (version == "v1") {
    // autoscaling/v1 has no status.conditions; the controller keeps them in an annotation.
    const std::string* text = annotation(live, k_v1_conditions);
    if (text == nullptr) return waiting();
    Json conditions = Json::parse(*text, nullptr, /*allow_exceptions=*/false);
    if (conditions.is_discarded()) {
      return {Status::unknown,
              "failed to convert conditions annotation to typed: invalid JSON in " +
                  std::string(k_v1_conditions)};
    }
    return from_conditions(conditions);
  }
  // v2beta1/v2beta2 were served until Kubernetes 1.25/1.26; the newer Argo CD calls them an
  // unsupported GVK (Unknown), the older gitops-engine judged them like v2, which we keep.
  if (version == "v2" || version == "v2beta1" || version == "v2beta2") {
    const Json* conditions = find_path(live, {"status", "conditions"});
    return conditions == nullptr ? waiting() : from_conditions(*conditions);
  }
  return {Status::unknown, "unsupported HPA GVK: autoscaling/" + version +
                               ", Kind=HorizontalPodAutoscaler"};
}

}  // namespace wavesync::health::rules
