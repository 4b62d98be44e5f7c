#include "wavesync/plan/plan.hpp"

#include <array>
#include <string_view>

namespace wavesync {

int kind_rank(const std::string& kind) {
  // Argo CD's sync order by kind (gitops-engine sync_tasks.go, copied from Helm's
  // kind_sorter): rank = index - 35, so every listed kind sorts before unlisted ones (0).
  // Only the kind counts, not the group: a Knative Service ranks as a Service.
  static constexpr std::array<std::string_view, 35> k_kinds = {
      "Namespace",          "NetworkPolicy",          "ResourceQuota",
      "LimitRange",         "PodSecurityPolicy",      "PodDisruptionBudget",
      "ServiceAccount",     "Secret",                 "SecretList",
      "ConfigMap",          "StorageClass",           "PersistentVolume",
      "PersistentVolumeClaim", "CustomResourceDefinition", "ClusterRole",
      "ClusterRoleList",    "ClusterRoleBinding",     "ClusterRoleBindingList",
      "Role",               "RoleList",               "RoleBinding",
      "RoleBindingList",    "Service",                "DaemonSet",
      "Pod",                "ReplicationController",  "ReplicaSet",
      "Deployment",         "HorizontalPodAutoscaler", "StatefulSet",
      "Job",                "CronJob",                "IngressClass",
      "Ingress",            "APIService"};
  for (std::size_t i = 0; i < k_kinds.size(); ++i) {
    if (k_kinds[i] == kind) return static_cast<int>(i) - static_cast<int>(k_kinds.size());
  }
  return 0;
}

}  // namespace wavesync
