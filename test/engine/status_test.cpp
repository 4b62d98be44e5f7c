// engine::collect_status (what `wavesync status` reads) and engine::compare_with_live (what
// `wavesync diff` compares), on the fake cluster.
#include "engine/engine_fixture.hpp"
#include "wavesync/engine/diff.hpp"
#include "wavesync/engine/status.hpp"

#include <catch2/catch.hpp>

using namespace wavesync;
using namespace wavesync::test;
using namespace std::chrono_literals;

namespace {
const engine::ObjectStatus& status_of(const engine::StatusReport& report, const std::string& name) {
  for (const engine::StepStatus& s : report.steps)
    for (const engine::ObjectStatus& o : s.objects)
      if (o.id.name == name) return o;
  FAIL("no status for " << name);
  throw std::logic_error("unreachable");
}
}  // namespace

TEST_CASE("status reads each planned object once and judges it by the run's health options", "[engine][status]") {
  Cluster c;
  c.seed_namespace("shop");
  c.client.add_builtin_kind("test.dev/v1", "Widget", "widgets", true);
  json ready = deployment("shop", "web");
  c.client.seed(ready);
  c.client.set_status(fakes::ref("apps/v1", "Deployment", "shop", "web"), fakes::healthy_status(ready));
  c.client.seed(object("test.dev/v1", "Widget", "shop", "w1"));
  const Plan plan = plan_of({resource(deployment("shop", "web"), 0), resource(config_map("shop", "absent"), 0),
                             resource(object("test.dev/v1", "Widget", "shop", "w1"), 1),
                             hook(job("shop", "migrate"), Phase::pre_sync)});
  c.client.clear_calls();
  SECTION("without --health-conditions the widget has no health rule") {
    auto report = engine::collect_status(plan, c.client, health::ConditionsRule::annotated_only);
    REQUIRE(report);
    CHECK(report->steps.size() == 3);
    CHECK(status_of(*report, "web").ok());
    CHECK(status_of(*report, "web").health == health::Health{health::Status::healthy, ""});
    CHECK_FALSE(status_of(*report, "absent").exists);
    CHECK_FALSE(status_of(*report, "absent").ok());
    CHECK(status_of(*report, "w1").ok());
    CHECK_FALSE(status_of(*report, "w1").health);
    CHECK(status_of(*report, "migrate").hook_state == "absent");
    CHECK(status_of(*report, "migrate").ok());
    CHECK_FALSE(report->all_ok());
    CHECK(c.client.calls() == std::vector<std::string>{"get batch/v1 Job shop/migrate", "get apps/v1 Deployment shop/web",
                                                       "get v1 ConfigMap shop/absent", "get test.dev/v1 Widget shop/w1"});
  }
  SECTION("with --health-conditions it waits for the widget's conditions") {
    auto report = engine::collect_status(plan, c.client, health::ConditionsRule::all_custom_resources);
    REQUIRE(report);
    CHECK(status_of(*report, "w1").health ==
          health::Health{health::Status::progressing, "waiting for status conditions"});
    CHECK_FALSE(status_of(*report, "w1").ok());
  }
}

TEST_CASE("status records a refused read on the object and stops only when the cluster is unreachable",
          "[engine][status]") {
  Cluster c;
  c.seed_namespace("shop");
  const Plan plan = plan_of({resource(config_map("shop", "a")), resource(config_map("shop", "b"))});
  SECTION("403 on one object") {
    c.client.inject_fault({"get", "ConfigMap", "a", 1, Error{"get v1 ConfigMap shop/a: 403 Forbidden", 1, 403}});
    auto report = engine::collect_status(plan, c.client, health::ConditionsRule::annotated_only);
    REQUIRE(report);
    CHECK(status_of(*report, "a").error == "get v1 ConfigMap shop/a: 403 Forbidden");
    CHECK(status_of(*report, "b").error.empty());
  }
  SECTION("the cluster cannot be reached") {
    c.client.inject_fault({"get", "ConfigMap", "a", 1, Error{"get v1 ConfigMap shop/a: connection refused", exit_code::k_cluster}});
    auto report = engine::collect_status(plan, c.client, health::ConditionsRule::annotated_only);
    REQUIRE_FALSE(report);
    CHECK(report.error().exit_code == exit_code::k_cluster);
  }
}

TEST_CASE("diff pairs each live object with the server's dry run of its manifest, hooks left out", "[engine][diff]") {
  Cluster c;
  c.seed_namespace("shop");
  json live = config_map("shop", "changed");
  c.client.seed(live);
  json desired = live;
  desired["data"]["k"] = "new";
  const Plan plan = plan_of({resource(desired), resource(config_map("shop", "new")),
                             hook(job("shop", "migrate"), Phase::pre_sync)});
  c.client.clear_calls();
  auto comparison = engine::compare_with_live(plan, c.client);
  REQUIRE(comparison);
  CHECK(comparison->errors.empty());
  REQUIRE(comparison->objects.size() == 2);
  const engine::ObjectComparison& changed = comparison->objects[0];
  CHECK(changed.id == ObjectRef{"v1", "ConfigMap", "shop", "changed"});
  REQUIRE(changed.live);
  CHECK((*changed.live)["data"]["k"] == "v");
  CHECK(changed.desired["data"]["k"] == "new");
  CHECK(changed.note.empty());
  CHECK_FALSE(comparison->objects[1].live);
  CHECK(comparison->objects[1].desired["metadata"]["name"] == "new");
  // Nothing written: only reads and dry runs.
  CHECK(c.client.writes().empty());
  CHECK(c.client.calls() == std::vector<std::string>{"get v1 ConfigMap shop/changed", "dry-run apply v1 ConfigMap shop/changed",
                                                     "get v1 ConfigMap shop/new", "dry-run apply v1 ConfigMap shop/new"});
  // The live object is untouched by the dry run.
  CHECK((*c.client.object(fakes::ref("v1", "ConfigMap", "shop", "changed")))["data"]["k"] == "v");
}

TEST_CASE("diff compares with the manifest when the server cannot dry-run it yet, and lists refusals",
          "[engine][diff]") {
  Cluster c;
  const Plan plan = plan_of({resource(config_map("later", "a")), resource(config_map("later", "b")),
                             resource(config_map("later", "c"))});
  c.client.inject_fault({"get", "ConfigMap", "b", 1, Error{"get v1 ConfigMap later/b: 403 Forbidden", 1, 403}});
  c.client.inject_fault({"dry-run-apply", "ConfigMap", "c", 1,
                         Error{"apply v1 ConfigMap later/c: 422 Unprocessable Entity: data: Invalid value", 1, 422}});
  auto comparison = engine::compare_with_live(plan, c.client);
  REQUIRE(comparison);
  REQUIRE(comparison->objects.size() == 1);
  CHECK(comparison->objects[0].desired == config_map("later", "a"));
  CHECK(comparison->objects[0].note ==
        "compared with the manifest, not a server dry run: apply v1 ConfigMap later/a: 404 Not Found: "
        "namespaces \"later\" not found");
  REQUIRE(comparison->errors.size() == 2);
  CHECK(comparison->errors[0].message == "get v1 ConfigMap later/b: 403 Forbidden");
  CHECK(comparison->errors[1].message == "apply v1 ConfigMap later/c: 422 Unprocessable Entity: data: Invalid value");
  SECTION("an unreachable cluster ends it") {
    c.client.inject_fault({"get", "ConfigMap", "a", 1, Error{"get v1 ConfigMap later/a: connection refused", exit_code::k_cluster}});
    auto failed = engine::compare_with_live(plan, c.client);
    REQUIRE_FALSE(failed);
    CHECK(failed.error().exit_code == exit_code::k_cluster);
  }
}
