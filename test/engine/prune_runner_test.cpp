// --prune in the engine: prunes deleted first in their (mirrored) wave, the wave's applies
// right after, and the next step only once they are gone; waves recomputed after every step;
// prune-only waves; finalizers; dry runs.
#include "engine_fixture.hpp"

#include <catch2/catch.hpp>

using namespace wavesync;
using namespace wavesync::test;
using namespace std::chrono_literals;

namespace {

applyset::PruneTarget target(const std::string& name, Wave wave, const std::string& kind = "ConfigMap",
                             const std::string& api_version = "v1") {
  applyset::PruneTarget t;
  t.api_version = api_version;
  t.key = ResourceKey{group_of(api_version), kind, "shop", name};
  t.live_wave = wave;
  t.wave = wave;
  return t;
}

std::vector<std::string> deletes_and_applies(const fakes::FakeClient& client) { return client.writes(); }

}  // namespace

TEST_CASE("a wave's applies follow its prune deletions at once and the next step waits until they are gone",
          "[engine][prune]") {
  // Renaming web-v1 to web-v2 in one wave: web-v2 is created while web-v1 is still going
  // (gitops-engine runTasks prunes, then applies, in the same Sync() call).
  Cluster c;
  c.seed_namespace("shop");
  c.client.seed(config_map("shop", "web-v1"));
  c.client.set_deletion_delay(3s);
  Plan plan = plan_of({resource(config_map("shop", "web-v2"), 1), resource(config_map("shop", "next"), 2)});
  engine::RunOptions options;
  options.prunes = {target("web-v1", 1)};
  auto result = c.sync(plan, options);
  REQUIRE(result.exit_code == 0);
  CHECK(deletes_and_applies(c.client) ==
        std::vector<std::string>{"delete v1 ConfigMap shop/web-v1 foreground", "apply v1 ConfigMap shop/web-v2",
                                 "apply v1 ConfigMap shop/next"});
  CHECK(c.sink.at("resource-applied v1 ConfigMap shop/web-v2") == Approx(0.0));
  CHECK(c.sink.at("step-done Sync 1") == Approx(3.0));
  CHECK(c.sink.at("resource-applied v1 ConfigMap shop/next") == Approx(3.0));
  std::vector<std::string> prune_messages;
  for (const auto& e : c.sink.events)
    if (e.prune) prune_messages.push_back(e.resource->name + ": " + e.message);
  CHECK(prune_messages == std::vector<std::string>{"web-v1: pruning (foreground)", "web-v1: pruned"});
}

TEST_CASE("prune waves are recomputed after every step: once the last wave's prunes are gone the rest move earlier",
          "[engine][prune]") {
  // Live waves {1, 3}: old-3 is pruned in wave 1 and old-1 in wave 3. Once old-3 is gone the
  // mirror is over {1} alone, so old-1 is pruned next, before wave 3's applies.
  Cluster c;
  c.seed_namespace("shop");
  c.client.seed(config_map("shop", "old-1"));
  c.client.seed(config_map("shop", "old-3"));
  c.client.set_deletion_delay(3s);
  Plan plan = plan_of({resource(config_map("shop", "a"), 1), resource(config_map("shop", "b"), 3)});
  engine::RunOptions options;
  options.prunes = {target("old-3", 1), target("old-1", 3)};
  options.prunes[0].live_wave = 3;
  options.prunes[1].live_wave = 1;
  options.prune_last_sync_wave = 3;
  auto result = c.sync(plan, options);
  REQUIRE(result.exit_code == 0);
  CHECK(deletes_and_applies(c.client) ==
        std::vector<std::string>{"delete v1 ConfigMap shop/old-3 foreground", "apply v1 ConfigMap shop/a",
                                 "delete v1 ConfigMap shop/old-1 foreground", "apply v1 ConfigMap shop/b"});
  std::vector<std::string> steps;
  for (const auto& line : c.sink.lines)
    if (line.rfind("step-started", 0) == 0) steps.push_back(line);
  CHECK(steps == std::vector<std::string>{"step-started Sync 1", "step-started Sync 1", "step-started Sync 3"});
  CHECK(c.sink.at("resource-applied v1 ConfigMap shop/b") == Approx(6.0));
  CHECK_FALSE(c.client.object(fakes::ref("v1", "ConfigMap", "shop", "old-1")).has_value());
}

TEST_CASE("a Prune=false object keeps its place in the recomputed mirror", "[engine][prune]") {
  // Live waves {1, 3} and a kept object at 5: old-3 -> 3, old-1 -> 5. After old-3 is gone the
  // mirror over {1, 5} still sends old-1 to wave 5.
  Cluster c;
  c.seed_namespace("shop");
  c.client.seed(config_map("shop", "old-1"));
  c.client.seed(config_map("shop", "old-3"));
  Plan plan = plan_of({resource(config_map("shop", "a"), 1), resource(config_map("shop", "b"), 3),
                       resource(config_map("shop", "c"), 5)});
  engine::RunOptions options;
  options.prunes = {target("old-3", 3), target("old-1", 5)};
  options.prunes[0].live_wave = 3;
  options.prunes[1].live_wave = 1;
  options.prune_disabled_waves = {5};
  options.prune_last_sync_wave = 5;
  auto result = c.sync(plan, options);
  REQUIRE(result.exit_code == 0);
  CHECK(deletes_and_applies(c.client) ==
        std::vector<std::string>{"apply v1 ConfigMap shop/a", "delete v1 ConfigMap shop/old-3 foreground",
                                 "apply v1 ConfigMap shop/b", "delete v1 ConfigMap shop/old-1 foreground",
                                 "apply v1 ConfigMap shop/c"});
}

TEST_CASE("a prune wave without applies gets a step of its own, in wave order", "[engine][prune]") {
  Cluster c;
  c.seed_namespace("shop");
  c.client.seed(config_map("shop", "old"));
  Plan plan = plan_of({resource(config_map("shop", "a"), 0), resource(config_map("shop", "z"), 5),
                       hook(job("shop", "after"), Phase::post_sync)});
  engine::RunOptions options;
  options.prunes = {target("old", 2)};
  auto result = c.sync(plan, options);
  REQUIRE(result.exit_code == 0);
  std::vector<std::string> steps;
  for (const auto& line : c.sink.lines)
    if (line.rfind("step-started", 0) == 0) steps.push_back(line);
  CHECK(steps == std::vector<std::string>{"step-started Sync 0", "step-started Sync 2", "step-started Sync 5",
                                          "step-started PostSync 0"});
}

TEST_CASE("the propagation policy of prunes is configurable", "[engine][prune]") {
  Cluster c;
  c.seed_namespace("shop");
  c.client.seed(config_map("shop", "old"));
  engine::RunOptions options;
  options.prunes = {target("old", 0)};
  options.prune_propagation = kube::Propagation::orphan;
  auto result = c.sync(plan_of({resource(config_map("shop", "a"), 0)}), options);
  REQUIRE(result.exit_code == 0);
  CHECK(c.client.writes().front() == "delete v1 ConfigMap shop/old orphan");
}

TEST_CASE("an object held by a finalizer times the sync out and the reason names the finalizer", "[engine][prune]") {
  Cluster c;
  c.seed_namespace("shop");
  json held = config_map("shop", "held");
  held["metadata"]["finalizers"] = {"example.com/hold"};
  c.client.seed(held);
  engine::RunOptions options;
  options.prunes = {target("held", 0)};
  options.timeout = 30s;
  auto result = c.sync(plan_of({resource(config_map("shop", "a"), 0)}), options);
  CHECK(result.exit_code == exit_code::k_timeout);
  REQUIRE_FALSE(result.reasons.empty());
  CHECK(result.reasons[0] ==
        "timed out waiting for the deletion of v1 ConfigMap shop/held (finalizers: example.com/hold)");
  // The wave's applies do not wait for its prunes; the next step would.
  CHECK(c.sink.has("resource-applied v1 ConfigMap shop/a"));
  bool announced = false;
  for (const auto& e : c.sink.events)
    announced = announced || (e.prune && e.message == "pruning (foreground); finalizers: example.com/hold");
  CHECK(announced);
}

TEST_CASE("an object already being deleted is waited for without a second delete", "[engine][prune]") {
  Cluster c;
  c.seed_namespace("shop");
  json going = config_map("shop", "going");
  going["metadata"]["finalizers"] = {"example.com/hold"};
  c.client.seed(going);
  REQUIRE(c.client.remove(fakes::ref("v1", "ConfigMap", "shop", "going"), kube::Propagation::background));
  c.client.clear_calls();
  c.client.schedule(2s, [&] { c.client.clear_finalizers(fakes::ref("v1", "ConfigMap", "shop", "going")); });
  engine::RunOptions options;
  options.prunes = {target("going", 0)};
  auto result = c.sync(plan_of({resource(config_map("shop", "a"), 0)}), options);
  REQUIRE(result.exit_code == 0);
  CHECK(c.client.writes() == std::vector<std::string>{"apply v1 ConfigMap shop/a"});
  CHECK(c.sink.at("resource-applied v1 ConfigMap shop/a") == Approx(0.0));
  CHECK(c.sink.at("step-done Sync 0") == Approx(2.0));
}

TEST_CASE("a failed prune fails its wave before anything of it is applied", "[engine][prune]") {
  Cluster c;
  c.seed_namespace("shop");
  c.client.seed(config_map("shop", "old"));
  c.client.inject_fault(fakes::Fault{"delete", "ConfigMap", "old", 1, Error{"delete v1 ConfigMap shop/old: 403 Forbidden", 1, 403}});
  engine::RunOptions options;
  options.prunes = {target("old", 0)};
  auto result = c.sync(plan_of({resource(config_map("shop", "a"), 0)}), options);
  CHECK(result.exit_code == exit_code::k_sync_failed);
  CHECK(result.reasons == std::vector<std::string>{"prune v1 ConfigMap shop/old: delete v1 ConfigMap shop/old: 403 Forbidden"});
  CHECK_FALSE(c.sink.has("resource-applied v1 ConfigMap shop/a"));
}

TEST_CASE("a dry run shows the prunes in their waves and deletes nothing", "[engine][prune]") {
  Cluster c;
  c.seed_namespace("shop");
  c.client.seed(config_map("shop", "old"));
  engine::RunOptions options;
  options.prunes = {target("old", 3)};
  options.dry_run = kube::DryRun::all;
  auto result = c.sync(plan_of({resource(config_map("shop", "a"), 0)}), options);
  REQUIRE(result.exit_code == 0);
  CHECK(c.client.writes().empty());
  REQUIRE(c.sink.has("step-started Sync 3"));
  bool shown = false;
  for (const auto& e : c.sink.events)
    shown = shown || (e.prune && e.dry_run && e.wave == 3 && e.message == "would be pruned");
  CHECK(shown);
}
