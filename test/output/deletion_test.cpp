// wavesync delete: reverse plan order, kept objects, waiting for each step to be gone.
#include "output/output_fixture.hpp"
#include "wavesync/output/deletion.hpp"

#include <catch2/catch.hpp>

using namespace wavesync;
using namespace wavesync::test;
using namespace std::chrono_literals;

TEST_CASE("deletion runs in reverse plan order, deletes hooks left by syncs and keeps protected objects", "[output]") {
  Cluster c;
  PlannedResource keep = resource(config_map("shop", "kept"), 2);
  keep.resource.object["metadata"]["annotations"] = {{"helm.sh/resource-policy", "keep"}};
  PlannedResource no_delete = resource(config_map("shop", "stays"), 2, {{"Delete", "false"}});
  Plan plan = plan_of({resource(c.ns("shop"), -1), hook(job("shop", "migrate"), Phase::pre_sync),
                       resource(deployment("shop", "web"), 1), resource(config_map("shop", "a"), 2), keep,
                       no_delete});
  const auto steps = output::plan_deletion(plan);
  CHECK(output::format_deletion_plan(steps) ==
        "Sync wave 2\n"
        "  would delete v1 ConfigMap shop/a (manifests/app.yaml:1)\n"
        "  keep v1 ConfigMap shop/stays (Delete=false)\n"
        "  keep v1 ConfigMap shop/kept (helm.sh/resource-policy: keep)\n"
        "Sync wave 1\n"
        "  would delete apps/v1 Deployment shop/web (manifests/app.yaml:1)\n"
        "Sync wave -1\n"
        "  would delete v1 Namespace shop (manifests/app.yaml:1)\n"
        "PreSync wave 0\n"
        "  would delete batch/v1 Job shop/migrate (manifests/app.yaml:1)\n"
        "4 objects would be deleted (dry run)\n");
}

TEST_CASE("each step is deleted and gone before the next one starts", "[output]") {
  Cluster c;
  Plan plan = plan_of({resource(c.ns("shop"), -1), resource(deployment("shop", "web"), 1),
                       resource(config_map("shop", "a"), 2)});
  REQUIRE(c.sync(plan).exit_code == 0);
  c.client.clear_calls();
  std::vector<std::string> log;
  auto result = output::run_deletion(output::plan_deletion(plan), c.client, c.clock, {},
                                     [&](const std::string& l) { log.push_back(l); });
  CHECK(result.exit_code == 0);
  CHECK(result.deleted == 3);
  CHECK(c.client.writes() == std::vector<std::string>{"delete v1 ConfigMap shop/a foreground",
                                                       "delete apps/v1 Deployment shop/web foreground",
                                                       "delete v1 Namespace shop foreground"});
}

TEST_CASE("an object held by a finalizer is reported with the finalizer when the timeout passes", "[output]") {
  Cluster c;
  json cm = config_map("shop", "held");
  cm["metadata"]["finalizers"] = json::array({"example.com/cleanup"});
  Plan plan = plan_of({resource(cm, 0)});
  c.seed_namespace("shop");
  REQUIRE(c.sync(plan).exit_code == 0);
  output::DeleteOptions options;
  options.timeout = 30s;
  auto result = output::run_deletion(output::plan_deletion(plan), c.client, c.clock, options, [](const std::string&) {});
  CHECK(result.exit_code == 3);
  REQUIRE(result.problems.size() == 1);
  CHECK(result.problems[0].find("v1 ConfigMap shop/held is still present after 30.0s (--timeout): being deleted since ") == 0);
  CHECK(result.problems[0].find(", waiting on finalizers: example.com/cleanup") != std::string::npos);
}

TEST_CASE("an object the live annotations mark Delete=false or resource-policy keep is kept", "[output]") {
  Cluster c;
  c.seed_namespace("shop");
  Plan plan = plan_of({resource(config_map("shop", "stays")), resource(config_map("shop", "kept")),
                       resource(config_map("shop", "goes"))});
  REQUIRE(c.sync(plan).exit_code == 0);
  auto annotate = [&](const std::string& name, const std::string& key, const std::string& value) {
    json live = *c.client.object(fakes::ref("v1", "ConfigMap", "shop", name));
    live["metadata"]["annotations"][key] = value;
    c.client.seed(live);
  };
  annotate("stays", "argocd.argoproj.io/sync-options", "Delete=false");
  annotate("kept", "helm.sh/resource-policy", "keep");
  c.client.clear_calls();
  std::vector<std::string> log;
  auto result = output::run_deletion(output::plan_deletion(plan), c.client, c.clock, {},
                                     [&](const std::string& l) { log.push_back(l); });
  CHECK(result.exit_code == 0);
  CHECK(c.client.writes() == std::vector<std::string>{"delete v1 ConfigMap shop/goes foreground"});
  CHECK(std::find(log.begin(), log.end(), "  keep v1 ConfigMap shop/stays (Delete=false on the live object)") !=
        log.end());
  CHECK(std::find(log.begin(), log.end(),
                  "  keep v1 ConfigMap shop/kept (helm.sh/resource-policy: keep on the live object)") != log.end());
}

TEST_CASE("a hook Argo CD left with its hook finalizer is released, then deleted", "[output]") {
  Cluster c;
  c.seed_namespace("shop");
  json left = job("shop", "migrate");
  left["metadata"]["finalizers"] = json::array({"argocd.argoproj.io/hook-finalizer"});
  c.client.seed(left);
  Plan plan = plan_of({hook(job("shop", "migrate"), Phase::pre_sync)});
  output::DeleteOptions options;
  options.timeout = 30s;
  auto result = output::run_deletion(output::plan_deletion(plan), c.client, c.clock, options, [](const std::string&) {});
  CHECK(result.exit_code == 0);
  CHECK(result.deleted == 1);
  CHECK(c.client.writes() == std::vector<std::string>{"patch batch/v1 Job shop/migrate",
                                                       "delete batch/v1 Job shop/migrate foreground"});
}

TEST_CASE("Delete=confirm on the live object asks for confirmation too", "[output]") {
  Cluster c;
  c.seed_namespace("shop");
  Plan plan = plan_of({resource(config_map("shop", "asks")), resource(config_map("shop", "plain")),
                       resource(config_map("shop", "manifest"), 0, {{"Delete", "confirm"}})});
  REQUIRE(c.sync(plan).exit_code == 0);
  for (const char* name : {"asks", "manifest"}) {
    json live = *c.client.object(fakes::ref("v1", "ConfigMap", "shop", name));
    live["metadata"]["annotations"]["argocd.argoproj.io/sync-options"] = "Delete=confirm";
    c.client.seed(live);
  }
  auto asking = output::confirmations_on_live_objects(output::plan_deletion(plan), c.client);
  REQUIRE(asking);
  // `manifest` already asks through its manifest: listed once, by the caller.
  REQUIRE(asking->size() == 1);
  CHECK((*asking)[0].str() == "v1 ConfigMap shop/asks");
}
