// wavesync delete: reverse plan order, kept objects, waiting for each step to be gone.
#include "output/output_fixture.hpp"
#include "wavesync/output/deletion.hpp"

#include <catch2/catch.hpp>

using namespace wavesync;
using namespace wavesync::test;
using namespace std::chrono_literals;

TEST_CASE("deletion runs in reverse plan order and keeps hooks and protected objects", "[output]") {
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
        "  keep batch/v1 Job shop/migrate (hook)\n"
        "3 objects would be deleted (dry run)\n");
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
