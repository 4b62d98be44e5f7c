// wavesync's opt-in rule for custom resources that follow the Kubernetes API conventions
// (the shape kstatus reads): status.observedGeneration plus Ready / Reconciling / Stalled
// conditions. Not an Argo CD rule; enabled by annotation or --health-conditions.
#include "wavesync/health/fields.hpp"
#include "wavesync/health/rules.hpp"

#include <string>

namespace wavesync::health::rules {

namespace {

std::string describe(const Json& c) {
  std::string reason = field(c, "reason");
  std::string message = field(c, "message");
  if (reason.empty()) return message;
  if (message.empty()) return reason;
  return reason + ": " + message;
}

}  // namespace

Health conditions(const Json& live) {
  std::int64_t generation = int_at(live, {"metadata", "generation"});
  auto observed = optional_int_at(live, {"status", "observedGeneration"});
  // A controller that reports observedGeneration tells us when its status is about the current
  // spec; until then every condition describes the previous one.
  if (observed && *observed < generation) {
    return {Status::progressing, "waiting for the controller to observe generation " +
                                     std::to_string(generation) + " (observed " +
                                     std::to_string(*observed) + ")"};
  }
  const Json* list = find_path(live, {"status", "conditions"});
  // Right after an apply a convention-following controller has not written status yet; waiting
  // is the safe reading (a controller that never writes conditions should not be opted in).
  if (list == nullptr || !list->is_array() || list->empty()) {
    return {Status::progressing, "waiting for status conditions"};
  }
  const Json* stalled = condition(live, "Stalled");
  if (stalled != nullptr && field(*stalled, "status") == "True") {
    return {Status::degraded, describe(*stalled)};
  }
  const Json* reconciling = condition(live, "Reconciling");
  if (reconciling != nullptr && field(*reconciling, "status") == "True") {
    return {Status::progressing, describe(*reconciling)};
  }
  const Json* ready = condition(live, "Ready");
  if (ready == nullptr) {
    // kstatus reads "no abnormal condition" as current.
    return {Status::healthy, ""};
  }
  auto ready_generation = optional_int_at(*ready, {"observedGeneration"});
  if (ready_generation && *ready_generation < generation) {
    return {Status::progressing, "waiting for the Ready condition to observe generation " +
                                     std::to_string(generation) + " (observed " +
                                     std::to_string(*ready_generation) + ")"};
  }
  std::string status = field(*ready, "status");
  if (status == "True") return {Status::healthy, describe(*ready)};
  std::string text = describe(*ready);
  return {Status::progressing, text.empty() ? "waiting for Ready" : text};
}

}  // namespace wavesync::health::rules
