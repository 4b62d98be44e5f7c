// Argo CD's hook finalizer: the JSON patch that takes it off a live hook (hooks/hook_finalizer).
#include "wavesync/hooks/hook_finalizer.hpp"

#include <catch2/catch.hpp>

using nlohmann::json;
using namespace wavesync;

TEST_CASE("the hook finalizer is removed by its index, guarded by a test of that entry", "[hooks]") {
  json live = {{"metadata",
                {{"name", "migrate"},
                 {"finalizers", json::array({"example.com/keep", "argocd.argoproj.io/hook-finalizer", "x/y"})}}}};
  auto patch = hook_finalizer_removal(live);
  REQUIRE(patch);
  CHECK(*patch == json::parse(R"([{"op": "test", "path": "/metadata/finalizers/1",
                                   "value": "argocd.argoproj.io/hook-finalizer"},
                                  {"op": "remove", "path": "/metadata/finalizers/1"}])"));
  CHECK(live.patch(*patch)["metadata"]["finalizers"] == json::array({"example.com/keep", "x/y"}));
  // Applied to a list that moved meanwhile, the test fails instead of removing another entry.
  json moved = live;
  moved["metadata"]["finalizers"] = json::array({"argocd.argoproj.io/hook-finalizer"});
  CHECK_THROWS(moved.patch(*patch));
}

TEST_CASE("no patch for an object without the hook finalizer or with a malformed list", "[hooks]") {
  CHECK(!hook_finalizer_removal(json{{"metadata", {{"name", "a"}}}}));
  CHECK(!hook_finalizer_removal(json{{"metadata", {{"finalizers", json::array({"example.com/keep"})}}}}));
  CHECK(!hook_finalizer_removal(json{{"metadata", {{"finalizers", "argocd.argoproj.io/hook-finalizer"}}}}));
  CHECK(!hook_finalizer_removal(json{{"metadata", {{"finalizers", json::array({1, nullptr})}}}}));
  CHECK(!hook_finalizer_removal(json{{"metadata", "x"}}));
  CHECK(!hook_finalizer_removal(json::array()));
  CHECK(!hook_finalizer_removal(json()));
}
