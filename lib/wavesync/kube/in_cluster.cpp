// In-cluster configuration (client-go rest.InClusterConfig): the pod's service account.
#include "wavesync/kube/files.hpp"
#include "wavesync/kube/kubeconfig.hpp"

namespace wavesync::kube {

Result<std::optional<ClusterAccess>> in_cluster_access(const ConfigSources& sources,
                                                       const Selection& selection) {
  if (!sources.service_host || !sources.service_port || sources.service_host->empty() ||
      sources.service_port->empty()) {
    return std::optional<ClusterAccess>();
  }
  const std::string dir = sources.service_account_dir;
  if (!is_regular_file(dir + "/token")) return std::optional<ClusterAccess>();
  ClusterAccess access;
  const std::string& host = *sources.service_host;
  const bool ipv6 = host.find(':') != std::string::npos;
  access.cluster.name = "in-cluster";
  access.cluster.server =
      "https://" + (ipv6 ? "[" + host + "]" : host) + ":" + *sources.service_port;
  // client-go logs and falls back to the system roots when ca.crt is unreadable.
  if (auto ca = read_file(dir + "/ca.crt")) access.cluster.ca_pem = std::move(*ca);
  access.user.name = "service-account";
  // Projected tokens expire and are rewritten by the kubelet: never read once and keep.
  access.user.token_file = dir + "/token";
  access.origin = "in-cluster service account " + dir;
  if (!selection.namespace_name.empty()) {
    access.namespace_name = selection.namespace_name;
  } else if (sources.pod_namespace && !sources.pod_namespace->empty()) {
    access.namespace_name = *sources.pod_namespace;
  } else if (auto ns = read_file(dir + "/namespace"); ns && !ns->empty()) {
    std::string value = *ns;
    while (!value.empty() && (value.back() == '\n' || value.back() == ' ')) value.pop_back();
    access.namespace_name = value;
  } else {
    access.namespace_name = "default";
  }
  return std::optional<ClusterAccess>(std::move(access));
}

}  // namespace wavesync::kube
