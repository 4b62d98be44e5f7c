// --kubeconfig and --context for the subcommands that talk to a cluster without syncing
// (status, diff, delete), and the connection they make (kube::make_client, exit code 4 on error).
#pragma once

#include "common.hpp"

#include "wavesync/kube/make_client.hpp"
#include "wavesync/model/result.hpp"

#include <CLI/CLI.hpp>

#include <string>

namespace wavesync::cli {

struct ClusterFlags {
  std::string kubeconfig;
  std::string context;
};

void add_cluster_flags(CLI::App* cmd, ClusterFlags* flags);

// Does not contact the server.
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
