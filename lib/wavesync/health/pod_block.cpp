#include "wavesync/health/pod_block.hpp"

#include "wavesync/health/fields.hpp"

#include <algorithm>
#include <array>

namespace wavesync::health {

namespace {

// The kubelet's waiting reasons that only change when the manifest or the cluster around the
// pod changes (kubelet images.ErrImagePullBackOff, ErrImagePull, ErrInvalidImageName;
// kuberuntime ErrCreateContainerConfig, ErrCreateContainer; CrashLoopBackOff from its
// back-off). ContainerCreating and PodInitializing are normal starts.
constexpr std::array<std::string_view, 6> k_fail_fast = {"CreateContainerConfigError", "CreateContainerError",
                                                         "ImagePullBackOff",           "ErrImagePull",
                                                         "InvalidImageName",           "CrashLoopBackOff"};

bool is_image_reason(std::string_view reason) {
  return reason == "ImagePullBackOff" || reason == "ErrImagePull" || reason == "InvalidImageName";
}

// The image of container `name` from the pod's spec (statuses may lack it before the first pull).
std::string spec_image(const Json& pod, const std::string& name, bool init) {
  const Json* list = find_path(pod, {"spec", init ? "initContainers" : "containers"});
  if (list == nullptr || !list->is_array()) return {};
  for (const Json& c : *list)
    if (field(c, "name") == name) return field(c, "image");
  return {};
}

std::size_t container_count(const Json& pod) {
  const Json* list = find_path(pod, {"spec", "containers"});
  if (list != nullptr && list->is_array()) return list->size();
  list = find_path(pod, {"status", "containerStatuses"});
  return list != nullptr && list->is_array() ? list->size() : 1;
}

std::optional<PodBlock> waiting_block(const Json& pod, const Json& status, bool init) {
  const Json* waiting = find_path(status, {"state", "waiting"});
  if (waiting == nullptr || !waiting->is_object()) return std::nullopt;
  PodBlock b;
  b.reason = field(*waiting, "reason");
  b.message = field(*waiting, "message");
  if (b.reason.empty()) return std::nullopt;
  if ((b.reason == "ContainerCreating" || b.reason == "PodInitializing") && b.message.empty()) return std::nullopt;
  b.pod = string_at(pod, {"metadata", "name"});
  b.container = field(status, "name");
  b.init_container = init;
  b.only_container = !init && container_count(pod) <= 1;
  b.image = field(status, "image");
  if (b.image.empty()) b.image = spec_image(pod, b.container, init);
  b.restarts = int_at(status, {"restartCount"});
  if (const Json* last = find_path(status, {"lastState", "terminated"}); last != nullptr && last->is_object())
    b.last_exit_code = optional_int_at(*last, {"exitCode"});
  b.missing = parse_missing_reference(b.message, string_at(pod, {"metadata", "namespace"}));
  b.fail_fast = is_fail_fast_reason(b.reason);
  return b;
}

}  // namespace

bool is_fail_fast_reason(std::string_view reason) {
  return std::find(k_fail_fast.begin(), k_fail_fast.end(), reason) != k_fail_fast.end();
}

std::string PodBlock::line(std::string_view last_log_line) const {
  std::string out = "pod " + pod;
  if (init_container) out += " init container " + container;
  else if (!only_container && !container.empty()) out += " container " + container;
  out += ": " + reason;
  if (reason == "CrashLoopBackOff") {
    out += " (" + std::to_string(restarts) + (restarts == 1 ? " restart)" : " restarts)");
    if (last_exit_code) out += ": last exit " + std::to_string(*last_exit_code);
    if (!last_log_line.empty()) out += ": " + std::string(last_log_line);
    else if (!message.empty()) out += ": " + message;
    return out;
  }
  if (!message.empty()) out += ": " + message;
  if (is_image_reason(reason) && !image.empty() && message.find(image) == std::string::npos)
    out += " (image " + image + ")";
  return out;
}

std::optional<PodBlock> pod_block(const Json& pod) {
  if (find_path(pod, {"metadata", "deletionTimestamp"}) != nullptr) return std::nullopt;
  const std::string phase = string_at(pod, {"status", "phase"});
  if (phase == "Succeeded" || phase == "Failed") return std::nullopt;
  std::optional<PodBlock> other;
  for (auto [key, init] : {std::pair{"initContainerStatuses", true}, std::pair{"containerStatuses", false}}) {
    const Json* list = find_path(pod, {"status", key});
    if (list == nullptr || !list->is_array()) continue;
    for (const Json& status : *list) {
      std::optional<PodBlock> b = waiting_block(pod, status, init);
      if (!b) continue;
      if (b->fail_fast) return b;
      if (!other && !b->message.empty()) other = std::move(b);
    }
  }
  if (other) return other;
  const Json* scheduled = condition(pod, "PodScheduled");
  if (scheduled != nullptr && field(*scheduled, "status") == "False") {
    PodBlock b;
    b.pod = string_at(pod, {"metadata", "name"});
    b.reason = field(*scheduled, "reason");
    if (b.reason.empty()) b.reason = "Unschedulable";
    b.message = field(*scheduled, "message");
    return b;
  }
  return std::nullopt;
}

std::optional<PodBlock> workload_block(const Json& workload, std::span<const Json> pods,
                                       std::span<const Json> replica_sets) {
  if (string_at(workload, {"kind"}) == "Pod" && group_of_object(workload).empty()) return pod_block(workload);
  std::vector<const Json*> selected = select_pods(workload, pods, replica_sets);
  std::stable_sort(selected.begin(), selected.end(), [](const Json* a, const Json* b) {
    return string_at(*a, {"metadata", "name"}) < string_at(*b, {"metadata", "name"});
  });
  std::optional<PodBlock> other;
  for (const Json* pod : selected) {
    std::optional<PodBlock> b = pod_block(*pod);
    if (!b) continue;
    if (b->fail_fast) return b;
    if (!other) other = std::move(b);
  }
  return other;
}

}  // namespace wavesync::health
