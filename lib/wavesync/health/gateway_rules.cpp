// Health of Gateway API Gateway and HTTPRoute as Argo CD's bundled scripts judge them
// (resource_customizations/gateway.networking.k8s.io): a False ResolvedRefs or Accepted
// condition is Degraded, a Programmed condition that is not True is Progressing, on the object
// and then on each listener (Gateway) or parent (HTTPRoute). Our own code, written from the
// behaviour those scripts document; verdicts and messages match theirs.
#include "wavesync/health/fields.hpp"
#include "wavesync/health/rules.hpp"

#include <optional>
#include <string>

namespace wavesync::health::rules {

namespace {

bool non_empty_array(const Json* node) { return node != nullptr && node->is_array() && !node->empty(); }

// The message of the first condition of `type` that is False ("Failed condition: <type>" when
// it has none), or nullopt.
std::optional<std::string> failed(const Json& conditions, std::string_view type) {
  if (!conditions.is_array()) return std::nullopt;
  for (const Json& c : conditions) {
    if (condition_is(c, type, "False")) {
      const Json* message = find_path(c, {"message"});
      if (message != nullptr && message->is_string()) return message->get<std::string>();
      return "Failed condition: " + std::string(type);
    }
  }
  return std::nullopt;
}

// The verdict of one condition list, or nullopt when it is fine; `programming` is the message
// for a Programmed condition that is not True and has none.
std::optional<Health> judge_conditions(const Json& conditions, const std::string& prefix, const char* programming) {
  if (auto message = failed(conditions, "ResolvedRefs")) return Health{Status::degraded, prefix + *message};
  if (auto message = failed(conditions, "Accepted")) return Health{Status::degraded, prefix + *message};
  if (!conditions.is_array()) return std::nullopt;
  for (const Json& c : conditions) {
    if (field(c, "type") == "Programmed" && field(c, "status") != "True") {
      const Json* message = find_path(c, {"message"});
      return Health{Status::progressing,
                    prefix + (message != nullptr && message->is_string() ? message->get<std::string>() : programming)};
    }
  }
  return std::nullopt;
}

// Whether every condition of an HTTPRoute parent that names an observedGeneration names the
// route's current one (a route without a generation counts as observed).
bool parent_observed(const Json& live, const Json& parent) {
  const Json* generation = find_path(live, {"metadata", "generation"});
  if (generation == nullptr || generation->is_null()) return true;
  const Json* conditions = find_path(parent, {"conditions"});
  if (!non_empty_array(conditions)) return false;
  for (const Json& c : *conditions) {
    const Json* observed = find_path(c, {"observedGeneration"});
    if (observed != nullptr && !observed->is_null() && *observed != *generation) return false;
  }
  return true;
}

}  // namespace

Health gateway(const Json& live) {
  const Json* status = find_path(live, {"status"});
  if (status == nullptr || status->is_null()) return {Status::progressing, "Waiting for Gateway status"};
  const Json* conditions = find_path(live, {"status", "conditions"});
  if (conditions != nullptr && !conditions->is_null()) {
    if (auto health = judge_conditions(*conditions, "", "Gateway is still being programmed")) return *health;
  }
  const Json* listeners = find_path(live, {"status", "listeners"});
  if (listeners != nullptr && listeners->is_array()) {
    for (const Json& listener : *listeners) {
      const Json* own = find_path(listener, {"conditions"});
      if (own == nullptr || own->is_null()) continue;
      if (auto health = judge_conditions(*own, "Listener: ", "Listener is still being programmed")) return *health;
    }
  }
  if ((conditions != nullptr && !conditions->is_null()) || non_empty_array(listeners)) {
    return {Status::healthy, "Gateway is healthy"};
  }
  return {Status::progressing, "Waiting for Gateway status"};
}

Health http_route(const Json& live) {
  const Json* parents = find_path(live, {"status", "parents"});
  if (parents == nullptr || !parents->is_array()) return {Status::progressing, "Waiting for HTTPRoute status"};
  for (const Json& parent : *parents) {
    const Json* conditions = find_path(parent, {"conditions"});
    // A parent that has not seen the current generation says nothing about it yet.
    if (conditions == nullptr || conditions->is_null() || !parent_observed(live, parent)) continue;
    std::string prefix = "Parent " + string_at(parent, {"parentRef", "name"}) + ": ";
    if (auto health = judge_conditions(*conditions, prefix, "Route is still being programmed")) return *health;
  }
  for (const Json& parent : *parents) {
    if (non_empty_array(find_path(parent, {"conditions"})) && parent_observed(live, parent)) {
      return {Status::healthy, "HTTPRoute is healthy"};
    }
  }
  return {Status::progressing, "Waiting for HTTPRoute status"};
}

}  // namespace wavesync::health::rules
