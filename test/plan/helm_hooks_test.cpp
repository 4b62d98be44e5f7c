// Helm install vs upgrade hooks: Argo CD's mapping runs both kinds on every sync; --helm-hooks
// install/upgrade keep only the ones `helm upgrade --install` would run.
#include "plan/plan_test_util.hpp"
#include "wavesync/hooks/hook_annotations.hpp"

using namespace wavesync;
using namespace wavesync::testing;

namespace {
const char* k_chart = R"(apiVersion: batch/v1
kind: Job
metadata:
  name: db-init
  annotations:
    helm.sh/hook: pre-install
---
apiVersion: batch/v1
kind: Job
metadata:
  name: db-migrate
  annotations:
    helm.sh/hook: pre-upgrade
---
apiVersion: batch/v1
kind: Job
metadata:
  name: both
  annotations:
    helm.sh/hook: pre-install,pre-upgrade
---
apiVersion: batch/v1
kind: Job
metadata:
  name: seed
  annotations:
    helm.sh/hook: pre-install,post-upgrade
---
apiVersion: batch/v1
kind: Job
metadata:
  name: argo-presync
  annotations:
    argocd.argoproj.io/hook: PreSync
    helm.sh/hook: pre-upgrade
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: app
)";
}  // namespace

TEST_CASE("Helm hook types are kept on the hook as Argo CD maps them", "[plan][helm]") {
  auto resources = resources_from(k_chart);
  auto reading = read_hook(resources[3]);
  REQUIRE(reading.hook.has_value());
  CHECK(reading.hook->phases == std::vector<Phase>{Phase::pre_sync, Phase::post_sync});
  CHECK(reading.hook->helm == std::vector<HelmHook>{HelmHook::pre_install, HelmHook::post_upgrade});
  // An Argo CD hook type wins; the Helm types are then not the hook's.
  CHECK(read_hook(resources[4]).hook->helm.empty());
  CHECK(helm_hook_name(HelmHook::post_upgrade) == "post-upgrade");
}

TEST_CASE("the argo mapping runs install and upgrade hooks on every sync", "[plan][helm]") {
  Plan plan = select_helm_hooks(plan_of(resources_from(k_chart)), HelmHooks::argo);
  CHECK(order(plan) == std::vector<std::string>{"PreSync/0 Job argo-presync", "PreSync/0 Job both",
                                                "PreSync/0 Job db-init", "PreSync/0 Job db-migrate",
                                                "PreSync/0 Job seed", "Sync/0 ConfigMap app", "PostSync/0 Job seed"});
}

TEST_CASE("a first deploy runs only install hooks", "[plan][helm]") {
  Plan plan = select_helm_hooks(plan_of(resources_from(k_chart)), HelmHooks::install);
  CHECK(order(plan) == std::vector<std::string>{"PreSync/0 Job argo-presync", "PreSync/0 Job both",
                                                "PreSync/0 Job db-init", "PreSync/0 Job seed",
                                                "Sync/0 ConfigMap app"});
}

TEST_CASE("a later deploy runs only upgrade hooks", "[plan][helm]") {
  Plan plan = select_helm_hooks(plan_of(resources_from(k_chart)), HelmHooks::upgrade);
  CHECK(order(plan) == std::vector<std::string>{"PreSync/0 Job argo-presync", "PreSync/0 Job both",
                                                "PreSync/0 Job db-migrate", "Sync/0 ConfigMap app",
                                                "PostSync/0 Job seed"});
}

TEST_CASE("a plan knows whether it holds Helm hooks at all", "[plan][helm]") {
  auto resources = resources_from(k_chart);
  CHECK(has_helm_hooks(plan_of(resources)));
  // Argo CD hooks alone (an Argo type hides the Helm one) and ordinary objects are not Helm hooks.
  CHECK_FALSE(has_helm_hooks(plan_of({resources[4], resources[5]})));
}
