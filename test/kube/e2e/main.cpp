// wavesync_kube_e2e: the kube client against a real API server (the dev cluster from
// test/cluster). Requires WAVESYNC_E2E_KUBECONFIG (client-certificate kubeconfig); the token
// kubeconfig is taken from WAVESYNC_E2E_TOKEN_KUBECONFIG or `kubeconfig-token` beside it.
// Refuses to run (exit 2) without them: a skipped real-cluster suite must not look green.
#define CATCH_CONFIG_RUNNER
#include "kube/e2e/e2e_env.hpp"

#include <catch2/catch.hpp>

#include <cstdio>
#include <cstdlib>

int main(int argc, char** argv) {
  const char* kubeconfig = std::getenv("WAVESYNC_E2E_KUBECONFIG");
  if (kubeconfig == nullptr || *kubeconfig == '\0') {
    std::fprintf(stderr,
                 "wavesync_kube_e2e: WAVESYNC_E2E_KUBECONFIG is not set: start the dev cluster "
                 "with test/cluster/up and export the kubeconfig path it prints\n");
    return 2;
  }
  const int failures = Catch::Session().run(argc, argv);
  wavesync::test::e2e::cleanup();
  return failures;
}
