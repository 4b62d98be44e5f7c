// The dry run of the whole plan before the first write (Argo CD's dry-run of every task).
#include "engine/engine_fixture.hpp"

#include "wavesync/engine/validation.hpp"

#include <catch2/catch.hpp>

using namespace wavesync;
using namespace wavesync::test;

namespace {

fakes::Fault rejection(const std::string& kind, const std::string& name, int status, const std::string& message) {
  fakes::Fault f;
  f.verb = "dry-run-apply";
  f.kind = kind;
  f.name = name;
  f.times = 100;
  f.error = Error{message, exit_code::k_sync_failed, status};
  return f;
}

}  // namespace

TEST_CASE("a late wave the server rejects is found before anything is written", "[engine][validation]") {
  Cluster c;
  c.seed_namespace("shop");
  PlannedResource late = resource(deployment("shop", "web"), 5);
  late.resource.source = SourceLocation{"manifests/web.yaml", 12, 1};
  Plan plan = plan_of({resource(config_map("shop", "early"), -1), std::move(late)});
  c.client.inject_fault(rejection("Deployment", "web", 500,
                                  "apply apps/v1 Deployment shop/web: 500 Internal Server Error: failed to "
                                  "create typed patch object: .spec.replicas: expected numeric"));
  engine::ValidationReport report = engine::validate_plan(plan, c.client, {});
  CHECK(report.exit_code == 1);
  REQUIRE(report.failures.size() == 1);
  CHECK(engine::describe(report.failures[0]) ==
        "manifests/web.yaml:12: apps/v1 Deployment shop/web: apply apps/v1 Deployment shop/web: 500 Internal "
        "Server Error: failed to create typed patch object: .spec.replicas: expected numeric");
  CHECK(report.checked == 1);
  CHECK(c.client.writes().empty());
  CHECK(c.client.calls() == std::vector<std::string>{"resolve v1 ConfigMap", "resolve apps/v1 Deployment",
                                                     "dry-run apply v1 ConfigMap shop/early",
                                                     "dry-run apply apps/v1 Deployment shop/web"});
}

TEST_CASE("every failure is listed, in plan order, with discovery misses among them", "[engine][validation]") {
  Cluster c;
  c.seed_namespace("shop");
  Plan plan = plan_of({resource(config_map("shop", "a"), 0),
                       resource(object("example.com/v1", "Widget", "shop", "w"), 1),
                       resource(config_map("shop", "b"), 2)});
  c.client.inject_fault(rejection("ConfigMap", "a", 422, "a is invalid"));
  c.client.inject_fault(rejection("ConfigMap", "b", 422, "b is invalid"));
  auto report = engine::validate_plan(plan, c.client, {});
  REQUIRE(report.failures.size() == 3);
  CHECK(report.failures[0].id.name == "a");
  CHECK(report.failures[1].id.name == "w");
  CHECK(report.failures[2].id.name == "b");
  CHECK(report.exit_code == 1);
}

TEST_CASE("a kind whose CRD is in the same plan, or SkipDryRunOnMissingResource, is not checked", "[engine][validation]") {
  Cluster c;
  c.seed_namespace("shop");
  json crd = object("apiextensions.k8s.io/v1", "CustomResourceDefinition", "", "widgets.example.com",
                    {{"spec", {{"group", "example.com"}, {"names", {{"kind", "Widget"}, {"plural", "widgets"}}},
                               {"scope", "Namespaced"}}}});
  Plan plan = plan_of({resource(crd, 0), resource(object("example.com/v1", "Widget", "shop", "w"), 1),
                       resource(object("other.io/v1", "Gadget", "shop", "g"), 1, {{"SkipDryRunOnMissingResource", "true"}}),
                       resource(object("other.io/v1", "Gizmo", "shop", "z"), 1)});
  auto report = engine::validate_plan(plan, c.client, {});
  REQUIRE(report.unchecked.size() == 2);
  CHECK(report.unchecked[0].why() == "its CustomResourceDefinition is created by this sync");
  CHECK(report.unchecked[1].why() ==
        "SkipDryRunOnMissingResource=true and the server does not serve other.io/v1 Gadget");
  REQUIRE(report.failures.size() == 1);
  CHECK(report.failures[0].id.kind == "Gizmo");
}

TEST_CASE("objects in a namespace the plan creates are listed as unchecked", "[engine][validation]") {
  Cluster c;
  Plan plan = plan_of({resource(c.ns("fresh"), -1), resource(config_map("fresh", "a"), 0)});
  auto report = engine::validate_plan(plan, c.client, {});
  CHECK(report.exit_code == 0);
  REQUIRE(report.unchecked.size() == 1);
  CHECK(report.unchecked[0].why() == "namespace fresh is created by this sync");
  CHECK(c.client.writes().empty());
}

TEST_CASE("a 422 that Force=true answers by recreating is not a validation failure", "[engine][validation]") {
  Cluster c;
  c.seed_namespace("shop");
  Plan plan = plan_of({resource(job("shop", "migrate"), 0, {{"Force", "true"}}),
                       resource(job("shop", "other"), 0)});
  c.client.inject_fault(rejection("Job", "", 422, "field is immutable"));
  auto report = engine::validate_plan(plan, c.client, {});
  REQUIRE(report.failures.size() == 1);
  CHECK(report.failures[0].id.name == "other");
}

TEST_CASE("Validate=false objects are dry-run as they are written: create or merge patch, field validation off",
          "[engine][validation]") {
  Cluster c;
  c.seed_namespace("shop");
  c.client.seed(config_map("shop", "live"));
  Plan plan = plan_of({resource(config_map("shop", "loose"), 0, {{"Validate", "false"}}),
                       resource(config_map("shop", "live"), 0, {{"Validate", "false"}}),
                       resource(config_map("shop", "strict"), 0)});
  auto report = engine::validate_plan(plan, c.client, {});
  CHECK(report.checked == 3);
  const auto calls = c.client.calls();
  CHECK(std::count(calls.begin(), calls.end(), "dry-run create v1 ConfigMap shop/loose (fieldValidation=Ignore)") == 1);
  CHECK(std::count(calls.begin(), calls.end(), "dry-run patch v1 ConfigMap shop/live (merge) (fieldValidation=Ignore)") ==
        1);
  CHECK(std::count(calls.begin(), calls.end(), "dry-run apply v1 ConfigMap shop/strict") == 1);
  CHECK(std::none_of(calls.begin(), calls.end(),
                     [](const std::string& call) { return call.find("apply v1 ConfigMap shop/l") != std::string::npos; }));
  CHECK(c.client.writes().empty());
}

TEST_CASE("a cluster that cannot be reached during validation is exit 4", "[engine][validation]") {
  Cluster c;
  c.seed_namespace("shop");
  fakes::Fault down;
  down.verb = "resolve";
  down.times = 100;
  down.error = Error{"resolve: cannot reach the API server", exit_code::k_cluster, 0};
  c.client.inject_fault(down);
  auto report = engine::validate_plan(plan_of({resource(config_map("shop", "a"))}), c.client, {});
  CHECK(report.exit_code == 4);
}
