// The fake client's own behaviour: what engine tests rely on.
#include "fakes/fake_client.hpp"

#include <catch2/catch.hpp>

using nlohmann::json;
using namespace wavesync;
using namespace std::chrono_literals;

namespace {
json config_map(const std::string& ns, const std::string& name, const std::string& value) {
  return json{{"apiVersion", "v1"}, {"kind", "ConfigMap"},
              {"metadata", {{"name", name}, {"namespace", ns}}}, {"data", {{"k", value}}}};
}
}  // namespace

TEST_CASE("the fake client records applies as readable strings", "[fakes]") {
  fakes::FakeClock clock;
  fakes::FakeClient client(clock);
  auto results = client.apply({config_map("default", "a", "1")}, {});
  REQUIRE(results.size() == 1);
  REQUIRE(results[0].ok());
  CHECK(client.writes() == std::vector<std::string>{"apply v1 ConfigMap default/a"});
  CHECK(client.object(fakes::ref("v1", "ConfigMap", "default", "a")).has_value());
}

TEST_CASE("the fake client keeps resourceVersion when an apply changes nothing", "[fakes]") {
  fakes::FakeClock clock;
  fakes::FakeClient client(clock);
  auto first = client.apply({config_map("default", "a", "1")}, {});
  auto second = client.apply({config_map("default", "a", "1")}, {});
  auto third = client.apply({config_map("default", "a", "2")}, {});
  CHECK(first[0]->object["metadata"]["resourceVersion"] == second[0]->object["metadata"]["resourceVersion"]);
  CHECK(first[0]->object["metadata"]["resourceVersion"] != third[0]->object["metadata"]["resourceVersion"]);
  CHECK(third[0]->object["metadata"]["generation"] == 2);
}

TEST_CASE("the fake client rejects objects in a missing namespace with 404", "[fakes]") {
  fakes::FakeClock clock;
  fakes::FakeClient client(clock);
  auto results = client.apply({config_map("shop", "a", "1")}, {});
  REQUIRE_FALSE(results[0].ok());
  CHECK(results[0].error().http_status == 404);
  CHECK(results[0].error().message == "apply v1 ConfigMap shop/a: 404 Not Found: namespaces \"shop\" not found");
}

TEST_CASE("the fake client rejects a changed Job template as immutable", "[fakes]") {
  fakes::FakeClock clock;
  fakes::FakeClient client(clock);
  json job{{"apiVersion", "batch/v1"}, {"kind", "Job"}, {"metadata", {{"name", "j"}, {"namespace", "default"}}},
           {"spec", {{"template", {{"spec", {{"containers", json::array({{{"image", "a"}}})}}}}}}}};
  REQUIRE(client.apply({job}, {})[0].ok());
  job["spec"]["template"]["spec"]["containers"][0]["image"] = "b";
  auto r = client.apply({job}, {});
  REQUIRE_FALSE(r[0].ok());
  CHECK(r[0].error().http_status == 422);
  CHECK(r[0].error().message.find("spec.template: Invalid value") != std::string::npos);
}

TEST_CASE("the fake watch delivers current objects, then changes, and advances the fake clock", "[fakes]") {
  fakes::FakeClock clock;
  fakes::FakeClient client(clock);
  REQUIRE(client.apply({config_map("default", "a", "1")}, {})[0].ok());
  auto watch = client.watch({kube::WatchRequest{"v1", "ConfigMap", "default"}}, {});
  REQUIRE(watch.ok());
  auto first = (*watch)->next(1s);
  REQUIRE(first.ok());
  REQUIRE(first->has_value());
  CHECK((*first)->type == kube::WatchEvent::Type::added);
  auto start = clock.now();
  client.schedule(3s, [&] { client.set_status(fakes::ref("v1", "ConfigMap", "default", "a"), json{{"x", 1}}); });
  auto second = (*watch)->next(10s);
  REQUIRE(second.ok());
  REQUIRE(second->has_value());
  CHECK((*second)->type == kube::WatchEvent::Type::modified);
  CHECK(clock.now() - start == 3s);
  auto none = (*watch)->next(5s);
  REQUIRE(none.ok());
  CHECK_FALSE(none->has_value());
  CHECK(clock.now() - start == 8s);
}

TEST_CASE("the fake client holds objects with finalizers until they are cleared", "[fakes]") {
  fakes::FakeClock clock;
  fakes::FakeClient client(clock);
  json cm = config_map("default", "a", "1");
  cm["metadata"]["finalizers"] = json::array({"example.com/hold"});
  REQUIRE(client.apply({cm}, {})[0].ok());
  auto r = fakes::ref("v1", "ConfigMap", "default", "a");
  REQUIRE(client.remove(r, kube::Propagation::foreground).ok());
  REQUIRE(client.object(r).has_value());
  CHECK(client.object(r)->at("metadata").contains("deletionTimestamp"));
  client.clear_finalizers(r);
  CHECK_FALSE(client.object(r).has_value());
}

TEST_CASE("the fake client fails the next matching call when a fault is injected", "[fakes]") {
  fakes::FakeClock clock;
  fakes::FakeClient client(clock);
  client.inject_fault({"apply", "ConfigMap", "", 1, Error{"boom", 1, 500}});
  CHECK_FALSE(client.apply({config_map("default", "a", "1")}, {})[0].ok());
  CHECK(client.apply({config_map("default", "a", "1")}, {})[0].ok());
}

TEST_CASE("the fake client serves a custom kind only after its CRD is established and discovery refreshed", "[fakes]") {
  fakes::FakeClock clock;
  fakes::FakeClient client(clock);
  json crd{{"apiVersion", "apiextensions.k8s.io/v1"}, {"kind", "CustomResourceDefinition"},
           {"metadata", {{"name", "widgets.test.dev"}}},
           {"spec", {{"group", "test.dev"}, {"scope", "Namespaced"},
                     {"names", {{"kind", "Widget"}, {"plural", "widgets"}}},
                     {"versions", json::array({{{"name", "v1"}}})}}}};
  CHECK_FALSE(client.resolve("test.dev/v1", "Widget").ok());
  REQUIRE(client.apply({crd}, {})[0].ok());
  CHECK_FALSE(client.resolve("test.dev/v1", "Widget").ok());
  REQUIRE(client.refresh_discovery().ok());
  auto t = client.resolve("test.dev/v1", "Widget");
  REQUIRE(t.ok());
  CHECK(t->resource == "widgets");
}

TEST_CASE("the fake client names generateName objects on create", "[fakes]") {
  fakes::FakeClock clock;
  fakes::FakeClient client(clock);
  json cm{{"apiVersion", "v1"}, {"kind", "ConfigMap"}, {"metadata", {{"generateName", "x-"}, {"namespace", "default"}}}};
  auto r = client.create(cm, kube::DryRun::none);
  REQUIRE(r.ok());
  std::string name = r->object["metadata"]["name"];
  CHECK(name.rfind("x-", 0) == 0);
  CHECK(name.size() == 7);
  CHECK(client.writes() == std::vector<std::string>{"create v1 ConfigMap default/x-"});
}
