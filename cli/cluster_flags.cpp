#include "cluster_flags.hpp"

#include "wavesync/kube/http_client.hpp"

#include "version.hpp"

namespace wavesync::cli {

void add_cluster_flags(CLI::App* cmd, ClusterFlags* flags) {
  cmd->add_option("--kubeconfig", flags->kubeconfig, "Path to the kubeconfig file");
  cmd->add_option("--context", flags->context, "Kubeconfig context to use");
  cmd->add_option("--cluster", flags->cluster, "The name of the kubeconfig cluster to use");
  cmd->add_option("--user", flags->user, "The name of the kubeconfig user to use");
  cmd->add_option("--as", flags->as, "Username to impersonate for the operation");
  cmd->add_option("--as-group", flags->as_groups,
                  "Group to impersonate for the operation, this flag can be repeated to specify multiple groups");
  cmd->add_option("--as-uid", flags->as_uid, "UID to impersonate for the operation");
}

Result<kube::Connection> connect(const ClusterFlags& flags, const std::string& namespace_flag) {
  kube::ConnectionOptions options;
  options.kubeconfig = flags.kubeconfig;
  options.context = flags.context;
  options.namespace_name = namespace_flag;
  options.cluster = flags.cluster;
  options.user = flags.user;
  options.as = flags.as;
  options.as_uid = flags.as_uid;
  options.as_groups = flags.as_groups;
  options.user_agent = kube::user_agent(WAVESYNC_VERSION, WAVESYNC_GIT_REVISION);
  auto connection = kube::make_client(options);
  if (connection) {
    for (const std::string& w : connection->warnings) print_warning(w);
  }
  return connection;
}

Result<ConnectedPlan> connect_and_plan(const ClusterFlags& cluster, const ManifestFlags& manifests) {
  if (manifests.input_error) return *manifests.input_error;
  auto connection = connect(cluster, manifests.namespace_name);
  if (!connection) return connection.error();
  std::string default_namespace = resolve_namespace(manifests.namespace_name, connection->namespace_name);
  auto plan = load_plan(manifests, default_namespace);
  if (!plan) return plan.error();
  for (const std::string& w : plan->warnings) print_warning(w);
  return ConnectedPlan{std::move(connection).value(), std::move(plan).value(), std::move(default_namespace)};
}

}  // namespace wavesync::cli
