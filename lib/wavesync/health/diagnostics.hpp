// Diagnostics: why a workload is not healthy, in lines a person can act on, read from the live
// Pods behind it (container waiting/terminated reasons, scheduling failures, missing Secrets and
// ConfigMaps). Pure: the engine fetches the Pods (and events, logs) and attaches these lines.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace wavesync::health {

// An object a container needs but cannot get, named in a kubelet message.
struct MissingReference {
  std::string kind;            // `Secret` or `ConfigMap`
  std::string namespace_name;  // the pod's namespace when the message does not say
  std::string name;
  std::string key;             // set when the object exists but lacks this key

  // `missing Secret app/app-pg-credentials`,
  // `missing key password in Secret app/app-pg-credentials`.
  [[nodiscard]] std::string str() const;
  bool operator==(const MissingReference&) const = default;
};

// Recognises the kubelet's messages for a missing Secret or ConfigMap:
//   `secret "app-pg-credentials" not found` (also `secrets "..."`, `configmap "..."`,
//   `configmaps "..."`, and inside longer texts such as MountVolume.SetUp event messages);
//   `couldn't find key password in Secret app/app-pg-credentials` (and `in ConfigMap ns/name`).
// `pod_namespace` fills in the namespace when the message has none. nullopt when not recognised.
std::optional<MissingReference> parse_missing_reference(std::string_view message,
                                                        std::string_view pod_namespace);

// One finding about one pod.
struct Diagnostic {
  std::string pod;   // the pod's name
  // `pod web-7d9f-abc: container app waiting: CreateContainerConfigError:
  //  secret "app-pg-credentials" not found` (one line)
  std::string line;
  std::optional<MissingReference> missing;  // set when the line names a missing Secret/ConfigMap
  bool operator==(const Diagnostic&) const = default;
};

// What is wrong with one live Pod, init containers first, in container order; empty for a pod
// with nothing to report (running and ready, starting normally, or succeeded). Lines:
//   `pod P: init container C waiting: REASON[: MESSAGE]`
//   `pod P: container C terminated: REASON (exit code N)[: MESSAGE]`
//   `pod P: container C waiting: CrashLoopBackOff: MESSAGE (last terminated: REASON, exit code N)`
//   `pod P: not scheduled: Unschedulable: MESSAGE`, `pod P: failed: Evicted: MESSAGE`
// The benign waiting reasons ContainerCreating and PodInitializing are reported only when the
// kubelet attached a message to them.
std::vector<Diagnostic> pod_diagnostics(const nlohmann::json& pod);

// The Pods in `pods` that belong to `workload` (Deployment, StatefulSet, DaemonSet, ReplicaSet,
// Job), in the order given. A pod belongs when one of its ownerReferences names the workload
// (by uid when both have one, else by kind and name), or, for a Deployment, names a ReplicaSet in
// `replica_sets` that the Deployment owns. A pod with no ownerReferences (or, for a Deployment
// when `replica_sets` is empty, a pod owned by some ReplicaSet) belongs when it matches
// `spec.selector` (matchLabels and matchExpressions). Only pods in the workload's namespace are
// considered; an empty or absent selector matches nothing. Pointers point into `pods`.
std::vector<const nlohmann::json*> select_pods(const nlohmann::json& workload,
                                               std::span<const nlohmann::json> pods,
                                               std::span<const nlohmann::json> replica_sets = {});

// pod_diagnostics of every pod select_pods finds, pods ordered by name.
std::vector<Diagnostic> workload_diagnostics(const nlohmann::json& workload,
                                             std::span<const nlohmann::json> pods,
                                             std::span<const nlohmann::json> replica_sets = {});

}  // namespace wavesync::health
