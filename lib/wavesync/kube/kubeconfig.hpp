// Where the cluster is and who we are: kubeconfig resolution and merging exactly as kubectl
// does it (--kubeconfig, else KUBECONFIG, else ~/.kube/config), plus the in-cluster service
// account fallback. Reads files only; never contacts the server and never runs plugins.
#pragma once

#include "wavesync/kube/proxy.hpp"
#include "wavesync/model/result.hpp"

#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace wavesync::kube {

// A `users[].user.exec` stanza (client.authentication.k8s.io/v1 or v1beta1).
struct ExecConfig {
  std::string command;  // absolute when the kubeconfig gave a relative path with a `/`
  std::vector<std::string> args;
  std::vector<std::pair<std::string, std::string>> env;
  std::string api_version;
  std::string install_hint;
  bool provide_cluster_info = false;
  std::string interactive_mode;  // Never | IfAvailable | Always
};

struct ClusterInfo {
  std::string name;
  std::string server;  // as written, path prefix kept
  std::string tls_server_name;
  bool insecure_skip_tls_verify = false;
  std::string ca_pem;  // empty: the system trust store
  std::string proxy_url;
  bool disable_compression = false;
  // The cluster's `client.authentication.k8s.io/exec` extension, null when absent.
  nlohmann::json exec_extension;
};

// Who requests are made as (client-go rest.ImpersonationConfig): sent as Impersonate-* headers
// on every request, watches included. Empty `user`: no impersonation.
struct Impersonation {
  std::string user;
  std::string uid;
  std::vector<std::string> groups;
  std::map<std::string, std::vector<std::string>> extra;
};

// Secrets live only in memory and are never printed.
struct UserInfo {
  std::string name;
  std::string client_certificate_pem;
  std::string client_key_pem;
  std::string token;
  std::string token_file;  // re-read while running
  std::string username;
  std::string password;
  std::optional<ExecConfig> exec;
  Impersonation impersonate;  // `as`, `as-uid`, `as-groups`, `as-user-extra`
};

// Everything needed to reach and authenticate to one API server.
struct ClusterAccess {
  ClusterInfo cluster;
  UserInfo user;
  std::string namespace_name;  // --namespace, else the context's, else `default`
  std::string context;         // empty for in-cluster
  std::string origin;          // `kubeconfig /path[:/path]` or `in-cluster service account`
};

// The process environment as the loader sees it; injectable for tests.
struct ConfigSources {
  std::string kubeconfig_flag;                // --kubeconfig, empty when not given
  std::optional<std::string> kubeconfig_env;  // $KUBECONFIG
  std::string home;                           // $HOME
  std::optional<std::string> service_host;    // $KUBERNETES_SERVICE_HOST
  std::optional<std::string> service_port;    // $KUBERNETES_SERVICE_PORT
  std::optional<std::string> pod_namespace;   // $POD_NAMESPACE
  std::string service_account_dir = "/var/run/secrets/kubernetes.io/serviceaccount";
  ProxyEnvironment proxy;                     // HTTPS_PROXY, NO_PROXY, ...
  std::string ssl_cert_file;                  // $SSL_CERT_FILE
  std::string ssl_cert_dir;                   // $SSL_CERT_DIR

  // Reads the real environment.
  static ConfigSources from_environment(std::string kubeconfig_flag);
};

// Command-line overrides (kubectl's clientcmd.ConfigOverrides): each one given replaces the
// kubeconfig's value.
struct Selection {
  std::string context;         // --context
  std::string namespace_name;  // --namespace
  std::string cluster;         // --cluster: the kubeconfig cluster entry to use
  std::string user;            // --user: the kubeconfig user entry to use
  std::string as;              // --as
  std::string as_uid;          // --as-uid
  std::vector<std::string> as_groups;  // --as-group, repeatable
};

// The kubeconfig files kubectl would read, in precedence order (only existing ones; a FIFO
// such as `<(...)` counts). Error when --kubeconfig names a file that does not exist.
Result<std::vector<std::string>> kubeconfig_paths(const ConfigSources& sources);

// Resolves kubeconfig (or in-cluster config when no kubeconfig exists) into a ClusterAccess.
// Errors carry exit code 4 and say what to do.
Result<ClusterAccess> load_cluster_access(const ConfigSources& sources, const Selection& selection);

// In-cluster config: nullopt unless KUBERNETES_SERVICE_HOST/PORT are set and the service
// account token file exists.
Result<std::optional<ClusterAccess>> in_cluster_access(const ConfigSources& sources,
                                                       const Selection& selection);

// The context, cluster and user names of the merged kubeconfig chain, sorted; for shell
// completion. Reads files only, resolves nothing else, never fails on a missing current-context.
struct KubeconfigNames {
  std::vector<std::string> contexts;
  std::vector<std::string> clusters;
  std::vector<std::string> users;
};
Result<KubeconfigNames> kubeconfig_names(const ConfigSources& sources);

}  // namespace wavesync::kube
