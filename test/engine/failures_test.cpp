// Failure, SyncFail, timeouts, interruption and write modes in the sync engine
// (gitops-engine pkg/sync/sync_context.go Sync and executeSyncFailPhase, and the failure
// scenarios of sync_context_test.go).
#include "engine/engine_fixture.hpp"

#include <catch2/catch.hpp>

#include <csignal>

using namespace wavesync;
using namespace wavesync::test;
using namespace std::chrono_literals;

namespace {
bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}
}  // namespace

// A deliberate difference: Argo CD fails a Degraded resource only once no sibling in its wave is
// still blocking (sync_context.go Sync); wavesync fails at once
TEST_CASE("a resource turning Degraded fails the sync at once, without waiting for its siblings", "[engine][failure]") {
  Cluster c;
  c.fail = {"web"};
  c.delays["web"] = 2s;
  c.never = {"slow"};
  Plan plan = plan_of({resource(deployment("default", "web"), 1), resource(deployment("default", "slow"), 1),
                       resource(config_map("default", "later"), 2)});
  auto result = c.sync(plan);
  CHECK(result.exit_code == 1);
  CHECK(result.outcome == engine::SyncOutcome::failed);
  CHECK(c.sink.at("sync-done") == Approx(2.0));
  CHECK_FALSE(contains(c.client.writes(), "apply v1 ConfigMap default/later"));
  REQUIRE(result.reasons.size() == 1);
  CHECK(result.reasons[0].rfind("apps/v1 Deployment default/web: Degraded", 0) == 0);
  REQUIRE(result.diagnostics.size() == 1);
  CHECK(result.diagnostics[0].resource.name == "web");
  CHECK(contains(result.diagnostics[0].conditions,
                 "Progressing=False ProgressDeadlineExceeded: ReplicaSet \"web-5d8f\" has timed out progressing."));
}

// sync_context_test.go TestSync_FailedSyncWithSyncFailHook_HookFailed (a Sync hook goes Degraded);
// sync_context.go executeSyncFailPhase
TEST_CASE("a failing hook fails the sync, runs the SyncFail hooks and shows the hook's log tail", "[engine][failure]") {
  Cluster c;
  c.fail = {"migrate"};
  c.delays["migrate"] = 3s;
  auto job_ref = fakes::ref("batch/v1", "Job", "default", "migrate");
  c.client.schedule(1s, [&] {
    c.client.seed(object("v1", "Pod", "default", "migrate-x7k2p",
                         {{"metadata", {{"name", "migrate-x7k2p"}, {"namespace", "default"},
                                        {"labels", {{"job-name", "migrate"}}}}}}));
  });
  std::string log;
  for (int i = 1; i <= 30; ++i) log += "line " + std::to_string(i) + "\n";
  c.client.set_pod_logs("default", "migrate-x7k2p", log);
  c.client.add_event(job_ref, "Warning", "BackoffLimitExceeded", "Job has reached the specified backoff limit");
  Plan plan = plan_of({hook(job("default", "migrate"), Phase::sync, 0), resource(config_map("default", "later"), 1),
                       hook(job("default", "cleanup-a"), Phase::sync_fail, 0),
                       hook(job("default", "cleanup-b"), Phase::sync_fail, 5)});
  auto result = c.sync(plan);
  CHECK(result.exit_code == 1);
  auto writes = c.client.writes();
  CHECK_FALSE(contains(writes, "apply v1 ConfigMap default/later"));
  // SyncFail hooks run all together, whatever their waves.
  CHECK(c.sink.at("hook-started batch/v1 Job default/cleanup-a") == Approx(3.0));
  CHECK(c.sink.at("hook-started batch/v1 Job default/cleanup-b") == Approx(3.0));
  CHECK(c.sink.has("hook-completed batch/v1 Job default/cleanup-b"));
  REQUIRE(result.diagnostics.size() == 1);
  const auto& d = result.diagnostics[0];
  REQUIRE(d.log_tail.size() == 20);
  CHECK(d.log_tail.front() == "line 11");
  CHECK(d.log_tail.back() == "line 30");
  CHECK(d.events == std::vector<std::string>{"Warning BackoffLimitExceeded: Job has reached the specified backoff limit"});
  REQUIRE_FALSE(result.reasons.empty());
  CHECK(result.reasons[0].rfind("hook batch/v1 Job default/migrate: Degraded", 0) == 0);
}

// sync_context_test.go TestSync_SuccessfulSyncWithSyncFailHook (the sync succeeds)
TEST_CASE("SyncFail hooks never run when the sync succeeds", "[engine][failure]") {
  Cluster c;
  auto result = c.sync(plan_of({resource(config_map("default", "a")), hook(job("default", "on-fail"), Phase::sync_fail)}));
  CHECK(result.exit_code == 0);
  CHECK(c.client.writes() == std::vector<std::string>{"apply v1 ConfigMap default/a"});
}

// sync_context_test.go TestSync_FailedSyncWithSyncFailHook_ApplyFailed; sync_context.go
// executeSyncFailPhase (combined message)
TEST_CASE("a failing SyncFail hook adds its reason to the sync's", "[engine][failure]") {
  Cluster c;
  c.fail = {"web", "cleanup"};
  auto result = c.sync(plan_of({resource(deployment("default", "web")), hook(job("default", "cleanup"), Phase::sync_fail)}));
  CHECK(result.exit_code == 1);
  REQUIRE(result.reasons.size() == 3);
  CHECK(result.reasons[2].rfind("one or more SyncFail hooks failed, reason: hook batch/v1 Job default/cleanup: Degraded", 0) == 0);
}

// sync_context.go runTasks (a failed kind run does not stop later runs);
// sync_context_test.go TestSync_FailedSyncWithSyncFailHook_ApplyFailed (apply failed)
TEST_CASE("an apply rejection fails the step after the later runs of the step were applied", "[engine][failure]") {
  Cluster c;
  c.client.inject_fault({"apply", "ConfigMap", "bad", 1, Error{"apply v1 ConfigMap default/bad: 422 Unprocessable Entity: data: Invalid value", 1, 422}});
  Plan plan = plan_of({resource(config_map("default", "bad"), 0), resource(deployment("default", "web"), 0),
                       resource(config_map("default", "later"), 1)});
  auto result = c.sync(plan);
  CHECK(result.exit_code == 1);
  auto writes = c.client.writes();
  CHECK(contains(writes, "apply apps/v1 Deployment default/web"));
  CHECK_FALSE(contains(writes, "apply v1 ConfigMap default/later"));
  REQUIRE(result.reasons.size() == 1);
  CHECK(result.reasons[0] == "v1 ConfigMap default/bad: apply v1 ConfigMap default/bad: 422 Unprocessable Entity: data: Invalid value");
}

TEST_CASE("a changed immutable field is reported with the field and a hint", "[engine][failure]") {
  Cluster c;
  json web = deployment("default", "web");
  c.client.seed(web);
  web["spec"]["selector"]["matchLabels"]["tier"] = "front";
  auto result = c.sync(plan_of({resource(web)}));
  CHECK(result.exit_code == 1);
  // Found by the dry run before any write.
  CHECK(c.client.writes().empty());
  REQUIRE(result.reasons.size() == 2);
  CHECK(result.reasons[0] ==
        "manifests/app.yaml:1: apps/v1 Deployment default/web: apply apps/v1 Deployment default/web: 422 Unprocessable Entity: "
        "Deployment.apps \"web\" is invalid: spec.selector: Invalid value: \"...\": field is immutable; hint: "
        "spec.selector is immutable; to recreate the object on change set argocd.argoproj.io/sync-options: "
        "Force=true (or Replace=true,Force=true), or delete it first");
}

// sync_context_test.go TestSync_Force
// kubectl apply --force deletes with kubectl's default cascade (background), then creates.
TEST_CASE("Force=true deletes (background cascade) and recreates an object whose change the server rejects",
          "[engine][failure]") {
  Cluster c;
  json web = deployment("default", "web");
  c.client.seed(web);
  web["spec"]["selector"]["matchLabels"]["tier"] = "front";
  auto result = c.sync(plan_of({resource(web, 0, {{"Force", "true"}})}));
  CHECK(result.exit_code == 0);
  CHECK(c.client.writes() == std::vector<std::string>{"apply apps/v1 Deployment default/web",
                                                       "delete apps/v1 Deployment default/web background",
                                                       "apply apps/v1 Deployment default/web"});
}

TEST_CASE("Force=true does not recreate an object after a 409 field-manager conflict", "[engine][failure]") {
  Cluster c;
  c.client.seed(config_map("default", "a"));
  fakes::Fault conflict;
  conflict.verb = "apply";
  conflict.kind = "ConfigMap";
  conflict.error = Error{"apply v1 ConfigMap default/a: 409 Conflict: 1 field conflict", 1, 409};
  c.client.inject_fault(conflict);
  engine::RunOptions options;
  options.force_conflicts = kube::ForceConflicts::no;
  auto result = c.sync(plan_of({resource(config_map("default", "a"), 0, {{"Force", "true"}})}), options);
  CHECK(result.exit_code == 1);
  CHECK(c.client.writes() == std::vector<std::string>{"apply v1 ConfigMap default/a"});
}

// Argo CD's applyObject: `kubectl replace` when the object exists, create when it does not.
TEST_CASE("Replace=true replaces an existing object in place, keeping its uid", "[engine][failure]") {
  Cluster c;
  c.client.seed(config_map("default", "a"));
  const std::string uid = c.client.object(fakes::ref("v1", "ConfigMap", "default", "a"))->at("metadata").value("uid", "");
  json changed = config_map("default", "a");
  changed["data"]["k"] = "changed";
  auto result = c.sync(plan_of({resource(changed, 0, {{"Replace", "true"}})}));
  CHECK(result.exit_code == 0);
  CHECK(c.client.writes() == std::vector<std::string>{"update v1 ConfigMap default/a"});
  auto live = c.client.object(fakes::ref("v1", "ConfigMap", "default", "a"));
  CHECK(live->at("data")["k"] == "changed");
  CHECK(live->at("metadata").value("uid", "") == uid);
}

TEST_CASE("Replace=true creates a missing object", "[engine][failure]") {
  Cluster c;
  auto result = c.sync(plan_of({resource(config_map("default", "a"), 0, {{"Replace", "true"}})}));
  CHECK(result.exit_code == 0);
  CHECK(c.client.writes() == std::vector<std::string>{"create v1 ConfigMap default/a"});
}

// `kubectl replace --force`: delete with the default background cascade, wait until gone, create.
TEST_CASE("Replace=true,Force=true deletes an existing object (background cascade) and creates it again",
          "[engine][failure]") {
  Cluster c;
  c.client.seed(config_map("default", "a"));
  auto result = c.sync(plan_of({resource(config_map("default", "a"), 0, {{"Replace", "true"}, {"Force", "true"}})}));
  CHECK(result.exit_code == 0);
  CHECK(c.client.writes() == std::vector<std::string>{"delete v1 ConfigMap default/a background",
                                                       "create v1 ConfigMap default/a"});
}

TEST_CASE("Replace=true,Force=true on a Namespace is a plain update so its contents survive", "[engine][failure]") {
  Cluster c;
  c.seed_namespace("shop");
  auto result = c.sync(plan_of({resource(c.ns("shop"), 0, {{"Replace", "true"}, {"Force", "true"}})}));
  CHECK(result.exit_code == 0);
  CHECK(c.client.writes() == std::vector<std::string>{"update v1 Namespace shop"});
}

TEST_CASE("an object kubectl applied client-side is taken over and applied again", "[engine][failure]") {
  Cluster c;
  json live = config_map("default", "settings");
  live["metadata"]["managedFields"] = json::parse(R"([{"manager":"kubectl-client-side-apply","operation":"Update",
    "apiVersion":"v1","fieldsType":"FieldsV1","fieldsV1":{"f:data":{"f:k":{},"f:dropped":{}}}}])");
  c.client.seed(live);
  auto result = c.sync(plan_of({resource(config_map("default", "settings"))}));
  CHECK(result.exit_code == 0);
  CHECK(c.client.writes() == std::vector<std::string>{"apply v1 ConfigMap default/settings",
                                                       "patch v1 ConfigMap default/settings",
                                                       "apply v1 ConfigMap default/settings"});
  auto managers = c.client.object(fakes::ref("v1", "ConfigMap", "default", "settings"))->at("metadata")["managedFields"];
  REQUIRE(managers.size() == 1);
  CHECK(managers[0]["manager"] == "wavesync");
  CHECK(managers[0]["operation"] == "Apply");
}

TEST_CASE("an object the dry run rejects in a late wave stops the sync before any write", "[engine][failure]") {
  Cluster c;
  fakes::Fault invalid;
  invalid.verb = "dry-run-apply";
  invalid.name = "late";
  invalid.error = Error{"apply v1 ConfigMap default/late: 422 Unprocessable Entity: data: Invalid value", 1, 422};
  c.client.inject_fault(invalid);
  bool parent_written = false;
  engine::RunOptions options;
  options.before_first_write = [&]() -> Result<void> {
    parent_written = true;
    return {};
  };
  auto result = c.sync(plan_of({resource(config_map("default", "early"), -1), resource(config_map("default", "late"), 5)}),
                       options);
  CHECK(result.exit_code == 1);
  CHECK(c.client.writes().empty());
  CHECK_FALSE(parent_written);
  CHECK(result.reasons == std::vector<std::string>{
                              "manifests/app.yaml:1: v1 ConfigMap default/late: apply v1 ConfigMap default/late: 422 "
                              "Unprocessable Entity: data: Invalid value",
                              "nothing was written: the server's dry run rejected 1 object"});
  CHECK(c.sink.has("apply-failed v1 ConfigMap default/late"));
}

TEST_CASE("before_first_write runs once the dry run passed, before the first write", "[engine][failure]") {
  Cluster c;
  std::size_t writes_before = 99;
  engine::RunOptions options;
  options.before_first_write = [&]() -> Result<void> {
    writes_before = c.client.writes().size();
    return {};
  };
  auto result = c.sync(plan_of({resource(config_map("default", "a"))}), options);
  CHECK(result.exit_code == 0);
  CHECK(writes_before == 0);
}

TEST_CASE("the sync times out with exit code 3 and lists what is not ready and why", "[engine][failure]") {
  Cluster c;
  c.never = {"web"};
  engine::RunOptions options;
  options.timeout = 90s;
  auto result = c.sync(plan_of({resource(deployment("default", "web"), 0), resource(config_map("default", "later"), 1)}),
                       options);
  CHECK(result.exit_code == 3);
  CHECK(result.outcome == engine::SyncOutcome::timed_out);
  CHECK(c.sink.at("sync-done") == Approx(90.0));
  REQUIRE(result.reasons.size() == 2);
  CHECK(result.reasons[0] == "timed out after 1m30s (--timeout) waiting for Sync wave 0");
  CHECK(result.reasons[1].rfind("apps/v1 Deployment default/web is not ready: Progressing", 0) == 0);
  REQUIRE(result.diagnostics.size() == 1);
}

TEST_CASE("--wave-timeout bounds each step", "[engine][failure]") {
  Cluster c;
  c.never = {"web"};
  engine::RunOptions options;
  options.wave_timeout = 20s;
  auto result = c.sync(plan_of({resource(config_map("default", "a"), 0), resource(deployment("default", "web"), 1)}),
                       options);
  CHECK(result.exit_code == 3);
  CHECK(c.sink.at("sync-done") == Approx(20.0));
  CHECK(result.reasons[0] == "timed out after 20.0s (--wave-timeout) waiting for Sync wave 1");
}

// sync_context_test.go TestSync_MultistepResourceDeletionMidstep (resource deleted mid-wave)
TEST_CASE("a resource deleted while its step is awaited fails the sync", "[engine][failure]") {
  Cluster c;
  c.never = {"web"};
  c.client.schedule(3s, [&] { c.client.erase(fakes::ref("apps/v1", "Deployment", "default", "web")); });
  auto result = c.sync(plan_of({resource(deployment("default", "web"))}));
  CHECK(result.exit_code == 1);
  CHECK(result.reasons[0] == "apps/v1 Deployment default/web: missing: it was deleted while waiting for it to be healthy");
}

TEST_CASE("an interruption stops starting new work and ends with 130 for SIGINT, 143 for SIGTERM", "[engine][failure]") {
  const int sent = GENERATE(SIGINT, SIGTERM);
  Cluster c;
  c.never = {"web"};
  std::atomic<int> signal{0};
  c.client.schedule(5s, [&] { signal = sent; });
  engine::RunOptions options;
  options.interrupt = &signal;
  auto result = c.sync(plan_of({resource(deployment("default", "web"), 0), resource(config_map("default", "later"), 1)}),
                       options);
  CHECK(result.exit_code == (signal == SIGINT ? 130 : 143));
  CHECK(result.outcome == engine::SyncOutcome::interrupted);
  CHECK(c.sink.at("sync-done") == Approx(5.0).margin(0.3));
  CHECK_FALSE(contains(c.client.writes(), "apply v1 ConfigMap default/later"));
  REQUIRE(result.reasons.size() == 2);
  CHECK(result.reasons[1] == "still running: apps/v1 Deployment default/web");
}

TEST_CASE("--dry-run sends every object with dryRun in plan order and runs no hook", "[engine][dry-run]") {
  Cluster c;
  engine::RunOptions options;
  options.dry_run = kube::DryRun::all;
  Plan plan = plan_of({resource(c.ns("shop"), -1), hook(job("shop", "migrate"), Phase::pre_sync),
                       resource(deployment("shop", "web"), 0)});
  auto result = c.sync(plan, options);
  CHECK(result.exit_code == 0);
  CHECK(c.client.writes().empty());
  auto calls = c.client.calls();
  std::vector<std::string> dry;
  for (const auto& call : calls)
    if (call.rfind("dry-run", 0) == 0) dry.push_back(call);
  CHECK(dry == std::vector<std::string>{"dry-run apply batch/v1 Job shop/migrate", "dry-run apply v1 Namespace shop",
                                        "dry-run apply apps/v1 Deployment shop/web"});
  // The namespace does not exist yet, so its contents cannot be checked by the server.
  auto web = std::find_if(c.sink.events.begin(), c.sink.events.end(), [](const engine::Event& e) {
    return e.type == engine::EventType::resource_applied && e.resource && e.resource->name == "web";
  });
  REQUIRE(web != c.sink.events.end());
  CHECK(web->message == "not checked: namespace shop is created by this sync");
  CHECK_FALSE(c.sink.has("hook-started batch/v1 Job shop/migrate"));
}

TEST_CASE("--dry-run reports what the server would reject with exit code 1", "[engine][dry-run]") {
  Cluster c;
  json web = deployment("default", "web");
  c.client.seed(web);
  web["spec"]["selector"]["matchLabels"]["tier"] = "front";
  engine::RunOptions options;
  options.dry_run = kube::DryRun::all;
  auto result = c.sync(plan_of({resource(web), resource(config_map("default", "a"))}), options);
  CHECK(result.exit_code == 1);
  CHECK(c.sink.has("apply-failed apps/v1 Deployment default/web"));
  CHECK(c.sink.has("resource-applied v1 ConfigMap default/a"));
}

TEST_CASE("an unknown kind fails the step with the server's message", "[engine][failure]") {
  Cluster c;
  auto result = c.sync(plan_of({resource(object("example.com/v1", "Gadget", "default", "g"))}));
  CHECK(result.exit_code == 1);
  CHECK(result.reasons[0] == "manifests/app.yaml:1: example.com/v1 Gadget default/g: resolve example.com/v1 Gadget: "
                             "the server doesn't have a resource type \"Gadget\" in \"example.com/v1\"");
}

TEST_CASE("a Deployment whose pods wait for a missing Secret fails with a reason naming it", "[engine][failure]") {
  Cluster c;
  c.fail = {"api"};
  c.delays["api"] = 5s;
  c.client.on_write([&](const json& o) {
    if (o["kind"] != "Deployment") return;
    json rs = object("apps/v1", "ReplicaSet", "default", "api-5d8f",
                     {{"metadata", {{"name", "api-5d8f"}, {"namespace", "default"}, {"labels", {{"app", "api"}}},
                                    {"ownerReferences", json::array({{{"apiVersion", "apps/v1"}, {"kind", "Deployment"},
                                                                      {"name", "api"}, {"uid", o["metadata"]["uid"]}, {"controller", true}}})}}},
                      {"spec", {{"selector", {{"matchLabels", {{"app", "api"}}}}}}}});
    c.client.seed(rs);
    std::string rs_uid = (*c.client.object(fakes::ref("apps/v1", "ReplicaSet", "default", "api-5d8f")))["metadata"]["uid"];
    json pod = object("v1", "Pod", "default", "api-5d8f-x2",
                      {{"metadata", {{"name", "api-5d8f-x2"}, {"namespace", "default"}, {"labels", {{"app", "api"}}},
                                     {"ownerReferences", json::array({{{"apiVersion", "apps/v1"}, {"kind", "ReplicaSet"},
                                                                       {"name", "api-5d8f"}, {"uid", rs_uid}, {"controller", true}}})}}},
                       {"status", {{"phase", "Pending"},
                                   {"containerStatuses", json::array({{{"name", "app"}, {"ready", false},
                                                                       {"state", {{"waiting", {{"reason", "CreateContainerConfigError"},
                                                                                               {"message", "secret \"db-creds\" not found"}}}}}}})}}}});
    c.client.seed(pod);
    auto r = fakes::ref("apps/v1", "Deployment", "default", "api");
    c.client.schedule(5s, [&c, r] { c.client.set_status(r, fakes::failed_status(*c.client.object(r))); });
  });
  auto result = c.sync(plan_of({resource(deployment("default", "api"))}));
  CHECK(result.exit_code == 1);
  REQUIRE(result.reasons.size() == 1);
  CHECK(result.reasons[0].find("(missing Secret default/db-creds)") != std::string::npos);
  REQUIRE(result.diagnostics.size() == 1);
  CHECK(result.diagnostics[0].pod_reasons ==
        std::vector<std::string>{"pod api-5d8f-x2: container app waiting: CreateContainerConfigError: secret \"db-creds\" not found"});
}
