#include "kube/e2e/e2e_env.hpp"

#include "kube/contract/client_contract.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <unistd.h>

namespace wavesync::test::e2e {
namespace {
bool g_namespace_made = false;
}

std::string cert_kubeconfig() {
  const char* v = std::getenv("WAVESYNC_E2E_KUBECONFIG");
  return v == nullptr ? "" : v;
}

std::string token_kubeconfig() {
  if (const char* v = std::getenv("WAVESYNC_E2E_TOKEN_KUBECONFIG"); v != nullptr && *v != '\0') return v;
  return (std::filesystem::path(cert_kubeconfig()).parent_path() / "kubeconfig-token").string();
}

kube::ClusterAccess access_from(const std::string& kubeconfig) {
  kube::ConfigSources sources;
  sources.kubeconfig_flag = kubeconfig;
  auto access = kube::load_cluster_access(sources, kube::Selection{});
  INFO((access.ok() ? "" : access.error().message));
  REQUIRE(access.ok());
  return *access;
}

std::unique_ptr<kube::HttpClient> client_for(const kube::ClusterAccess& access) {
  auto client = kube::HttpClient::create(access);
  REQUIRE(client.ok());
  return std::move(*client);
}

std::string run_suffix() {
  static const std::string suffix =
      std::to_string(::getpid()) + "-" +
      std::to_string(std::chrono::system_clock::now().time_since_epoch().count() % 100000);
  return suffix;
}

const std::string& run_namespace() {
  static const std::string name = "wavesync-kube-e2e-" + run_suffix();
  if (!g_namespace_made) {
    auto client = client_for(access_from(cert_kubeconfig()));
    contract::make_namespace(*client, name);
    g_namespace_made = true;
  }
  return name;
}

void cleanup() {
  if (!g_namespace_made) return;
  kube::ConfigSources sources;
  sources.kubeconfig_flag = cert_kubeconfig();
  auto access = kube::load_cluster_access(sources, kube::Selection{});
  if (!access) return;
  auto client = kube::HttpClient::create(*access);
  if (!client) return;
  (void)(*client)->remove(kube::ObjectRef{"v1", "Namespace", "", run_namespace()},
                          kube::Propagation::background);
}

}  // namespace wavesync::test::e2e
