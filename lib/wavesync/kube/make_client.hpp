// The CLI's one call to get a real client: kubeconfig (or in-cluster) resolution from the
// command-line flags, then an HttpClient. Returns the resolved namespace with it.
#pragma once

#include "wavesync/kube/client.hpp"
#include "wavesync/kube/kubeconfig.hpp"
#include "wavesync/model/result.hpp"

#include <memory>
#include <string>
#include <vector>

namespace wavesync::kube {

// What the CLI flags say about the connection.
struct ConnectionOptions {
  std::string kubeconfig;      // --kubeconfig
  std::string context;         // --context
  std::string namespace_name;  // -n/--namespace
  int max_in_flight = 64;      // concurrent requests
  std::string user_agent;  // user_agent(version, revision); empty: `wavesync`
  std::string cluster;     // --cluster
  std::string user;        // --user
  std::string as;          // --as
  std::string as_uid;      // --as-uid
  std::vector<std::string> as_groups;  // --as-group
};

struct Connection {
  std::unique_ptr<Client> client;
  std::string namespace_name;  // flag > context > `default` (in-cluster: the pod's)
  std::string context;         // empty in-cluster
  std::string server;          // for messages
  std::vector<std::string> warnings;  // e.g. credentials withheld from a plain-http server
};

// Errors carry exit code 4 and say what to do (e.g. "no kubeconfig found: set KUBECONFIG or
// pass --kubeconfig"). Does not contact the server.
Result<Connection> make_client(const ConnectionOptions& options);
// Same, with an injected environment (tests); options.kubeconfig, when set, replaces
// sources.kubeconfig_flag.
Result<Connection> make_client(const ConnectionOptions& options, const ConfigSources& sources);

}  // namespace wavesync::kube
