// The failure policy in the sync engine, on the fake cluster: blocked reasons while waiting,
// --pod-failure-grace, wavesync.dev/timeout, wavesync.dev/wait-for, SyncFail hooks on a timeout
// and --retry.
#include "engine/engine_fixture.hpp"

#include <catch2/catch.hpp>

using namespace wavesync;
using namespace wavesync::test;
using namespace std::chrono_literals;

namespace {

// A pod of Deployment `name` (matched by its selector) whose container waits with `reason`.
json waiting_pod(const std::string& name, const std::string& reason, const std::string& message) {
  return object("v1", "Pod", "default", name + "-6cb4-x2k",
                {{"metadata", {{"name", name + "-6cb4-x2k"}, {"namespace", "default"}, {"labels", {{"app", name}}}}},
                 {"status",
                  {{"phase", "Pending"},
                   {"containerStatuses",
                    json::array({{{"name", "app"},
                                  {"ready", false},
                                  {"state", {{"waiting", {{"reason", reason}, {"message", message}}}}}}})}}}});
}

std::vector<const engine::Event*> of_type(const RecordingSink& sink, engine::EventType type) {
  std::vector<const engine::Event*> out;
  for (const auto& e : sink.events)
    if (e.type == type) out.push_back(&e);
  return out;
}

}  // namespace

TEST_CASE("a blocked workload is reported once while it waits, and the grace fails it naming the Secret",
          "[engine][policy]") {
  Cluster c;
  c.never = {"app"};
  c.client.seed(waiting_pod("app", "CreateContainerConfigError", R"(secret "app-pg-credentials" not found)"));
  engine::RunOptions options;
  options.pod_failure_grace = 10s;
  auto result = c.sync(plan_of({resource(deployment("default", "app"))}), options);
  CHECK(result.exit_code == 1);
  auto blocked = of_type(c.sink, engine::EventType::blocked);
  REQUIRE(blocked.size() == 1);
  CHECK(blocked[0]->message == R"(pod app-6cb4-x2k: CreateContainerConfigError: secret "app-pg-credentials" not found)");
  CHECK(blocked[0]->block_reason == "CreateContainerConfigError");
  CHECK(blocked[0]->missing == std::vector<std::string>{"missing Secret default/app-pg-credentials"});
  // First look a second after the apply, then the grace.
  CHECK(c.sink.at("blocked apps/v1 Deployment default/app") == Approx(1.0).margin(0.3));
  CHECK(c.sink.at("sync-done") == Approx(11.0).margin(1.3));
  REQUIRE(result.reasons.size() == 1);
  CHECK(result.reasons[0] ==
        R"(apps/v1 Deployment default/app: pod app-6cb4-x2k: CreateContainerConfigError: secret "app-pg-credentials" not found for 10.0s (--pod-failure-grace 10.0s) (missing Secret default/app-pg-credentials))");
}

TEST_CASE("without a grace a blocked workload is only reported; the annotation's grace wins over the flag",
          "[engine][policy]") {
  Cluster c;
  c.never = {"app"};
  c.client.seed(waiting_pod("app", "ImagePullBackOff", R"(Back-off pulling image "nginx:nope")"));
  engine::RunOptions options;
  options.timeout = 20s;
  SECTION("no grace: the timeout decides") {
    auto result = c.sync(plan_of({resource(deployment("default", "app"))}), options);
    CHECK(result.exit_code == 3);
    CHECK(of_type(c.sink, engine::EventType::blocked).size() == 1);
    CHECK(result.reasons.at(1) ==
          R"(apps/v1 Deployment default/app is not ready: Progressing: Waiting for rollout to finish: observed deployment generation less than desired generation; pod app-6cb4-x2k: ImagePullBackOff: Back-off pulling image "nginx:nope")");
  }
  SECTION("the object's wavesync.dev/pod-failure-grace") {
    options.pod_failure_grace = 15s;
    PlannedResource r = resource(deployment("default", "app"));
    r.policy.pod_failure_grace = 3s;
    auto result = c.sync(plan_of({r}), options);
    CHECK(result.exit_code == 1);
    CHECK(c.sink.at("sync-done") == Approx(4.0).margin(1.3));
    CHECK(result.reasons.at(0).find("(wavesync.dev/pod-failure-grace 3.0s)") != std::string::npos);
  }
}

TEST_CASE("an object's own timeout times its step out whatever --timeout says", "[engine][policy]") {
  Cluster c;
  c.never = {"slow"};
  PlannedResource slow = resource(deployment("default", "slow"));
  slow.policy.timeout = 3s;
  auto result = c.sync(plan_of({slow, resource(deployment("default", "fast")), resource(config_map("default", "next"), 1)}));
  CHECK(result.exit_code == 3);
  CHECK(c.sink.at("sync-done") == Approx(3.0).margin(0.3));
  CHECK(result.reasons.at(0) == "timed out after 3.0s (wavesync.dev/timeout) waiting for apps/v1 Deployment default/slow");
  CHECK_FALSE(c.sink.has("resource-applied v1 ConfigMap default/next"));
}

TEST_CASE("an object's timeout that it meets leaves the step to wait on the others", "[engine][policy]") {
  Cluster c;
  c.delays["a"] = 2s;
  c.delays["b"] = 6s;
  PlannedResource a = resource(deployment("default", "a"));
  a.policy.timeout = 3s;
  auto result = c.sync(plan_of({a, resource(deployment("default", "b"))}));
  CHECK(result.exit_code == 0);
  CHECK(c.sink.at("sync-done") == Approx(6.0).margin(0.3));
}

TEST_CASE("wait-for holds only its object until the external object exists", "[engine][policy]") {
  Cluster c;
  c.client.schedule(5s, [&] {
    c.client.seed(object("v1", "Secret", "default", "rgw-user"));
  });
  PlannedResource consumer = resource(job("default", "s3-credentials"));
  consumer.policy.wait_for = {ExternalObject{"v1", "Secret", "", "rgw-user"}};
  auto result = c.sync(plan_of({consumer, resource(config_map("default", "settings"))}));
  CHECK(result.exit_code == 0);
  CHECK(c.sink.at("resource-applied v1 ConfigMap default/settings") == Approx(0.0).margin(0.1));
  CHECK(c.sink.at("resource-applied batch/v1 Job default/s3-credentials") == Approx(5.0).margin(0.3));
  auto blocked = of_type(c.sink, engine::EventType::blocked);
  REQUIRE(blocked.size() == 1);
  CHECK(blocked[0]->message == "waiting for v1 Secret default/rgw-user (wavesync.dev/wait-for)");
  CHECK(blocked[0]->block_reason == "WaitFor");
}

TEST_CASE("wait-for times out naming what never came", "[engine][policy]") {
  Cluster c;
  PlannedResource consumer = resource(job("default", "s3-credentials"));
  consumer.policy.wait_for = {ExternalObject{"v1", "Secret", "rook", "rgw-user"}};
  engine::RunOptions options;
  options.timeout = 4s;
  auto result = c.sync(plan_of({consumer}), options);
  CHECK(result.exit_code == 3);
  CHECK(result.reasons.at(1) ==
        "batch/v1 Job default/s3-credentials is not ready: not applied; waiting for v1 Secret rook/rgw-user "
        "(wavesync.dev/wait-for)");
  CHECK_FALSE(c.sink.has("resource-applied batch/v1 Job default/s3-credentials"));
}

TEST_CASE("SyncFail hooks run when the sync times out, before the verdict", "[engine][policy]") {
  Cluster c;
  c.never = {"stuck"};
  engine::RunOptions options;
  options.timeout = 5s;
  auto result = c.sync(plan_of({resource(deployment("default", "stuck")), hook(job("default", "notify"), Phase::sync_fail)}),
                       options);
  CHECK(result.exit_code == 3);
  CHECK(result.outcome == engine::SyncOutcome::timed_out);
  CHECK(c.sink.at("hook-started batch/v1 Job default/notify") == Approx(5.0).margin(0.3));
  CHECK(c.sink.at("hook-completed batch/v1 Job default/notify") == Approx(6.0).margin(0.3));
  const auto& lines = c.sink.lines;
  CHECK(std::find(lines.begin(), lines.end(), "hook-completed batch/v1 Job default/notify") <
        std::find(lines.begin(), lines.end(), "sync-done"));
}

TEST_CASE("a failed sync is retried after Argo CD's backoff and may succeed", "[engine][policy]") {
  Cluster c;
  fakes::Fault fault;
  fault.verb = "apply";
  fault.kind = "ConfigMap";
  fault.error = Error{"apply v1 ConfigMap default/a: 404 Not Found: namespaces \"default\" not found", 1, 404};
  c.client.inject_fault(fault);
  engine::RunOptions options;
  options.retry.limit = 2;
  options.retry.backoff = 4s;
  auto result = c.sync(plan_of({resource(config_map("default", "a"))}), options);
  CHECK(result.exit_code == 0);
  auto started = of_type(c.sink, engine::EventType::sync_started);
  REQUIRE(started.size() == 2);
  CHECK(started[1]->attempt == 2);
  auto retrying = of_type(c.sink, engine::EventType::retrying);
  REQUIRE(retrying.size() == 1);
  CHECK(retrying[0]->attempt == 2);
  CHECK(retrying[0]->delay == 4s);
  CHECK(retrying[0]->reasons.at(0).find("404 Not Found") != std::string::npos);
  CHECK(of_type(c.sink, engine::EventType::sync_done).size() == 1);
  CHECK(c.sink.at("sync-started") == Approx(0.0));
  CHECK(std::chrono::duration<double>(started[1]->time - started[0]->time).count() == Approx(4.0).margin(0.3));
}

TEST_CASE("a timed-out sync is not retried", "[engine][policy]") {
  Cluster c;
  c.never = {"stuck"};
  engine::RunOptions options;
  options.timeout = 2s;
  options.retry.limit = 3;
  auto result = c.sync(plan_of({resource(deployment("default", "stuck"))}), options);
  CHECK(result.exit_code == 3);
  CHECK(of_type(c.sink, engine::EventType::sync_started).size() == 1);
  CHECK(of_type(c.sink, engine::EventType::retrying).empty());
}
