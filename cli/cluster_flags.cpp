#include "cluster_flags.hpp"

namespace wavesync::cli {

void add_cluster_flags(CLI::App* cmd, ClusterFlags* flags) {
  cmd->add_option("--kubeconfig", flags->kubeconfig, "Path to the kubeconfig file");
  cmd->add_option("--context", flags->context, "Kubeconfig context to use");
}

Result<kube::Connection> connect(const ClusterFlags& flags, const std::string& namespace_flag) {
  kube::ConnectionOptions options;
  options.kubeconfig = flags.kubeconfig;
  options.context = flags.context;
  options.namespace_name = namespace_flag;
  return kube::make_client(options);
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
