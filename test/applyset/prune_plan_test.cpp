#include "wavesync/applyset/prune_plan.hpp"

#include <catch2/catch.hpp>

using namespace wavesync;
using namespace wavesync::applyset;
using nlohmann::json;

namespace {

const char* const k_id = "applyset-abc-v1";

// A live member of the set: ConfigMap `name` in `shop` with the given sync-wave and extra
// annotations.
json member(const std::string& name, Wave wave, json annotations = json::object(),
            const std::string& kind = "ConfigMap", const std::string& api_version = "v1") {
  annotations["argocd.argoproj.io/sync-wave"] = std::to_string(wave);
  return json{{"apiVersion", api_version},
              {"kind", kind},
              {"metadata",
               {{"name", name},
                {"namespace", "shop"},
                {"labels", {{"applyset.kubernetes.io/part-of", k_id}}},
                {"annotations", annotations}}}};
}

Plan plan_with_sync_waves(std::vector<Wave> waves) {
  Plan plan;
  for (Wave w : waves) plan.steps.push_back(Step{Phase::sync, w, {}});
  return plan;
}

std::vector<std::pair<std::string, Wave>> order(const PrunePlan& plan) {
  std::vector<std::pair<std::string, Wave>> out;
  for (const auto& t : plan.targets) out.emplace_back(t.key.name, t.wave);
  return out;
}

}  // namespace

TEST_CASE("prune waves are mirrored: the last created is the first pruned", "[prune]") {
  // Argo CD's TestWaveReorderingOfPruneTasks: prune waves {1, 3, 4, 5} become 5, 4, 3, 1.
  Plan plan = plan_with_sync_waves({0, 2});
  PruneInput input{&plan, {}, {member("w1", 1), member("w3", 3), member("w4", 4), member("w5", 5)}, k_id,
                   PruneLastMode::per_object};
  PrunePlan prunes = plan_prunes(input);
  CHECK(order(prunes) == std::vector<std::pair<std::string, Wave>>{{"w5", 1}, {"w4", 3}, {"w3", 4}, {"w1", 5}});
  CHECK(prunes.waves() == std::vector<Wave>{1, 3, 4, 5});
  CHECK(prunes.skipped.empty());
}

TEST_CASE("objects still in the manifests, hooks and unnamed objects are not pruned", "[prune]") {
  Plan plan = plan_with_sync_waves({0});
  json hook = member("migrate", 0, {{"argocd.argoproj.io/hook", "PreSync"}}, "Job", "batch/v1");
  PruneInput input{&plan, {ResourceKey{"", "ConfigMap", "shop", "kept"}},
                   {member("kept", 0), hook, member("gone", 0)}, k_id, PruneLastMode::per_object};
  PrunePlan prunes = plan_prunes(input);
  REQUIRE(prunes.targets.size() == 1);
  CHECK(prunes.targets[0].key == ResourceKey{"", "ConfigMap", "shop", "gone"});
  CHECK(prunes.targets[0].api_version == "v1");
}

TEST_CASE("PruneLast on the live object prunes after every Sync wave", "[prune]") {
  Plan plan = plan_with_sync_waves({-1, 0, 4});
  PruneInput input{&plan, {},
                   {member("last", 1, {{"argocd.argoproj.io/sync-options", "PruneLast=true"}}), member("a", 2),
                    member("b", 7)},
                   k_id, PruneLastMode::per_object};
  PrunePlan prunes = plan_prunes(input);
  // Mirror over {1, 2, 7}: b 7->1, a 2->2, last 1->7; the last Sync wave is then 7, so last runs in 8.
  CHECK(order(prunes) == std::vector<std::pair<std::string, Wave>>{{"b", 1}, {"a", 2}, {"last", 8}});
  CHECK(prunes.targets[2].prune_last);
  CHECK(describe_prunes(prunes) == std::vector<std::string>{"v1 ConfigMap shop/b (wave 1)",
                                                             "v1 ConfigMap shop/a (wave 2)",
                                                             "v1 ConfigMap shop/last (wave 8, PruneLast)"});
}

TEST_CASE("--prune-last puts every prune in one wave after the Sync phase, never below 1", "[prune]") {
  Plan plan = plan_with_sync_waves({-5, -3});
  PruneInput input{&plan, {}, {member("a", -4), member("b", -2)}, k_id, PruneLastMode::all};
  PrunePlan prunes = plan_prunes(input);
  CHECK(order(prunes) == std::vector<std::pair<std::string, Wave>>{{"a", 1}, {"b", 1}});
}

TEST_CASE("Prune=false skips the object with a message but keeps its place in the mirror", "[prune]") {
  Plan plan = plan_with_sync_waves({0});
  PruneInput input{&plan, {},
                   {member("kept", 1, {{"argocd.argoproj.io/sync-options", "Prune=false"}}), member("gone", 3)},
                   k_id, PruneLastMode::per_object};
  PrunePlan prunes = plan_prunes(input);
  // gone mirrors to wave 1 because kept's wave 1 is part of the prune waves.
  CHECK(order(prunes) == std::vector<std::pair<std::string, Wave>>{{"gone", 1}});
  REQUIRE(prunes.skipped.size() == 1);
  CHECK(prunes.skipped[0].key.name == "kept");
  CHECK(prunes.skipped[0].reason == SkipReason::prune_disabled);
  CHECK(prunes.skipped[0].message == "not pruned: Prune=false");
}

TEST_CASE("objects of another ApplySet or without the part-of label are reported, never pruned", "[prune]") {
  Plan plan = plan_with_sync_waves({0});
  json foreign = member("foreign", 0);
  foreign["metadata"]["labels"]["applyset.kubernetes.io/part-of"] = "applyset-other-v1";
  json by_hand = member("by-hand", 0);
  by_hand["metadata"].erase("labels");
  PruneInput input{&plan, {}, {foreign, by_hand}, k_id, PruneLastMode::per_object};
  PrunePlan prunes = plan_prunes(input);
  CHECK(prunes.targets.empty());
  REQUIRE(prunes.skipped.size() == 2);
  CHECK(prunes.skipped[0].key.name == "by-hand");
  CHECK(prunes.skipped[0].reason == SkipReason::not_labelled);
  CHECK(prunes.skipped[0].message ==
        "not pruned: it exists without the applyset.kubernetes.io/part-of label, so wavesync did not create it");
  CHECK(prunes.skipped[1].key.name == "foreign");
  CHECK(prunes.skipped[1].reason == SkipReason::other_applyset);
  CHECK(prunes.skipped[1].message == "not pruned: it belongs to ApplySet applyset-other-v1");
}

TEST_CASE("within one wave custom resources are pruned before workloads and Namespaces last", "[prune]") {
  Plan plan = plan_with_sync_waves({0});
  json ns = member("shop", 0, json::object(), "Namespace");
  ns["metadata"].erase("namespace");
  PruneInput input{&plan, {},
                   {ns, member("web", 0, json::object(), "Deployment", "apps/v1"),
                    member("w", 0, json::object(), "Widget", "test.wavesync.dev/v1"), member("cfg", 0)},
                   k_id, PruneLastMode::per_object};
  PrunePlan prunes = plan_prunes(input);
  CHECK(order(prunes) ==
        std::vector<std::pair<std::string, Wave>>{{"w", 0}, {"web", 0}, {"cfg", 0}, {"shop", 0}});
  CHECK(prunes.targets[3].key.namespace_name.empty());
}

TEST_CASE("an object already being deleted is waited for and its finalizers are known", "[prune]") {
  Plan plan = plan_with_sync_waves({0});
  json live = member("held", 0);
  live["metadata"]["deletionTimestamp"] = "2026-01-01T00:00:00Z";
  live["metadata"]["finalizers"] = {"example.com/hold"};
  PrunePlan prunes = plan_prunes(PruneInput{&plan, {}, {live}, k_id, PruneLastMode::per_object});
  REQUIRE(prunes.targets.size() == 1);
  CHECK(prunes.targets[0].deleting);
  CHECK(prunes.targets[0].finalizers == std::vector<std::string>{"example.com/hold"});
}

TEST_CASE("an unreadable sync-wave on a live object counts as 0 with a warning", "[prune]") {
  Plan plan = plan_with_sync_waves({0});
  json live = member("odd", 0);
  live["metadata"]["annotations"]["argocd.argoproj.io/sync-wave"] = "abc";
  PrunePlan prunes = plan_prunes(PruneInput{&plan, {}, {live}, k_id, PruneLastMode::per_object});
  REQUIRE(prunes.targets.size() == 1);
  CHECK(prunes.targets[0].live_wave == 0);
  CHECK(prunes.warnings.size() == 1);
}

TEST_CASE("a live object marked hook: Skip, or with an unusable hook type, is never pruned and stays managed", "[prune]") {
  Plan plan = plan_with_sync_waves({0});
  PruneInput input{&plan, {},
                   {member("skipped", 0, {{"argocd.argoproj.io/hook", "Skip"}}),
                    member("odd", 0, {{"argocd.argoproj.io/hook", "Sometime"}}),
                    member("helm", 0, {{"helm.sh/hook", "pre-delete"}}), member("gone", 0)},
                   k_id, PruneLastMode::per_object};
  PrunePlan prunes = plan_prunes(input);
  REQUIRE(order(prunes) == std::vector<std::pair<std::string, Wave>>{{"gone", 0}});
  REQUIRE(prunes.skipped.size() == 3);
  for (const auto& s : prunes.skipped) {
    CHECK(s.reason == SkipReason::hook);
    CHECK(s.message == "not pruned: it is a hook or marked argocd.argoproj.io/hook: Skip");
  }
}

TEST_CASE("an object whose manifest now says hook: Skip is neither pruned nor dropped from the set", "[prune]") {
  Plan plan = plan_with_sync_waves({0});
  PruneInput input{&plan, {}, {member("was-deployed", 0)}, k_id, PruneLastMode::per_object};
  input.unapplied.insert(ResourceKey{"", "ConfigMap", "shop", "was-deployed"});
  PrunePlan prunes = plan_prunes(input);
  CHECK(prunes.targets.empty());
  REQUIRE(prunes.skipped.size() == 1);
  CHECK(prunes.skipped[0].reason == SkipReason::hook);
  CHECK(prunes.skipped[0].key.name == "was-deployed");
}

TEST_CASE("prune waves are recomputed from what is still live: once the last wave's prunes are gone the rest move earlier",
          "[prune]") {
  // Live waves {1, 2, 3}: 3 -> 1, 2 -> 2, 1 -> 3. Once the wave-3 objects are gone, Argo CD's
  // next Sync() mirrors {1, 2}: the wave-2 object moves to wave 1 and the wave-1 object to 2.
  Plan plan = plan_with_sync_waves({0, 5});
  PruneInput input{&plan, {}, {member("w1", 1), member("w2", 2), member("w3", 3)}, k_id, PruneLastMode::per_object};
  PrunePlan prunes = plan_prunes(input);
  CHECK(order(prunes) == std::vector<std::pair<std::string, Wave>>{{"w3", 1}, {"w2", 2}, {"w1", 3}});
  std::vector<PruneTarget> still_live;
  for (const auto& t : prunes.targets) {
    if (t.key.name != "w3") still_live.push_back(t);
  }
  assign_prune_waves(still_live, prunes.disabled_live_waves, prunes.last_sync_wave);
  REQUIRE(still_live.size() == 2);
  CHECK(still_live[0].key.name == "w2");
  CHECK(still_live[0].wave == 1);
  CHECK(still_live[1].key.name == "w1");
  CHECK(still_live[1].wave == 2);
}

TEST_CASE("the recomputation keeps Prune=false objects in the mirror and moves PruneLast to the new last wave", "[prune]") {
  Plan plan = plan_with_sync_waves({0, 1});
  PruneInput input{&plan, {},
                   {member("kept", 4, {{"argocd.argoproj.io/sync-options", "Prune=false"}}), member("w2", 2),
                    member("w7", 7), member("last", 0, {{"argocd.argoproj.io/sync-options", "PruneLast=true"}})},
                   k_id, PruneLastMode::per_object};
  PrunePlan prunes = plan_prunes(input);
  // Live waves {0, 2, 4, 7} mirror to 7, 4, 2, 0; PruneLast goes to 7 + 1.
  CHECK(order(prunes) == std::vector<std::pair<std::string, Wave>>{{"w7", 0}, {"w2", 4}, {"last", 8}});
  CHECK(prunes.disabled_live_waves == std::vector<Wave>{4});
  CHECK(prunes.last_sync_wave == 1);
  std::vector<PruneTarget> still_live;
  for (const auto& t : prunes.targets) {
    if (t.key.name != "w7") still_live.push_back(t);
  }
  // Live waves {0, 2, 4} mirror to 4, 2, 0: w2 stays at 2 with kept (4) still in the mirror.
  assign_prune_waves(still_live, prunes.disabled_live_waves, prunes.last_sync_wave);
  CHECK(still_live[0].key.name == "w2");
  CHECK(still_live[0].wave == 2);
  CHECK(still_live[1].key.name == "last");
  CHECK(still_live[1].wave == 5);
}
