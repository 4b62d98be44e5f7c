// Health of the built-ins that read one status field: PersistentVolumeClaim, Service, Ingress,
// APIService and Argo Workflow (Argo CD's Go rules).
#include "wavesync/health/fields.hpp"
#include "wavesync/health/rules.hpp"

#include <string>

namespace wavesync::health::rules {

namespace {

bool has_load_balancer_ingress(const Json& live) {
  const Json* ingress = find_path(live, {"status", "loadBalancer", "ingress"});
  return ingress != nullptr && ingress->is_array() && !ingress->empty();
}

}  // namespace

Health persistent_volume_claim(const Json& live) {
  // A WaitForFirstConsumer claim stays Pending until a pod uses it; Argo CD accepts that it can
  // hold up a wave, and so do we.
  std::string phase = string_at(live, {"status", "phase"});
  if (phase == "Bound") return {Status::healthy, ""};
  if (phase == "Pending") return {Status::progressing, ""};
  if (phase == "Lost") return {Status::degraded, ""};
  return {Status::unknown, ""};
}

Health service(const Json& live) {
  if (string_at(live, {"spec", "type"}) == "LoadBalancer" && !has_load_balancer_ingress(live)) {
    return {Status::progressing, ""};
  }
  return {Status::healthy, ""};
}

Health ingress(const Json& live) {
  return {has_load_balancer_ingress(live) ? Status::healthy : Status::progressing, ""};
}

Health api_service(const Json& live) {
  const Json* available = condition(live, "Available");
  if (available == nullptr) return {Status::progressing, "Waiting to be processed"};
  std::string message = field(*available, "reason") + ": " + field(*available, "message");
  // An aggregated API that is not available yet may still come up; Argo CD never calls it
  // Degraded.
  return {field(*available, "status") == "True" ? Status::healthy : Status::progressing, message};
}

Health argo_workflow(const Json& live) {
  std::string phase = string_at(live, {"status", "phase"});
  std::string message = string_at(live, {"status", "message"});
  if (phase.empty() || phase == "Pending" || phase == "Running") {
    return {Status::progressing, message};
  }
  if (phase == "Succeeded") return {Status::healthy, message};
  if (phase == "Failed" || phase == "Error") return {Status::degraded, message};
  return {Status::unknown, message};
}

}  // namespace wavesync::health::rules
