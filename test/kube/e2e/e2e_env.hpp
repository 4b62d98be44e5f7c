// Shared state of the kube e2e run: the kubeconfigs, clients made from them, and one
// namespace per run (deleted at exit).
#pragma once

#include "wavesync/kube/http_client.hpp"

#include <memory>
#include <string>

namespace wavesync::test::e2e {

// WAVESYNC_E2E_KUBECONFIG (client certificate).
std::string cert_kubeconfig();
// WAVESYNC_E2E_TOKEN_KUBECONFIG, else `kubeconfig-token` beside the cert kubeconfig.
std::string token_kubeconfig();
// Resolved access for a kubeconfig file (fails the test when it cannot be loaded).
kube::ClusterAccess access_from(const std::string& kubeconfig);
std::unique_ptr<kube::HttpClient> client_for(const kube::ClusterAccess& access);
// The per-run namespace, created on first use.
const std::string& run_namespace();
// A name unique to this run, e.g. for cluster-scoped objects.
std::string run_suffix();
void cleanup();

}  // namespace wavesync::test::e2e
