// Health of Argo Rollouts' Rollout and AnalysisRun, as Argo CD's bundled scripts judge them
// (resource_customizations/argoproj.io). Our own code, written from the behaviour those scripts
// document; verdicts and messages match theirs.
#include "wavesync/health/fields.hpp"
#include "wavesync/health/rules.hpp"

#include <cmath>
#include <cstdlib>
#include <optional>
#include <string>

namespace wavesync::health::rules {

namespace {

// Lua's tonumber on a JSON value: numbers as they are, numeric strings parsed, else nothing.
std::optional<double> to_number(const Json* value) {
  if (value == nullptr) return std::nullopt;
  if (value->is_number()) return value->get<double>();
  if (!value->is_string()) return std::nullopt;
  const std::string& text = value->get_ref<const std::string&>();
  const char* begin = text.c_str();
  char* end = nullptr;
  double n = std::strtod(begin, &end);
  if (end == begin) return std::nullopt;
  while (*end == ' ' || *end == '\t' || *end == '\n' || *end == '\r') ++end;
  if (*end != '\0') return std::nullopt;
  return n;
}

double number_or(const Json& live, std::initializer_list<std::string_view> path, double fallback) {
  const Json* value = find_path(live, path);
  return value != nullptr && value->is_number() ? value->get<double>() : fallback;
}

bool generation_observed(const Json& live) {
  if (find_path(live, {"status"}) == nullptr) return false;
  auto observed = to_number(find_path(live, {"status", "observedGeneration"}));
  if (!observed) return true;
  double generation = number_or(live, {"metadata", "generation"}, 0);
  return *observed >= generation;
}

bool workload_generation_observed(const Json& live) {
  if (find_path(live, {"spec", "workloadRef"}) == nullptr || find_path(live, {"metadata", "annotations"}) == nullptr) {
    return true;
  }
  const Json* annotations = find_path(live, {"metadata", "annotations"});
  auto wanted = to_number(annotations->is_object() && annotations->contains("rollout.argoproj.io/workload-generation")
                              ? &(*annotations)["rollout.argoproj.io/workload-generation"]
                              : nullptr);
  auto observed = to_number(find_path(live, {"status", "workloadObservedGeneration"}));
  return wanted == observed;
}

std::string stable_rs(const Json& live) {
  if (const Json* rs = find_path(live, {"status", "stableRS"}); rs != nullptr && !rs->is_null()) {
    return rs->is_string() ? rs->get<std::string>() : "";
  }
  return string_at(live, {"status", "canary", "stableRS"});
}

}  // namespace

Health rollout(const Json& live) {
  if (!generation_observed(live) || !workload_generation_observed(live)) {
    return {Status::progressing, "Waiting for rollout spec update to be observed"};
  }
  // Newer controllers write the verdict themselves.
  if (const Json* phase = find_path(live, {"status", "phase"}); phase != nullptr && phase->is_string()) {
    std::string text = phase->get<std::string>();
    auto status = text == "Paused" ? std::optional<Status>(Status::suspended) : parse_status(text);
    if (!status) return {Status::unknown, "Lua returned an invalid health status"};
    return {*status, string_at(live, {"status", "message"})};
  }
  if (const Json* conditions = conditions_of(live)) {
    for (const Json& c : *conditions) {
      std::string type = field(c, "type");
      std::string reason = field(c, "reason");
      if (type == "InvalidSpec" ||
          (type == "Progressing" && (reason == "RolloutAborted" || reason == "ProgressDeadlineExceeded"))) {
        return {Status::degraded, field(c, "message")};
      }
    }
  }
  const Json* pauses = find_path(live, {"status", "pauseConditions"});
  if ((pauses != nullptr && pauses->is_array() && !pauses->empty()) || bool_at(live, {"spec", "paused"})) {
    return {Status::suspended, "Rollout is paused"};
  }
  const Json* current = find_path(live, {"status", "currentPodHash"});
  if (current == nullptr || current->is_null()) {
    return {Status::progressing, "Waiting for rollout to finish: status has not been reconciled."};
  }
  std::string pod_hash = current->is_string() ? current->get<std::string>() : "";
  double desired = number_or(live, {"spec", "replicas"}, 1);
  double replicas = number_or(live, {"status", "replicas"}, 0);
  double updated = number_or(live, {"status", "updatedReplicas"}, 0);
  double available = number_or(live, {"status", "availableReplicas"}, 0);
  if (updated < desired) {
    return {Status::progressing, "Waiting for roll out to finish: More replicas need to be updated"};
  }
  if (available < updated) {
    return {Status::progressing, "Waiting for roll out to finish: updated replicas are still becoming available"};
  }
  std::string stable = stable_rs(live);
  const Json* strategy = find_path(live, {"spec", "strategy"});
  auto has = [&](const char* name) {
    return strategy != nullptr && strategy->is_object() && strategy->contains(name) && !(*strategy)[name].is_null();
  };
  if (has("blueGreen")) {
    const Json* active = find_path(live, {"status", "blueGreen", "activeSelector"});
    if (active == nullptr || !active->is_string() || active->get<std::string>() != pod_hash) {
      return {Status::progressing, "active service cutover pending"};
    }
    if (!stable.empty() && stable != pod_hash) return {Status::progressing, "waiting for analysis to complete"};
  } else if (has("canary")) {
    if (replicas > updated) {
      return {Status::progressing, "Waiting for roll out to finish: old replicas are pending termination"};
    }
    if (stable.empty() || stable != pod_hash) return {Status::progressing, "Waiting for rollout to finish steps"};
  }
  return {Status::healthy, ""};
}

Health analysis_run(const Json& live) {
  const Json* status = find_path(live, {"status"});
  if (status == nullptr || status->is_null()) {
    return {Status::progressing, "Waiting for analysis run to finish: status has not been reconciled."};
  }
  std::string phase = string_at(live, {"status", "phase"});
  const Json* message = find_path(live, {"status", "message"});
  auto or_default = [&](const char* fallback) {
    return message != nullptr && message->is_string() ? message->get<std::string>() : std::string(fallback);
  };
  if (phase == "Pending" || phase == "Running") return {Status::progressing, "Analysis run is running"};
  if (phase == "Successful") return {Status::healthy, or_default("Analysis run completed successfully")};
  if (phase == "Failed") return {Status::degraded, or_default("Analysis run failed")};
  if (phase == "Error") return {Status::degraded, or_default("Analysis run had an error")};
  if (phase == "Inconclusive") return {Status::unknown, or_default("Analysis run was inconclusive")};
  // Argo CD's script returns an empty table here: no status.
  return {Status::progressing, "health script returned no status"};
}

}  // namespace wavesync::health::rules
