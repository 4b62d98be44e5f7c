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

}  // namespace wavesync::cli
