// Argo CD's Application-level sync options in the engine: CreateNamespace=true
// (--create-namespace, with managed namespace metadata) and ApplyOutOfSyncOnly=true
// (--apply-out-of-sync-only).
#include "engine_fixture.hpp"

#include <catch2/catch.hpp>

using namespace wavesync;
using namespace wavesync::test;
using namespace std::chrono_literals;

TEST_CASE("--create-namespace creates a missing namespace first, in a PreSync step of its own", "[engine][sync-options]") {
  Cluster c;
  Plan plan = plan_of({hook(job("shop", "migrate"), Phase::pre_sync), resource(config_map("shop", "a"))});
  engine::RunOptions options;
  options.managed_namespace = managed_namespace(plan, "shop", {}, {});
  auto result = c.sync(plan, options);
  REQUIRE(result.exit_code == 0);
  CHECK(c.client.writes() == std::vector<std::string>{"apply v1 Namespace shop", "apply batch/v1 Job shop/migrate",
                                                       "apply v1 ConfigMap shop/a"});
  std::vector<std::string> steps;
  for (const auto& line : c.sink.lines)
    if (line.rfind("step-started", 0) == 0) steps.push_back(line);
  CHECK(steps == std::vector<std::string>{"step-started PreSync 0", "step-started PreSync 0", "step-started Sync 0"});
  auto live = c.client.object(fakes::ref("v1", "Namespace", "", "shop"));
  REQUIRE(live.has_value());
  CHECK_FALSE((*live)["metadata"].contains("labels"));
}

TEST_CASE("--create-namespace leaves an existing namespace alone unless it manages its metadata", "[engine][sync-options]") {
  Cluster c;
  c.seed_namespace("shop");
  Plan plan = plan_of({resource(config_map("shop", "a"))});
  SECTION("without metadata nothing is written") {
    engine::RunOptions options;
    options.managed_namespace = managed_namespace(plan, "shop", {}, {});
    REQUIRE(c.sync(plan, options).exit_code == 0);
    CHECK(c.client.writes() == std::vector<std::string>{"apply v1 ConfigMap shop/a"});
  }
  SECTION("managed labels and annotations are applied to it") {
    engine::RunOptions options;
    options.managed_namespace = managed_namespace(plan, "shop", {{"team", "web"}}, {{"owner", "ops"}});
    REQUIRE(c.sync(plan, options).exit_code == 0);
    CHECK(c.client.writes() == std::vector<std::string>{"apply v1 Namespace shop", "apply v1 ConfigMap shop/a"});
    auto live = c.client.object(fakes::ref("v1", "Namespace", "", "shop"));
    REQUIRE(live.has_value());
    CHECK((*live)["metadata"]["labels"] == json{{"team", "web"}});
    CHECK((*live)["metadata"]["annotations"] == json{{"owner", "ops"}});
  }
}

TEST_CASE("--create-namespace defers to a Namespace the manifests define", "[engine][sync-options]") {
  Plan plan = plan_of({resource(object("v1", "Namespace", "", "shop")), resource(config_map("shop", "a"))});
  CHECK_FALSE(managed_namespace(plan, "shop", {}, {}).has_value());
  CHECK(managed_namespace(plan, "other", {}, {}).has_value());
  CHECK_FALSE(managed_namespace(plan, "", {}, {}).has_value());
}

TEST_CASE("--apply-out-of-sync-only writes only what the dry run shows changed and reports the rest unchanged",
          "[engine][sync-options]") {
  Cluster c;
  c.seed_namespace("shop");
  json same = config_map("shop", "same");
  c.client.seed(same);
  json changed = config_map("shop", "changed");
  c.client.seed(changed);
  changed["data"] = {{"k", "new"}};
  Plan plan = plan_of({resource(same), resource(changed), resource(config_map("shop", "fresh")),
                       hook(job("shop", "smoke"), Phase::post_sync)});
  engine::RunOptions options;
  options.apply_out_of_sync_only = true;
  auto result = c.sync(plan, options);
  REQUIRE(result.exit_code == 0);
  CHECK(c.client.writes() == std::vector<std::string>{"apply v1 ConfigMap shop/changed", "apply v1 ConfigMap shop/fresh",
                                                       "apply batch/v1 Job shop/smoke"});
  CHECK(result.applied == 3);
  std::map<std::string, engine::ApplyResult> outcome;
  for (const auto& e : c.sink.events)
    if (e.type == engine::EventType::resource_applied) outcome[e.resource->name] = *e.apply_result;
  CHECK(outcome["same"] == engine::ApplyResult::unchanged);
  CHECK(outcome["changed"] == engine::ApplyResult::configured);
  CHECK(outcome["fresh"] == engine::ApplyResult::created);
  // Hooks always run: the hook is dry-run once, by the check of the whole plan before the first
  // write, and not again by the out-of-sync filter.
  const auto calls = c.client.calls();
  CHECK(std::count(calls.begin(), calls.end(), "dry-run apply batch/v1 Job shop/smoke") == 1);
}
