// Plan order: Argo CD's sort key and dependency bubbling (gitops-engine pkg/sync/sync_tasks.go
// syncTasks.Less and syncTasks.Sort) and the upstream scenarios of sync_tasks_test.go and
// sync_context_test.go, named in each test.
#include "plan/plan_test_util.hpp"
#include "wavesync/hooks/hook_names.hpp"

using namespace wavesync;
using namespace wavesync::testing;
using nlohmann::json;
using Order = std::vector<std::string>;

namespace {
json with_annotation(json object, const std::string& key, const std::string& value) {
  object["metadata"]["annotations"][key] = value;
  return object;
}
}  // namespace

TEST_CASE("TestSortSyncTask: phase, then wave, then kind rank, then name", "[plan][scenario]") {
  json empty = json::object();
  std::vector<Resource> input = {
      bare({{"kind", "Pod"}}),
      bare({{"kind", "Service"}}),
      bare({{"kind", "PersistentVolume"}}),
      bare(with_annotation(empty, "argocd.argoproj.io/hook", "SyncFail")),
      bare(with_annotation({{"metadata", {{"name", "wave1"}}}}, "argocd.argoproj.io/sync-wave", "1")),
      bare({{"metadata", {{"name", "b"}}}}),
      bare({{"metadata", {{"name", "a"}}}}),
      bare(with_annotation({{"metadata", {{"name", "wave-1"}}}}, "argocd.argoproj.io/sync-wave", "-1")),
      bare(empty),
      bare(with_annotation(empty, "argocd.argoproj.io/hook", "PreSync")),
      bare(with_annotation(empty, "argocd.argoproj.io/hook", "PostSync")),
      bare({{"kind", "ConfigMap"}}),
  };
  CHECK(order(plan_of(input)) == Order{"PreSync/0  ", "Sync/-1  wave-1", "Sync/0 ConfigMap ",
                                       "Sync/0 PersistentVolume ", "Sync/0 Service ", "Sync/0 Pod ", "Sync/0  ",
                                       "Sync/0  a", "Sync/0  b", "Sync/1  wave1", "PostSync/0  ", "SyncFail/0  "});
}

TEST_CASE("Test_syncTasks_kindOrder: Namespace ranks -35, APIService -1, unknown kinds 0", "[plan][scenario]") {
  CHECK(kind_rank("Namespace") == -35);
  CHECK(kind_rank("APIService") == -1);
  CHECK(kind_rank("Deployment") == -8);
  CHECK(kind_rank("Workflow") == 0);
  CHECK(kind_rank("Endpoints") == 0);
}

TEST_CASE("all 35 ranked kinds sort in Argo CD's table order within one wave", "[plan]") {
  const std::vector<std::string> kinds = {
      "Namespace", "NetworkPolicy", "ResourceQuota", "LimitRange", "PodSecurityPolicy", "PodDisruptionBudget",
      "ServiceAccount", "Secret", "SecretList", "ConfigMap", "StorageClass", "PersistentVolume",
      "PersistentVolumeClaim", "CustomResourceDefinition", "ClusterRole", "ClusterRoleList", "ClusterRoleBinding",
      "ClusterRoleBindingList", "Role", "RoleList", "RoleBinding", "RoleBindingList", "Service", "DaemonSet", "Pod",
      "ReplicationController", "ReplicaSet", "Deployment", "HorizontalPodAutoscaler", "StatefulSet", "Job",
      "CronJob", "IngressClass", "Ingress", "APIService"};
  std::vector<Resource> input;
  input.push_back(bare({{"kind", "Widget"}, {"metadata", {{"name", "a"}}}}));
  for (auto it = kinds.rbegin(); it != kinds.rend(); ++it) input.push_back(bare({{"kind", *it}, {"metadata", {{"name", "z"}}}}));
  Plan plan = plan_of(input);
  REQUIRE(plan.steps.size() == 1);
  for (std::size_t i = 0; i < kinds.size(); ++i) {
    CHECK(plan.steps[0].resources[i].resource.kind() == kinds[i]);
    CHECK(kind_rank(kinds[i]) == static_cast<int>(i) - 35);
  }
  CHECK(plan.steps[0].resources.back().resource.kind() == "Widget");
}

TEST_CASE("TestSyncNamespaceAgainstCRD: a Namespace sorts before a custom resource", "[plan][scenario]") {
  auto input = resources_from(R"(apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: wf, namespace: other}
---
apiVersion: v1
kind: Namespace
metadata: {name: myns}
)");
  CHECK(order(plan_of(input)) == Order{"Sync/0 Namespace myns", "Sync/0 Workflow wf"});
}

TEST_CASE("TestSyncTasksSort_NamespaceAndObjectInNamespace: a Namespace bubbles to its first object's phase and wave",
          "[plan][scenario]") {
  auto input = resources_from(R"(apiVersion: batch/v1
kind: Job
metadata:
  name: job1
  namespace: myNamespace1
  annotations: {argocd.argoproj.io/hook: PreSync}
---
apiVersion: batch/v1
kind: Job
metadata:
  name: job2
  namespace: myNamespace2
  annotations: {argocd.argoproj.io/hook: PreSync}
---
apiVersion: v1
kind: Namespace
metadata:
  name: myNamespace1
  annotations: {argocd.argoproj.io/sync-wave: "1"}
---
apiVersion: v1
kind: Namespace
metadata:
  name: myNamespace2
  annotations: {argocd.argoproj.io/sync-wave: "2"}
)");
  Plan plan = plan_of(input);
  CHECK(order(plan) == Order{"PreSync/0 Namespace myNamespace1", "PreSync/0 Job job1", "PreSync/0 Namespace myNamespace2",
                             "PreSync/0 Job job2"});
  REQUIRE(plan.steps.size() == 1);
  CHECK_FALSE(plan.steps[0].resources[0].hook.has_value());
}

TEST_CASE("TestSyncTasksSort_CRDAndCR: a CRD moves in front of its first custom resource", "[plan][scenario]") {
  auto input = resources_from(R"(apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  name: my-wf
  annotations: {argocd.argoproj.io/hook: PreSync}
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: workflows.argoproj.io}
spec:
  group: argoproj.io
  scope: Namespaced
  names: {kind: Workflow, plural: workflows}
)");
  CHECK(order(plan_of(input)) == Order{"PreSync/0 CustomResourceDefinition workflows.argoproj.io", "PreSync/0 Workflow my-wf"});
}

TEST_CASE("a CRD for another kind does not move", "[plan]") {
  auto input = resources_from(R"(apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  name: my-wf
  annotations: {argocd.argoproj.io/sync-wave: "-1"}
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: rollouts.argoproj.io}
spec: {group: argoproj.io, scope: Namespaced, names: {kind: Rollout, plural: rollouts}}
)");
  CHECK(order(plan_of(input)) == Order{"Sync/-1 Workflow my-wf", "Sync/0 CustomResourceDefinition rollouts.argoproj.io"});
}

TEST_CASE("cluster-scoped objects pull the destination Namespace forward as Argo CD's fill-in does", "[plan]") {
  auto input = resources_from(R"(apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: reader
  annotations: {argocd.argoproj.io/sync-wave: "-3"}
---
apiVersion: v1
kind: Namespace
metadata: {name: shop}
)", "shop");
  PlanOptions options;
  options.destination_namespace = "shop";
  CHECK(order(plan_of(input, options)) == Order{"Sync/-3 Namespace shop", "Sync/-3 ClusterRole reader"});
  CHECK(order(plan_of(input)) == Order{"Sync/-3 ClusterRole reader", "Sync/0 Namespace shop"});
}

TEST_CASE("Test_syncTasks_multiStep: one Sync task is one step, PreSync and PostSync are two", "[plan][scenario]") {
  auto single = resources_from(
      "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations: {argocd.argoproj.io/sync-wave: \"-1\"}\n");
  CHECK(plan_of(single).steps.size() == 1);
  auto multi = resources_from(R"(apiVersion: v1
kind: Pod
metadata:
  name: pre
  annotations: {argocd.argoproj.io/hook: PreSync, argocd.argoproj.io/sync-wave: "-1"}
---
apiVersion: v1
kind: Pod
metadata:
  name: post
  annotations: {argocd.argoproj.io/hook: PostSync, argocd.argoproj.io/sync-wave: "1"}
)");
  CHECK(order(plan_of(multi)) == Order{"PreSync/-1 Pod pre", "PostSync/1 Pod post"});
}

TEST_CASE("TestSync_SyncWaveHook: Sync waves -1 and 0 then the PostSync hook", "[plan][scenario]") {
  auto input = resources_from(R"(apiVersion: v1
kind: Pod
metadata: {name: pod-0}
---
apiVersion: v1
kind: Pod
metadata:
  name: pod-neg
  annotations: {argocd.argoproj.io/sync-wave: "-1"}
---
apiVersion: v1
kind: Pod
metadata:
  name: hook
  annotations: {argocd.argoproj.io/hook: PostSync}
)");
  Plan plan = plan_of(input);
  REQUIRE(plan.steps.size() == 3);
  CHECK(order(plan) == Order{"Sync/-1 Pod pod-neg", "Sync/0 Pod pod-0", "PostSync/0 Pod hook"});
}

TEST_CASE("TestUnnamedHooksGetUniqueNames: a PreSync,PostSync hook is planned once per phase", "[plan][scenario]") {
  auto input = resources_from(R"(apiVersion: v1
kind: Pod
metadata:
  generateName: my-pod-
  annotations: {argocd.argoproj.io/hook: "PreSync,PostSync"}
)");
  PlanOptions options;
  options.revision = "0123456789abcdef";
  options.started_at_unix = 1767268800;
  Plan plan = plan_of(input, options);
  CHECK(order(plan) == Order{"PreSync/0 Pod my-pod-", "PostSync/0 Pod my-pod-"});
  CHECK(plan.steps[0].resources[0].hook->phases == std::vector<Phase>{Phase::pre_sync, Phase::post_sync});
  CHECK(plan.steps[0].resources[0].generated_name == "my-pod-0123456-presync-1767268800");
  CHECK(plan.steps[1].resources[0].generated_name == "my-pod-0123456-postsync-1767268800");
  CHECK(plan.revision == "0123456789abcdef");
}

TEST_CASE("a generateName hook sorts by the name Argo CD generates, not as an empty name", "[plan]") {
  auto input = resources_from(R"(apiVersion: batch/v1
kind: Job
metadata:
  name: db-migrate-b
  annotations: {argocd.argoproj.io/hook: PreSync}
---
apiVersion: batch/v1
kind: Job
metadata:
  generateName: db-migrate-
  annotations: {argocd.argoproj.io/hook: PreSync}
---
apiVersion: batch/v1
kind: Job
metadata:
  name: a-first
  annotations: {argocd.argoproj.io/hook: PreSync}
)");
  auto names = [&](const std::string& revision) {
    PlanOptions options;
    options.revision = revision;
    options.started_at_unix = 1767268800;
    std::vector<std::string> out;
    const Plan plan = plan_of(input, options);
    for (const PlannedResource& p : plan.steps.at(0).resources) {
      out.push_back(p.generated_name.empty() ? p.resource.name() : p.generated_name);
    }
    return out;
  };
  // `db-migrate-a...` < `db-migrate-b`, but `db-migrate-f...` > `db-migrate-b`; `a-first` always leads.
  CHECK(names("abcdef0123") == Order{"a-first", "db-migrate-abcdef0-presync-1767268800", "db-migrate-b"});
  CHECK(names("f000000000") == Order{"a-first", "db-migrate-b", "db-migrate-f000000-presync-1767268800"});
}

TEST_CASE("without a given revision the plan names hooks with the manifests' run id", "[plan]") {
  auto input = resources_from(R"(apiVersion: v1
kind: Pod
metadata:
  generateName: smoke-
  annotations: {argocd.argoproj.io/hook: PostSync}
)");
  Plan plan = plan_of(input);
  CHECK(plan.revision == run_id(input));
  CHECK(plan.steps.at(0).resources.at(0).generated_name == "smoke-" + plan.revision.substr(0, 7) + "-postsync-0");
}

TEST_CASE("SyncFail hooks form a SyncFail step after PostSync", "[plan][scenario]") {
  auto input = resources_from(R"(apiVersion: v1
kind: Pod
metadata:
  name: on-failure
  annotations: {argocd.argoproj.io/hook: SyncFail, argocd.argoproj.io/sync-wave: "-5"}
---
apiVersion: v1
kind: Pod
metadata:
  name: after
  annotations: {argocd.argoproj.io/hook: PostSync}
)");
  CHECK(order(plan_of(input)) == Order{"PostSync/0 Pod after", "SyncFail/-5 Pod on-failure"});
}

TEST_CASE("Sync hooks mix with resources of the same wave by kind and name", "[plan]") {
  auto input = resources_from(R"(apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
---
apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
  annotations: {argocd.argoproj.io/hook: Sync}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: cfg}
)");
  CHECK(order(plan_of(input)) == Order{"Sync/0 ConfigMap cfg", "Sync/0 Deployment web", "Sync/0 Job migrate"});
}

TEST_CASE("Skip alone is never applied and a dropped hook is not planned", "[plan]") {
  auto input = resources_from(R"(apiVersion: v1
kind: ConfigMap
metadata:
  name: skipped
  annotations: {argocd.argoproj.io/hook: Skip}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: helm-test
  annotations: {helm.sh/hook: test}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: kept}
)");
  Plan plan = plan_of(input);
  CHECK(order(plan) == Order{"Sync/0 ConfigMap kept"});
  CHECK(plan.warnings.empty());
}

TEST_CASE("equal sort keys are broken by namespace, then group, so the plan is deterministic", "[plan]") {
  auto input = resources_from(R"(apiVersion: example.com/v1
kind: Widget
metadata: {name: w, namespace: b}
---
apiVersion: acme.io/v1
kind: Widget
metadata: {name: w, namespace: b}
---
apiVersion: example.com/v1
kind: Widget
metadata: {name: w, namespace: a}
)");
  Plan plan = plan_of(input);
  std::vector<std::string> got;
  for (const auto& p : plan.steps[0].resources) got.push_back(p.resource.namespace_name() + " " + p.resource.api_version());
  CHECK(got == std::vector<std::string>{"a example.com/v1", "b acme.io/v1", "b example.com/v1"});
}

TEST_CASE("names compare byte-wise, upper case before lower case", "[plan]") {
  auto input = resources_from(
      "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: B}\n"
      "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a-1}\n");
  CHECK(order(plan_of(input)) == Order{"Sync/0 ConfigMap B", "Sync/0 ConfigMap a-1", "Sync/0 ConfigMap b"});
}
