// The plan as JSON (the stable contract) and as text.
#include "plan/plan_test_util.hpp"
#include "wavesync/plan/plan_json.hpp"
#include "wavesync/plan/plan_text.hpp"

using namespace wavesync;
using namespace wavesync::testing;

namespace {
const char* k_app = R"(apiVersion: v1
kind: Namespace
metadata: {name: app}
---
apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
  namespace: app
  annotations:
    argocd.argoproj.io/hook: PreSync
    argocd.argoproj.io/sync-wave: "-1"
spec: {backoffLimit: 0}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: app}
spec: {replicas: 2}
---
apiVersion: batch/v1
kind: Job
metadata:
  generateName: smoke-
  namespace: app
  annotations: {helm.sh/hook: post-install, helm.sh/hook-delete-policy: hook-succeeded}
)";
}  // namespace

TEST_CASE("the JSON plan follows the documented contract", "[plan][render]") {
  Plan plan = plan_of(resources_from(k_app, "app"));
  plan.warnings.push_back("app.yaml:1: example warning");
  nlohmann::json expected = nlohmann::json::parse(R"({
  "steps": [
    {"phase": "PreSync", "wave": -1, "resources": [
      {"apiVersion": "v1", "kind": "Namespace", "namespace": null, "name": "app", "generateName": null, "hook": null,
       "source": "app.yaml:1", "object": {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "app"}}},
      {"apiVersion": "batch/v1", "kind": "Job", "namespace": "app", "name": "migrate", "generateName": null,
       "hook": {"phases": ["PreSync"], "deletePolicies": ["BeforeHookCreation"]}, "source": "app.yaml:5",
       "object": {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "migrate", "namespace": "app",
         "annotations": {"argocd.argoproj.io/hook": "PreSync", "argocd.argoproj.io/sync-wave": "-1"}},
         "spec": {"backoffLimit": 0}}}]},
    {"phase": "Sync", "wave": 0, "resources": [
      {"apiVersion": "apps/v1", "kind": "Deployment", "namespace": "app", "name": "web", "generateName": null,
       "hook": null, "source": "app.yaml:15", "object": {"apiVersion": "apps/v1", "kind": "Deployment",
         "metadata": {"name": "web", "namespace": "app"}, "spec": {"replicas": 2}}}]},
    {"phase": "PostSync", "wave": 0, "resources": [
      {"apiVersion": "batch/v1", "kind": "Job", "namespace": "app", "name": null, "generateName": "smoke-",
       "hook": {"phases": ["PostSync"], "deletePolicies": ["HookSucceeded"]}, "source": "app.yaml:20",
       "object": {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"generateName": "smoke-", "namespace": "app",
         "annotations": {"helm.sh/hook": "post-install", "helm.sh/hook-delete-policy": "hook-succeeded"}}}}]}
  ],
  "warnings": ["app.yaml:1: example warning"]
})");
  CHECK(plan_to_json(plan) == expected);
}

TEST_CASE("an empty plan renders as no steps", "[plan][render]") {
  CHECK(plan_to_json(Plan{}).dump() == R"({"steps":[],"warnings":[]})");
  CHECK(plan_to_text(Plan{}) == "0 steps, 0 resources\n");
}

TEST_CASE("the text plan shows one aligned block per step", "[plan][render]") {
  Plan plan = plan_of(resources_from(k_app, "app"));
  CHECK(plan_to_text(plan) ==
        "PreSync wave -1\n"
        "  Namespace   app                                                  app.yaml:1\n"
        "  Job         app/migrate  hook PreSync delete=BeforeHookCreation  app.yaml:5\n"
        "Sync wave 0\n"
        "  Deployment  app/web                                              app.yaml:15\n"
        "PostSync wave 0\n"
        "  Job         app/smoke-*  hook PostSync delete=HookSucceeded      app.yaml:20\n"
        "3 steps, 4 resources\n");
}

TEST_CASE("the streamed JSON text is the same document as the JSON tree", "[plan][render]") {
  Plan plan = plan_of(resources_from(k_app, "app"));
  plan.warnings.push_back("app.yaml:1: a \"quoted\" warning");
  std::string text = plan_to_json_text(plan);
  CHECK(nlohmann::json::parse(text) == plan_to_json(plan));
  CHECK(text.rfind("{\"steps\":[\n{\"phase\":\"PreSync\",\"wave\":-1,\"resources\":[", 0) == 0);
  CHECK(plan_to_json_text(Plan{}) == "{\"steps\":[\n],\"warnings\":[]}\n");
}

TEST_CASE("the streamed JSON text escapes names and paths as the JSON tree does", "[plan][render]") {
  Plan plan = plan_of(resources_from(k_app, "app"));
  // A path with a quote, a backslash, a tab and non-ASCII text takes dump()'s escaping.
  plan.steps[0].resources[0].resource.source = SourceLocation{"dir \"q\"\\\tü/app.yaml", 3, 1};
  std::string text = plan_to_json_text(plan);
  CHECK(nlohmann::json::parse(text) == plan_to_json(plan));
  CHECK(text.find("\"source\":\"dir \\\"q\\\"\\\\\\tü/app.yaml:3\"") != std::string::npos);
}
