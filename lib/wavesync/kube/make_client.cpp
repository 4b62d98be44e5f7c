#include "wavesync/kube/make_client.hpp"

#include "wavesync/kube/http_client.hpp"

namespace wavesync::kube {

Result<Connection> make_client(const ConnectionOptions& options) {
  return make_client(options, ConfigSources::from_environment(options.kubeconfig));
}

Result<Connection> make_client(const ConnectionOptions& options, const ConfigSources& given) {
  ConfigSources sources = given;
  if (!options.kubeconfig.empty()) sources.kubeconfig_flag = options.kubeconfig;
  Selection selection;
  selection.context = options.context;
  selection.namespace_name = options.namespace_name;
  selection.cluster = options.cluster;
  selection.user = options.user;
  selection.as = options.as;
  selection.as_uid = options.as_uid;
  selection.as_groups = options.as_groups;
  auto access = load_cluster_access(sources, selection);
  if (!access) return access.error();
  ClientOptions client_options;
  client_options.transport.user_agent = options.user_agent.empty() ? "wavesync" : options.user_agent;
  client_options.proxy_environment = sources.proxy;
  client_options.ssl_cert_file = sources.ssl_cert_file;
  client_options.ssl_cert_dir = sources.ssl_cert_dir;
  client_options.transport.max_in_flight = std::max(1, options.max_in_flight);
  auto client = HttpClient::create(*access, client_options);
  if (!client) return client.error();
  Connection c;
  c.client = std::move(*client);
  c.namespace_name = access->namespace_name;
  c.context = access->context;
  c.server = access->cluster.server;
  const UserInfo& u = access->user;
  const bool has_credentials = !u.token.empty() || !u.token_file.empty() || !u.username.empty() ||
                               !u.password.empty() || !u.client_certificate_pem.empty() || u.exec;
  if (has_credentials && !sends_credentials(access->cluster.server)) {
    c.warnings.push_back("cluster \"" + access->cluster.name + "\": server " + access->cluster.server +
                         " is plain http: the credentials of user \"" + u.name +
                         "\" are not sent and its exec plugin is not run (as kubectl): use https");
  }
  return c;
}

}  // namespace wavesync::kube
