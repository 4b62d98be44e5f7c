// Step logic of the sync engine against the fake cluster (gitops-engine pkg/sync/sync_context.go
// Sync and the step scenarios of sync_context_test.go).
#include "engine/engine_fixture.hpp"

#include <catch2/catch.hpp>

using namespace wavesync;
using namespace wavesync::test;
using namespace std::chrono_literals;

// sync_context_test.go TestSyncSuccessfully_Multistep (a multi-step sync waits for health)
TEST_CASE("steps run in plan order and a step starts only when the previous one is healthy", "[engine]") {
  Cluster c;
  c.delays["web"] = 5s;
  Plan plan = plan_of({resource(c.ns("shop"), -2), resource(deployment("shop", "web"), 1),
                       resource(config_map("shop", "after"), 2)});
  auto result = c.sync(plan);
  CHECK(result.exit_code == 0);
  CHECK(result.outcome == engine::SyncOutcome::succeeded);
  CHECK(c.client.writes() == std::vector<std::string>{"apply v1 Namespace shop", "apply apps/v1 Deployment shop/web",
                                                       "apply v1 ConfigMap shop/after"});
  // The namespace becomes "ready" (no health rule) at once; the Deployment 5 s after its apply.
  CHECK(c.sink.at("health-changed apps/v1 Deployment shop/web Healthy") == Approx(5.0));
  CHECK(c.sink.at("step-started Sync 2") == Approx(5.0));
}

TEST_CASE("the next step starts the moment the last resource of a step turns healthy", "[engine]") {
  Cluster c;
  c.delays["a"] = 2s;
  c.delays["b"] = 7s;
  Plan plan = plan_of({resource(deployment("default", "a"), 0), resource(deployment("default", "b"), 0),
                       resource(config_map("default", "next"), 1)});
  auto result = c.sync(plan);
  REQUIRE(result.exit_code == 0);
  CHECK(c.sink.at("step-done Sync 0") == Approx(7.0));
  CHECK(c.sink.at("resource-applied v1 ConfigMap default/next") == Approx(7.0));
}

TEST_CASE("within a step objects are applied in runs of the same kind, one apply call per run", "[engine]") {
  Cluster c;
  Plan plan = plan_of({resource(object("v1", "ServiceAccount", "default", "sa")),
                       resource(config_map("default", "a")), resource(config_map("default", "b")),
                       resource(object("v1", "Service", "default", "svc", {{"spec", {{"ports", json::array()}}}})),
                       resource(deployment("default", "web"))});
  auto result = c.sync(plan);
  REQUIRE(result.exit_code == 0);
  CHECK(c.client.writes() == std::vector<std::string>{
                                 "apply v1 ServiceAccount default/sa", "apply v1 ConfigMap default/a",
                                 "apply v1 ConfigMap default/b", "apply v1 Service default/svc",
                                 "apply apps/v1 Deployment default/web"});
  // The two ConfigMaps go in one call; each other kind in a call of its own.
  CHECK(c.client.apply_batches() ==
        std::vector<std::vector<std::string>>{{"v1 ServiceAccount default/sa"},
                                              {"v1 ConfigMap default/a", "v1 ConfigMap default/b"},
                                              {"v1 Service default/svc"},
                                              {"apps/v1 Deployment default/web"}});
  // One multiplexed watch per widening, opened before the writes it covers.
  auto calls = c.client.calls();
  auto first_watch = std::find_if(calls.begin(), calls.end(), [](const std::string& s) { return s.rfind("watch", 0) == 0; });
  auto first_apply = std::find_if(calls.begin(), calls.end(), [](const std::string& s) { return s.rfind("apply", 0) == 0; });
  CHECK(first_watch < first_apply);
}

// sync_context_test.go TestSyncSuccessfully (a single wave is not waited for): a deliberate
// difference
TEST_CASE("unlike Argo CD the final step is waited for, so success means healthy", "[engine]") {
  Cluster c;
  c.delays["web"] = 4s;
  auto result = c.sync(plan_of({resource(deployment("default", "web"))}));
  CHECK(result.exit_code == 0);
  CHECK(c.sink.has("health-changed apps/v1 Deployment default/web Healthy"));
  CHECK(c.sink.at("sync-done") == Approx(4.0));
}

TEST_CASE("--no-wait applies the final step without waiting for it", "[engine]") {
  Cluster c;
  c.never = {"web"};
  engine::RunOptions options;
  options.final_wait = engine::FinalWait::skip;
  auto result = c.sync(plan_of({resource(config_map("default", "a"), 0), resource(deployment("default", "web"), 1)}),
                       options);
  CHECK(result.exit_code == 0);
  CHECK(c.sink.at("sync-done") == Approx(0.0));
  REQUIRE(c.sink.events.size() >= 2);
  auto done = std::find_if(c.sink.events.begin(), c.sink.events.end(), [](const engine::Event& e) {
    return e.type == engine::EventType::step_done && e.wave == 1;
  });
  REQUIRE(done != c.sink.events.end());
  CHECK(*done->step_result == engine::StepResult::applied);
}

TEST_CASE("--no-wait still waits for every step but the last", "[engine]") {
  Cluster c;
  c.delays["web"] = 3s;
  engine::RunOptions options;
  options.final_wait = engine::FinalWait::skip;
  auto result = c.sync(plan_of({resource(deployment("default", "web"), 0), resource(config_map("default", "a"), 1)}),
                       options);
  CHECK(result.exit_code == 0);
  CHECK(c.sink.at("resource-applied v1 ConfigMap default/a") == Approx(3.0));
}

TEST_CASE("resources without a health rule do not block the next step", "[engine]") {
  Cluster c;
  c.never = {"a", "sa"};
  auto result = c.sync(plan_of({resource(config_map("default", "a"), 0),
                                resource(object("v1", "ServiceAccount", "default", "sa"), 0),
                                resource(config_map("default", "b"), 1)}));
  CHECK(result.exit_code == 0);
  CHECK(c.sink.at("sync-done") == Approx(0.0));
}

// sync_context_test.go TestSync_SyncWaveHook; Argo CD controller/sync.go delayBetweenSyncWaves
// (delay only after non-final waves)
TEST_CASE("--wave-delay passes between applying a step and judging its health", "[engine]") {
  Cluster c;
  engine::RunOptions options;
  options.wave_delay = 2s;
  auto result = c.sync(plan_of({resource(config_map("default", "a"), 0), resource(config_map("default", "b"), 1)}),
                       options);
  CHECK(result.exit_code == 0);
  CHECK(c.sink.at("step-started Sync 1") == Approx(2.0));
  CHECK(c.sink.at("sync-done") == Approx(2.0));  // no delay after the final step
}

// sync_tasks_test.go TestSyncTasksSort_NamespaceAndObjectInNamespace; pkg/sync/sync_tasks.go
// syncTasks.Sort (dependency bubbling: namespace before its contents)
TEST_CASE("a namespace is created and Active before the objects in it", "[engine]") {
  Cluster c;
  // Namespace bubbling (sync_tasks.go syncTasks.Sort) puts the Namespace first in the step; its
  // run goes first.
  auto result = c.sync(plan_of({resource(c.ns("shop")), resource(config_map("shop", "a"))}));
  CHECK(result.exit_code == 0);
  CHECK(c.client.writes() == std::vector<std::string>{"apply v1 Namespace shop", "apply v1 ConfigMap shop/a"});
}

TEST_CASE("a cluster-scoped object given a namespace is applied without it", "[engine]") {
  Cluster c;
  auto role = object("rbac.authorization.k8s.io/v1", "ClusterRole", "default", "reader", {{"rules", json::array()}});
  auto result = c.sync(plan_of({resource(role)}));
  CHECK(result.exit_code == 0);
  CHECK(c.client.writes() == std::vector<std::string>{"apply rbac.authorization.k8s.io/v1 ClusterRole reader"});
}

// sync_tasks_test.go TestSyncTasksSort_CRDAndCR; sync_context.go runTasks and ensureCRDReady (CRD
// before its CRs)
TEST_CASE("a CRD is Established and discovery refreshed before its custom resources are applied", "[engine]") {
  Cluster c;
  json crd = object("apiextensions.k8s.io/v1", "CustomResourceDefinition", "", "widgets.test.dev",
                    {{"spec", {{"group", "test.dev"}, {"scope", "Namespaced"},
                               {"names", {{"kind", "Widget"}, {"plural", "widgets"}}},
                               {"versions", json::array({{{"name", "v1"}}})}}}});
  json widget = object("test.dev/v1", "Widget", "default", "w1", {{"spec", {{"size", 1}}}});
  SECTION("in consecutive waves") {
    auto result = c.sync(plan_of({resource(crd, 0), resource(widget, 1)}));
    CHECK(result.exit_code == 0);
  }
  SECTION("in the same wave") {
    auto result = c.sync(plan_of({resource(crd, 0), resource(widget, 0)}));
    CHECK(result.exit_code == 0);
  }
  auto calls = c.client.calls();
  auto refresh = std::find(calls.begin(), calls.end(), "refresh-discovery");
  auto cr = std::find(calls.begin(), calls.end(), "apply test.dev/v1 Widget default/w1");
  REQUIRE(refresh != calls.end());
  REQUIRE(cr != calls.end());
  CHECK(refresh < cr);
}

TEST_CASE("a step is judged by generation-aware health: a changed Deployment waits for its rollout", "[engine]") {
  Cluster c;
  json web = deployment("default", "web");
  c.client.seed(web);
  c.client.set_status(fakes::ref("apps/v1", "Deployment", "default", "web"),
                      fakes::healthy_status(*c.client.object(fakes::ref("apps/v1", "Deployment", "default", "web"))));
  web["spec"]["replicas"] = 3;
  c.delays["web"] = 6s;
  auto result = c.sync(plan_of({resource(web)}));
  CHECK(result.exit_code == 0);
  CHECK(c.sink.at("sync-done") == Approx(6.0));
  auto applied = std::find_if(c.sink.events.begin(), c.sink.events.end(),
                              [](const engine::Event& e) { return e.type == engine::EventType::resource_applied; });
  REQUIRE(applied != c.sink.events.end());
  CHECK(*applied->apply_result == engine::ApplyResult::configured);
}

TEST_CASE("re-applying an unchanged healthy object is reported unchanged and does not wait", "[engine]") {
  Cluster c;
  json cm = config_map("default", "a");
  c.client.seed(cm);
  auto result = c.sync(plan_of({resource(cm)}));
  CHECK(result.exit_code == 0);
  auto applied = std::find_if(c.sink.events.begin(), c.sink.events.end(),
                              [](const engine::Event& e) { return e.type == engine::EventType::resource_applied; });
  REQUIRE(applied != c.sink.events.end());
  CHECK(*applied->apply_result == engine::ApplyResult::unchanged);
}

TEST_CASE("objects without a health rule are applied without watching their collections", "[engine]") {
  Cluster c;
  Plan plan = plan_of({resource(c.ns("shop"), 0), resource(config_map("shop", "a"), 0),
                       resource(config_map("shop", "b"), 1), resource(deployment("shop", "web"), 2)});
  auto result = c.sync(plan);
  REQUIRE(result.exit_code == 0);
  std::vector<std::string> watches;
  for (const std::string& call : c.client.calls())
    if (call.rfind("watch", 0) == 0) watches.push_back(call);
  CHECK(watches == std::vector<std::string>{"watch v1 Namespace; apps/v1 Deployment shop"});
  CHECK(c.client.writes() == std::vector<std::string>{"apply v1 Namespace shop", "apply v1 ConfigMap shop/a",
                                                       "apply v1 ConfigMap shop/b", "apply apps/v1 Deployment shop/web"});
}

namespace {
json widget_crd() {
  return object("apiextensions.k8s.io/v1", "CustomResourceDefinition", "", "widgets.test.dev",
                {{"spec", {{"group", "test.dev"}, {"scope", "Namespaced"},
                           {"names", {{"kind", "Widget"}, {"plural", "widgets"}}},
                           {"versions", json::array({{{"name", "v1"}}})}}}});
}
}  // namespace

// The API server sets Established before its discovery lists the kind; a CR applied at once
// would meet "no matches for kind".
TEST_CASE("a custom resource waits until discovery lists its kind, not only until the CRD is Established",
          "[engine]") {
  Cluster c;
  json crd = widget_crd();
  json widget = object("test.dev/v1", "Widget", "default", "w1", {{"spec", {{"size", 1}}}});
  SECTION("discovery catches up after a few reads") {
    crd["metadata"]["annotations"][fakes::k_fake_discovery_lag] = "3";
    auto result = c.sync(plan_of({resource(crd, 0), resource(widget, 0)}));
    CHECK(result.exit_code == 0);
    auto calls = c.client.calls();
    CHECK(std::count(calls.begin(), calls.end(), "refresh-discovery") >= 4);
    CHECK(c.sink.has("resource-applied test.dev/v1 Widget default/w1"));
  }
  SECTION("discovery never lists the kind: the CRD fails after the CRD wait") {
    crd["metadata"]["annotations"][fakes::k_fake_discovery_lag] = "1000000";
    auto result = c.sync(plan_of({resource(crd, 0), resource(widget, 1)}));
    CHECK(result.exit_code == exit_code::k_sync_failed);
    REQUIRE_FALSE(result.reasons.empty());
    CHECK(result.reasons[0] == "apiextensions.k8s.io/v1 CustomResourceDefinition widgets.test.dev: Established, but "
                               "the API server's discovery did not list test.dev/v1 Widget within 30.0s");
    CHECK(c.sink.at("step-done Sync 0") == Approx(30.0).margin(1.0));
    CHECK_FALSE(c.sink.has("resource-applied test.dev/v1 Widget default/w1"));
  }
}

TEST_CASE("a CRD that never becomes Established fails its step after 30 s with its conditions", "[engine]") {
  Cluster c;
  c.never = {"widgets.test.dev"};
  json crd = widget_crd();
  crd["metadata"]["annotations"][fakes::k_fake_established] = "false";
  json widget = object("test.dev/v1", "Widget", "default", "w1", {{"spec", {{"size", 1}}}});
  auto result = c.sync(plan_of({resource(crd, 0), resource(widget, 1)}));
  CHECK(result.exit_code == exit_code::k_sync_failed);
  REQUIRE_FALSE(result.reasons.empty());
  CHECK(result.reasons[0] == "apiextensions.k8s.io/v1 CustomResourceDefinition widgets.test.dev: not Established after "
                             "30.0s: Established=False (Installing: still installing)");
  CHECK(c.sink.at("step-done Sync 0") == Approx(30.0).margin(0.5));
  CHECK_FALSE(c.sink.has("resource-applied test.dev/v1 Widget default/w1"));
}

TEST_CASE("a CRD whose names the API server rejected fails its step at once", "[engine]") {
  Cluster c;
  c.never = {"widgets.test.dev"};
  c.client.on_write([&](const json& o) {
    if (o["kind"] != "CustomResourceDefinition") return;
    c.client.schedule(1s, [&] {
      c.client.set_status(fakes::ref("apiextensions.k8s.io/v1", "CustomResourceDefinition", "", "widgets.test.dev"),
                          {{"conditions", json::array({{{"type", "NamesAccepted"}, {"status", "False"},
                                                        {"reason", "ListKindConflict"},
                                                        {"message", "\"WidgetList\" is already in use"}}})}});
    });
  });
  json crd = widget_crd();
  crd["metadata"]["annotations"][fakes::k_fake_established] = "false";
  auto result = c.sync(plan_of({resource(crd, 0)}));
  CHECK(result.exit_code == exit_code::k_sync_failed);
  REQUIRE_FALSE(result.reasons.empty());
  CHECK(result.reasons[0] == "apiextensions.k8s.io/v1 CustomResourceDefinition widgets.test.dev: its names were not "
                             "accepted: NamesAccepted=False (ListKindConflict: \"WidgetList\" is already in use)");
  CHECK(c.sink.at("step-done Sync 0") == Approx(1.0).margin(0.5));
}
