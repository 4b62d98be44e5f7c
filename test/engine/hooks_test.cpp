// Hooks in the sync engine: phases, delete policies, names, completion (gitops-engine
// pkg/sync/hook, pkg/sync/sync_context.go and the hook scenarios of sync_context_test.go).
#include "engine/engine_fixture.hpp"


#include <catch2/catch.hpp>

using namespace wavesync;
using namespace wavesync::test;
using namespace std::chrono_literals;

namespace {
std::size_t index_of(const std::vector<std::string>& v, const std::string& s) {
  return static_cast<std::size_t>(std::find(v.begin(), v.end(), s) - v.begin());
}
}  // namespace

// Phase order PreSync, Sync, PostSync (pkg/sync/common/types.go; sync_tasks_test.go
// TestSortSyncTask)
TEST_CASE("PreSync hooks complete before Sync resources, PostSync hooks run after they are healthy", "[engine][hooks]") {
  Cluster c;
  c.delays["pre"] = 3s;
  c.delays["web"] = 4s;
  Plan plan = plan_of({hook(job("default", "pre"), Phase::pre_sync), resource(deployment("default", "web")),
                       hook(job("default", "post"), Phase::post_sync)});
  auto result = c.sync(plan);
  CHECK(result.exit_code == 0);
  CHECK(c.client.writes() == std::vector<std::string>{"apply batch/v1 Job default/pre",
                                                       "apply apps/v1 Deployment default/web",
                                                       "apply batch/v1 Job default/post"});
  CHECK(c.sink.at("hook-completed batch/v1 Job default/pre") == Approx(3.0));
  CHECK(c.sink.at("resource-applied apps/v1 Deployment default/web") == Approx(3.0));
  CHECK(c.sink.at("hook-started batch/v1 Job default/post") == Approx(7.0));
  CHECK(c.sink.at("sync-done") == Approx(8.0));
}

// sync_context_test.go TestBeforeHookCreation; pkg/sync/hook delete policies (sync_context.go)
TEST_CASE("BeforeHookCreation deletes an existing hook in the foreground, waits until it is gone, then creates it", "[engine][hooks]") {
  Cluster c;
  c.client.seed(job("default", "migrate"));
  c.client.set_deletion_delay(2s);
  auto result = c.sync(plan_of({hook(job("default", "migrate"), Phase::sync)}));
  CHECK(result.exit_code == 0);
  CHECK(c.client.writes() == std::vector<std::string>{"delete batch/v1 Job default/migrate foreground",
                                                       "apply batch/v1 Job default/migrate"});
  CHECK(c.sink.at("deleting batch/v1 Job default/migrate") == Approx(0.0));
  CHECK(c.sink.at("hook-started batch/v1 Job default/migrate") == Approx(2.0));
}

TEST_CASE("a BeforeHookCreation delete that cannot reach the API server ends the sync with exit code 4", "[engine][hooks]") {
  Cluster c;
  c.client.seed(job("default", "migrate"));
  c.client.inject_fault({"delete", "Job", "migrate", 1,
                         Error{"delete batch/v1 Job default/migrate: cannot reach the API server", exit_code::k_cluster, 0}});
  auto result = c.sync(plan_of({hook(job("default", "migrate"), Phase::sync)}));
  CHECK(result.exit_code == exit_code::k_cluster);
  // The delete was tried and failed: the hook is not created.
  CHECK(c.client.writes() == std::vector<std::string>{"delete batch/v1 Job default/migrate foreground"});
}

TEST_CASE("a changed, immutable hook Job is recreated because of BeforeHookCreation", "[engine][hooks]") {
  Cluster c;
  c.client.seed(job("default", "migrate"));
  json changed = job("default", "migrate");
  changed["spec"]["template"]["spec"]["containers"][0]["image"] = "busybox:2";
  auto result = c.sync(plan_of({hook(changed, Phase::pre_sync)}));
  CHECK(result.exit_code == 0);
  auto live = c.client.object(fakes::ref("batch/v1", "Job", "default", "migrate"));
  REQUIRE(live);
  CHECK((*live)["spec"]["template"]["spec"]["containers"][0]["image"] == "busybox:2");
}

TEST_CASE("every sync runs the hooks again", "[engine][hooks]") {
  Cluster c;
  Plan plan = plan_of({hook(job("default", "creds"), Phase::sync, -1), resource(config_map("default", "a"), 0)});
  REQUIRE(c.sync(plan).exit_code == 0);
  c.client.clear_calls();
  REQUIRE(c.sync(plan).exit_code == 0);
  CHECK(c.client.writes() == std::vector<std::string>{"delete batch/v1 Job default/creds foreground",
                                                       "apply batch/v1 Job default/creds",
                                                       "apply v1 ConfigMap default/a"});
}

// sync_context_test.go TestSync_HooksDeletedAfterSyncSucceeded (all hooks Healthy)
TEST_CASE("HookSucceeded hooks are deleted when the whole sync succeeds, not when they complete", "[engine][hooks]") {
  Cluster c;
  Plan plan = plan_of({hook(job("default", "bhc"), Phase::pre_sync, 0, {DeletePolicy::before_hook_creation}),
                       hook(job("default", "on-fail"), Phase::pre_sync, 0, {DeletePolicy::hook_failed}),
                       hook(job("default", "on-success"), Phase::pre_sync, 0, {DeletePolicy::hook_succeeded}),
                       resource(deployment("default", "web"))});
  c.delays["web"] = 5s;
  auto result = c.sync(plan);
  CHECK(result.exit_code == 0);
  auto writes = c.client.writes();
  CHECK(writes.back() == "delete batch/v1 Job default/on-success foreground");
  CHECK(index_of(writes, "delete batch/v1 Job default/on-fail foreground") == writes.size());
  CHECK(index_of(writes, "delete batch/v1 Job default/bhc foreground") == writes.size());
  CHECK(c.sink.at("hook-deleted batch/v1 Job default/on-success") == Approx(6.0));
}

// sync_context_test.go TestSync_HooksDeletedAfterSyncFailed (one hook Degraded)
TEST_CASE("HookFailed hooks are deleted when the sync fails, whatever their own result", "[engine][hooks]") {
  Cluster c;
  c.fail = {"web"};
  Plan plan = plan_of({hook(job("default", "on-fail"), Phase::pre_sync, 0, {DeletePolicy::hook_failed}),
                       hook(job("default", "on-success"), Phase::pre_sync, 0, {DeletePolicy::hook_succeeded}),
                       resource(deployment("default", "web"))});
  auto result = c.sync(plan);
  CHECK(result.exit_code == 1);
  auto writes = c.client.writes();
  CHECK(writes.back() == "delete batch/v1 Job default/on-fail foreground");
  CHECK(index_of(writes, "delete batch/v1 Job default/on-success foreground") == writes.size());
}

// sync_context_test.go TestSync_HooksNotDeletedIfPhaseNotCompleted (one hook still Progressing)
TEST_CASE("hooks still running when the sync times out are neither deleted nor counted complete", "[engine][hooks]") {
  Cluster c;
  c.never = {"slow"};
  engine::RunOptions options;
  options.timeout = 30s;
  Plan plan = plan_of({hook(job("default", "slow"), Phase::pre_sync, 0, {DeletePolicy::hook_failed}),
                       resource(config_map("default", "a"))});
  auto result = c.sync(plan, options);
  CHECK(result.exit_code == 3);
  CHECK(c.client.writes() == std::vector<std::string>{"apply batch/v1 Job default/slow"});
}

// sync_context_test.go TestUnnamedHooksGetUniqueNames; sync_context.go getSyncTasks (hook names)
TEST_CASE("a generateName hook is created under the name the plan gave it", "[engine][hooks]") {
  Cluster c;
  json pod = object("v1", "Pod", "default", "", {{"spec", {{"restartPolicy", "Never"},
                                                           {"containers", json::array({{{"name", "c"}, {"image", "x"}}})}}}});
  pod["metadata"].erase("name");
  pod["metadata"]["generateName"] = "smoke-";
  PlannedResource pre = hook(pod, Phase::pre_sync);
  pre.generated_name = "smoke-foobarb-presync-1767268800";
  PlannedResource post = hook(pod, Phase::post_sync);
  post.generated_name = "smoke-foobarb-postsync-1767268800";
  Plan plan = plan_of({pre, post});
  auto result = c.sync(plan);
  for (const auto& r : result.reasons) UNSCOPED_INFO(r);
  CHECK(result.exit_code == 0);
  CHECK(c.client.writes() == std::vector<std::string>{"apply v1 Pod default/smoke-foobarb-presync-1767268800",
                                                      "apply v1 Pod default/smoke-foobarb-postsync-1767268800"});
}

TEST_CASE("a hook Job removed by its TTL controller after completing counts as completed", "[engine][hooks]") {
  Cluster c;
  c.never = {"ttl"};
  auto r = fakes::ref("batch/v1", "Job", "default", "ttl");
  c.client.schedule(1s, [&] { c.client.set_status(r, fakes::healthy_status(*c.client.object(r))); });
  c.client.schedule(1s, [&] { c.client.erase(r); });
  auto result = c.sync(plan_of({hook(job("default", "ttl"), Phase::pre_sync), resource(config_map("default", "a"))}));
  CHECK(result.exit_code == 0);
  CHECK(c.sink.has("hook-completed batch/v1 Job default/ttl"));
}

// sync_context_test.go TestSync_MultistepResourceDeletionMidstep; Argo CD users saw syncs hang on
// "waiting for completion of hook" when a Job's TTL removed it before its status was seen
TEST_CASE("a hook that disappears before finishing fails the sync instead of waiting forever", "[engine][hooks]") {
  Cluster c;
  c.never = {"gone"};
  auto r = fakes::ref("batch/v1", "Job", "default", "gone");
  c.client.schedule(2s, [&] { c.client.erase(r); });
  auto result = c.sync(plan_of({hook(job("default", "gone"), Phase::pre_sync), resource(config_map("default", "a"))}));
  CHECK(result.exit_code == 1);
  CHECK(c.sink.at("sync-done") == Approx(2.0));
  REQUIRE_FALSE(result.reasons.empty());
  CHECK(result.reasons[0] == "hook batch/v1 Job default/gone: deleted before it completed");
  auto writes = c.client.writes();
  CHECK(std::find(writes.begin(), writes.end(), "apply v1 ConfigMap default/a") == writes.end());
}

TEST_CASE("a hook without a health rule is complete as soon as it is applied", "[engine][hooks]") {
  Cluster c;
  c.never = {"marker"};
  auto result = c.sync(plan_of({hook(config_map("default", "marker"), Phase::pre_sync), resource(config_map("default", "a"))}));
  CHECK(result.exit_code == 0);
  CHECK(c.sink.has("hook-completed v1 ConfigMap default/marker"));
}

TEST_CASE("a hook pod is judged as run-to-completion", "[engine][hooks]") {
  Cluster c;
  json pod = object("v1", "Pod", "default", "check", {{"spec", {{"restartPolicy", "Never"},
                                                               {"containers", json::array({{{"name", "c"}, {"image", "x"}}})}}}});
  c.delays["check"] = 2s;  // healthy_status of a Pod is phase Succeeded
  auto result = c.sync(plan_of({hook(pod, Phase::sync)}));
  for (const auto& r : result.reasons) UNSCOPED_INFO(r);
  CHECK(result.exit_code == 0);
  CHECK(c.sink.at("hook-completed v1 Pod default/check") == Approx(2.0));
}

// sync_context_test.go TestSync_ExistingHooksWithFinalizer: with three existing hooks
// (BeforeHookCreation, HookFailed, HookSucceeded) only the BeforeHookCreation one is deleted
// before creation; the others are re-applied in place and, being unchanged completed Jobs, count
// as complete without running again (argoproj/argo-cd issue #25475).
TEST_CASE("only BeforeHookCreation hooks are deleted before they are created again", "[engine][hooks]") {
  Cluster c;
  for (const char* name : {"bhc", "on-fail", "on-success"}) {
    c.client.seed(job("default", name));
    auto r = fakes::ref("batch/v1", "Job", "default", name);
    c.client.set_status(r, fakes::healthy_status(*c.client.object(r)));
  }
  Plan plan = plan_of({hook(job("default", "bhc"), Phase::sync, 0, {DeletePolicy::before_hook_creation}),
                       hook(job("default", "on-fail"), Phase::sync, 0, {DeletePolicy::hook_failed}),
                       hook(job("default", "on-success"), Phase::sync, 0, {DeletePolicy::hook_succeeded})});
  auto result = c.sync(plan);
  CHECK(result.exit_code == 0);
  CHECK(c.client.writes() == std::vector<std::string>{
                                 "delete batch/v1 Job default/bhc foreground", "apply batch/v1 Job default/bhc",
                                 "apply batch/v1 Job default/on-fail", "apply batch/v1 Job default/on-success",
                                 "delete batch/v1 Job default/on-success foreground"});
}

TEST_CASE("hooks are deleted with the prune propagation policy, as Argo CD deletes them", "[engine][hooks]") {
  Cluster c;
  c.client.seed(job("default", "migrate"));
  Plan plan = plan_of({hook(job("default", "migrate"), Phase::pre_sync),
                       hook(job("default", "smoke"), Phase::post_sync, 0, {DeletePolicy::hook_succeeded})});
  engine::RunOptions options;
  options.prune_propagation = kube::Propagation::background;
  auto result = c.sync(plan, options);
  REQUIRE(result.exit_code == 0);
  auto writes = c.client.writes();
  CHECK(writes.front() == "delete batch/v1 Job default/migrate background");
  CHECK(writes.back() == "delete batch/v1 Job default/smoke background");
}
