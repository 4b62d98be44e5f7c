#include "wavesync/kube/make_client.hpp"

#include "wavesync/kube/http_client.hpp"

namespace wavesync::kube {

Result<Connection> make_client(const ConnectionOptions& options) {
  return make_client(options, ConfigSources::from_environment(options.kubeconfig));
}

Result<Connection> make_client(const ConnectionOptions& options, const ConfigSources& given) {
  ConfigSources sources = given;
  if (!options.kubeconfig.empty()) sources.kubeconfig_flag = options.kubeconfig;
  auto access = load_cluster_access(sources, Selection{options.context, options.namespace_name});
  if (!access) return access.error();
  ClientOptions client_options;
  client_options.transport.max_in_flight = std::max(1, options.max_in_flight);
  client_options.transport.qps = options.qps;
  client_options.transport.burst = options.burst;
  auto client = HttpClient::create(*access, client_options);
  if (!client) return client.error();
  Connection c;
  c.client = std::move(*client);
  c.namespace_name = access->namespace_name;
  c.context = access->context;
  c.server = access->cluster.server;
  return c;
}

}  // namespace wavesync::kube
