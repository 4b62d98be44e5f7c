// --kubeconfig and --context for the subcommands that talk to a cluster without syncing
// (status, diff, delete), and the connection they make (kube::make_client, exit code 4 on error).
#pragma once

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

}  // namespace wavesync::cli
