// Why a workload's pods cannot start, while the engine still waits on it: the first container
// the kubelet holds in a waiting reason (a missing Secret, an image that cannot be pulled, a
// crash loop), or a pod the scheduler cannot place. Pure: live Pods in, one value out. The
// engine reads the Pods, adds a crash-looping container's last log line and decides what to do.
#pragma once

#include "wavesync/health/diagnostics.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace wavesync::health {

// True for the waiting reasons that never end by waiting (`--pod-failure-grace` fails on them):
// CreateContainerConfigError, CreateContainerError, ImagePullBackOff, ErrImagePull,
// InvalidImageName and CrashLoopBackOff.
bool is_fail_fast_reason(std::string_view reason);

struct PodBlock {
  std::string pod;        // the pod's name
  std::string container;  // empty for a pod that is not scheduled
  bool init_container = false;
  bool only_container = true;  // the pod has one container: the line leaves its name out
  std::string reason;          // `CreateContainerConfigError`, ..., `Unschedulable`
  std::string message;         // the kubelet's or scheduler's message (may be empty)
  std::string image;           // the container's image
  std::int64_t restarts = 0;
  std::optional<std::int64_t> last_exit_code;  // of the last terminated run
  std::optional<MissingReference> missing;     // a missing Secret or ConfigMap the message names
  bool fail_fast = false;                      // is_fail_fast_reason(reason)

  // One line, e.g.
  //   `pod app-6cb4-gbmc5: CreateContainerConfigError: secret "app-pg-credentials" not found`
  //   `pod web-1: ImagePullBackOff: Back-off pulling image "nginx:nope"` (the image is added as
  //    ` (image nginx:nope)` when the message does not name it)
  //   `pod web-1: CrashLoopBackOff (5 restarts): last exit 1: panic: no config` (`last_log_line`
  //    when given, else the kubelet's message)
  //   `pod web-1 container sidecar: ...`, `pod web-1 init container migrate: ...`
  //   `pod web-1: Unschedulable: 0/3 nodes are available: ...`
  [[nodiscard]] std::string line(std::string_view last_log_line = {}) const;
  bool operator==(const PodBlock&) const = default;
};

// The first thing that holds this Pod back: a fail-fast waiting reason of any container (init
// containers first, in order) before any other, then another waiting reason the kubelet gave a
// message for, then an unschedulable pod. nullopt for a pod that is running, starting normally
// (ContainerCreating, PodInitializing without a message), finished or being deleted.
std::optional<PodBlock> pod_block(const nlohmann::json& pod);

// The first block among the workload's pods (select_pods; pods ordered by name), fail-fast
// reasons before others. For a Pod itself, pod_block of it.
std::optional<PodBlock> workload_block(const nlohmann::json& workload, std::span<const nlohmann::json> pods,
                                       std::span<const nlohmann::json> replica_sets = {});

}  // namespace wavesync::health
