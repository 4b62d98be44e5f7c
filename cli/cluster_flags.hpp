// The connection flags of every subcommand that talks to a cluster, as kubectl names them
// (--kubeconfig, --context, --cluster, --user, --as, --as-group, --as-uid), and the
// connection they make (kube::make_client, exit code 4 on error).
#pragma once

#include "common.hpp"

#include "wavesync/kube/make_client.hpp"
#include "wavesync/model/result.hpp"

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

namespace wavesync::cli {

struct ClusterFlags {
  std::string kubeconfig;
  std::string context;
  std::string cluster;
  std::string user;
  std::string as;
  std::string as_uid;
  std::vector<std::string> as_groups;
};

void add_cluster_flags(CLI::App* cmd, ClusterFlags* flags);

// Does not contact the server. Prints the connection's warnings (e.g. credentials withheld
// from a plain-http server).
Result<kube::Connection> connect(const ClusterFlags& flags, const std::string& namespace_flag);

// A connection and the plan of the manifests, their default namespace taken from the
// connection's context; the plan's warnings are already printed.
struct ConnectedPlan {
  kube::Connection connection;
  Plan plan;
  std::string default_namespace;
};
Result<ConnectedPlan> connect_and_plan(const ClusterFlags& cluster, const ManifestFlags& manifests);

}  // namespace wavesync::cli
