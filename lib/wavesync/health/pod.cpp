// Health of a core/v1 Pod, as Argo CD judges it: long-running pods fail fast on container errors,
// run-to-completion pods (hooks) are judged only by their phase.
#include "wavesync/health/fields.hpp"
#include "wavesync/health/rules.hpp"

#include <string>

namespace wavesync::health::rules {

namespace {

constexpr std::string_view k_ignore_restart_policy = "argocd.argoproj.io/ignore-restart-policy";

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// Argo CD's test for a waiting reason that will not fix itself: CrashLoopBackOff,
// ImagePullBackOff, ErrImagePull, CreateContainerConfigError, ... but not ContainerCreating or
// InvalidImageName.
bool is_error_reason(std::string_view reason) {
  return reason.starts_with("Err") || ends_with(reason, "Error") || ends_with(reason, "BackOff");
}

const Json& statuses(const Json& live, std::string_view key) {
  static const Json k_empty = Json::array();
  const Json* node = find_path(live, {"status", key});
  return node != nullptr && node->is_array() ? *node : k_empty;
}

// The API server defaults restartPolicy to Always; an object without it is treated the same.
bool restart_always(const Json& live) {
  std::string policy = string_at(live, {"spec", "restartPolicy"});
  return policy.empty() || policy == "Always";
}

// Message of the first terminated container that explains a failed pod, or "".
std::string failure_message(const Json& container) {
  const Json* terminated = find_path(container, {"state", "terminated"});
  if (terminated == nullptr || !terminated->is_object()) return {};
  std::string message = field(*terminated, "message");
  if (!message.empty()) return message;
  if (field(*terminated, "reason") == "OOMKilled") return "OOMKilled";
  std::int64_t exit_code = int_at(*terminated, {"exitCode"});
  if (exit_code != 0) {
    return "container \"" + field(container, "name") + "\" failed with exit code " +
           std::to_string(exit_code);
  }
  return {};
}

bool is_ready(const Json& live) {
  const Json* ready = condition(live, "Ready");
  return ready != nullptr && field(*ready, "status") == "True";
}

}  // namespace

Health pod(const Json& live, bool hook) {
  // Argo CD (not the older gitops-engine) lets a non-hook pod with restartPolicy Never/OnFailure
  // opt into the long-running rules; a hook is always judged by its real restartPolicy so that a
  // transient image pull error does not fail it.
  const std::string* ignore = annotation(live, k_ignore_restart_policy);
  bool long_running = restart_always(live) || (!hook && ignore != nullptr && *ignore == "true");
  std::string pod_message = string_at(live, {"status", "message"});

  if (long_running) {
    std::string messages;
    bool degraded = false;
    for (const Json& container : statuses(live, "containerStatuses")) {
      const Json* waiting = find_path(container, {"state", "waiting"});
      if (waiting == nullptr || !waiting->is_object()) continue;
      if (!is_error_reason(field(*waiting, "reason"))) continue;
      if (degraded) messages += ", ";
      messages += field(*waiting, "message");
      degraded = true;
    }
    if (degraded) return {Status::degraded, messages};
  }

  std::string phase = string_at(live, {"status", "phase"});
  if (phase == "Pending") return {Status::progressing, pod_message};
  if (phase == "Succeeded") return {Status::healthy, pod_message};
  if (phase == "Failed") {
    if (!pod_message.empty()) return {Status::degraded, pod_message};
    for (std::string_view key : {"initContainerStatuses", "containerStatuses"}) {
      for (const Json& container : statuses(live, key)) {
        std::string message = failure_message(container);
        if (!message.empty()) return {Status::degraded, message};
      }
    }
    return {Status::degraded, ""};
  }
  if (phase == "Running") {
    // A pod that is expected to finish is still working while it runs.
    if (!long_running) return {Status::progressing, pod_message};
    if (is_ready(live)) return {Status::healthy, pod_message};
    for (const Json& container : statuses(live, "containerStatuses")) {
      const Json* last = find_path(container, {"lastState", "terminated"});
      if (last != nullptr && last->is_object()) return {Status::degraded, pod_message};
    }
    return {Status::progressing, pod_message};
  }
  return {Status::unknown, pod_message};
}

}  // namespace wavesync::health::rules
