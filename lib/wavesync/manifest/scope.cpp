#include "wavesync/manifest/scope.hpp"
#include "wavesync/model/json_fields.hpp"

#include <array>
#include <string_view>

namespace wavesync::manifest {
namespace {

struct GroupKind {
  std::string_view group;
  std::string_view kind;
};

// Cluster-scoped kinds served by a stock API server (kubectl api-resources --namespaced=false).
constexpr std::array<GroupKind, 37> k_cluster_scoped = {{
    {"", "Namespace"},
    {"", "Node"},
    {"", "PersistentVolume"},
    {"", "ComponentStatus"},
    {"rbac.authorization.k8s.io", "ClusterRole"},
    {"rbac.authorization.k8s.io", "ClusterRoleBinding"},
    {"apiextensions.k8s.io", "CustomResourceDefinition"},
    {"apiregistration.k8s.io", "APIService"},
    {"storage.k8s.io", "StorageClass"},
    {"storage.k8s.io", "CSIDriver"},
    {"storage.k8s.io", "CSINode"},
    {"storage.k8s.io", "VolumeAttachment"},
    {"storage.k8s.io", "VolumeAttributesClass"},
    {"scheduling.k8s.io", "PriorityClass"},
    {"admissionregistration.k8s.io", "ValidatingWebhookConfiguration"},
    {"admissionregistration.k8s.io", "MutatingWebhookConfiguration"},
    {"admissionregistration.k8s.io", "ValidatingAdmissionPolicy"},
    {"admissionregistration.k8s.io", "ValidatingAdmissionPolicyBinding"},
    {"admissionregistration.k8s.io", "MutatingAdmissionPolicy"},
    {"admissionregistration.k8s.io", "MutatingAdmissionPolicyBinding"},
    {"networking.k8s.io", "IngressClass"},
    {"networking.k8s.io", "IPAddress"},
    {"networking.k8s.io", "ServiceCIDR"},
    {"node.k8s.io", "RuntimeClass"},
    {"certificates.k8s.io", "CertificateSigningRequest"},
    {"certificates.k8s.io", "ClusterTrustBundle"},
    {"flowcontrol.apiserver.k8s.io", "FlowSchema"},
    {"flowcontrol.apiserver.k8s.io", "PriorityLevelConfiguration"},
    {"policy", "PodSecurityPolicy"},
    {"resource.k8s.io", "DeviceClass"},
    {"apiserverinternal.k8s.io", "StorageVersion"},
    {"authentication.k8s.io", "TokenReview"},
    {"authentication.k8s.io", "SelfSubjectReview"},
    {"authorization.k8s.io", "SubjectAccessReview"},
    {"authorization.k8s.io", "SelfSubjectAccessReview"},
    {"authorization.k8s.io", "SelfSubjectRulesReview"},
    {"storagemigration.k8s.io", "StorageVersionMigration"},
}};

}  // namespace

ScopeTable::ScopeTable(const std::vector<Resource>& resources) {
  for (const Resource& r : resources) {
    if (r.kind() != "CustomResourceDefinition" || group_of(r.api_version()) != "apiextensions.k8s.io") continue;
    const nlohmann::json crd = r.object();
    if (string_at(crd, {"spec", "scope"}) != "Cluster") continue;
    custom_cluster_kinds_.emplace(string_at(crd, {"spec", "group"}), string_at(crd, {"spec", "names", "kind"}));
  }
}

bool ScopeTable::cluster_scoped(const std::string& group, const std::string& kind) const {
  for (const GroupKind& gk : k_cluster_scoped) {
    if (gk.group == group && gk.kind == kind) return true;
  }
  return custom_cluster_kinds_.count({group, kind}) > 0;
}

}  // namespace wavesync::manifest
