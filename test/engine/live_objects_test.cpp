// What a live object brings to a sync that its manifest does not: Argo CD's hook finalizer on a
// hook Argo CD left, and Replace=true / Force=true set on the live object (Argo CD's
// removeHookFinalizer and applyObject, gitops-engine sync_context.go).
#include "engine/engine_fixture.hpp"

#include <catch2/catch.hpp>

using namespace wavesync;
using namespace wavesync::test;
using namespace std::chrono_literals;

namespace {
// A completed hook as Argo CD leaves it: its hook finalizer still on.
json with_hook_finalizer(json o) {
  o["metadata"]["finalizers"] = json::array({"argocd.argoproj.io/hook-finalizer"});
  o["status"] = fakes::healthy_status(o);
  return o;
}
json with_sync_options(json o, const std::string& options) {
  o["metadata"]["annotations"]["argocd.argoproj.io/sync-options"] = options;
  return o;
}
}  // namespace

TEST_CASE("a hook Argo CD left with its finalizer is released before BeforeHookCreation deletes it",
          "[engine][hooks][live]") {
  Cluster c;
  c.client.seed(with_hook_finalizer(job("default", "migrate")));
  engine::RunOptions options;
  options.timeout = 60s;
  auto result = c.sync(plan_of({hook(job("default", "migrate"), Phase::sync)}), options);
  CHECK(result.exit_code == 0);
  CHECK(c.client.writes() == std::vector<std::string>{"patch batch/v1 Job default/migrate",
                                                       "delete batch/v1 Job default/migrate foreground",
                                                       "apply batch/v1 Job default/migrate"});
  CHECK(c.sink.at("hook-started batch/v1 Job default/migrate") == Approx(0.0));
  auto live = c.client.object(fakes::ref("batch/v1", "Job", "default", "migrate"));
  REQUIRE(live);
  CHECK(!(*live)["metadata"].contains("finalizers"));
}

TEST_CASE("a completed hook that still carries the finalizer is released, then deleted by its policy",
          "[engine][hooks][live]") {
  Cluster c;
  c.client.seed(with_hook_finalizer(job("default", "smoke")));
  c.client.seed(with_hook_finalizer(job("default", "kept")));
  auto result = c.sync(plan_of({hook(job("default", "smoke"), Phase::post_sync, 0, {DeletePolicy::hook_succeeded}),
                                hook(job("default", "kept"), Phase::post_sync, 0, {DeletePolicy::hook_failed})}));
  for (const std::string& reason : result.reasons) UNSCOPED_INFO(reason);
  CHECK(result.exit_code == 0);
  CHECK(!c.client.object(fakes::ref("batch/v1", "Job", "default", "smoke")));
  // Not deleted (HookFailed after a success), but no longer held by Argo CD's finalizer either.
  auto kept = c.client.object(fakes::ref("batch/v1", "Job", "default", "kept"));
  REQUIRE(kept);
  CHECK((*kept)["metadata"].value("finalizers", json::array()).empty());
  CHECK(c.sink.has("hook-deleted batch/v1 Job default/smoke"));
}

TEST_CASE("Replace=true on the live object writes the manifest in place", "[engine][live]") {
  Cluster c;
  c.seed_namespace("shop");
  c.client.seed(with_sync_options(config_map("shop", "settings"), "Replace=true"));
  auto result = c.sync(plan_of({resource(config_map("shop", "settings"))}));
  CHECK(result.exit_code == 0);
  CHECK(c.client.writes() == std::vector<std::string>{"update v1 ConfigMap shop/settings"});
}

TEST_CASE("Force=true on the live object recreates it when the server rejects the change", "[engine][live]") {
  Cluster c;
  json live = with_sync_options(job("default", "batch"), "Force=true");
  c.client.seed(live);
  json changed = job("default", "batch");
  changed["spec"]["template"]["spec"]["containers"][0]["image"] = "busybox:2";
  auto result = c.sync(plan_of({resource(changed)}));
  CHECK(result.exit_code == 0);
  auto now = c.client.object(fakes::ref("batch/v1", "Job", "default", "batch"));
  REQUIRE(now);
  CHECK((*now)["spec"]["template"]["spec"]["containers"][0]["image"] == "busybox:2");
  // Without the live option the same change is refused before anything is written.
  Cluster plain;
  plain.client.seed(job("default", "batch"));
  CHECK(plain.sync(plan_of({resource(changed)})).exit_code == 1);
  CHECK(plain.client.writes().empty());
}
