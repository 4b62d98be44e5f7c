#include "wavesync/applyset/inventory.hpp"

#include "fakes/fake_client.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace wavesync;
using namespace wavesync::applyset;
using nlohmann::json;

namespace {

const ParentRef k_parent{ParentKind::secret, "shop", "shop"};

json config_map(const std::string& ns, const std::string& name, const std::string& part_of_id) {
  json object{{"apiVersion", "v1"}, {"kind", "ConfigMap"}, {"metadata", {{"name", name}, {"namespace", ns}}}};
  if (!part_of_id.empty()) object["metadata"]["labels"] = {{"applyset.kubernetes.io/part-of", part_of_id}};
  return object;
}

json ns(const std::string& name) {
  return json{{"apiVersion", "v1"}, {"kind", "Namespace"}, {"metadata", {{"name", name}}}};
}

Plan plan_of(std::vector<json> objects) {
  std::vector<Resource> resources;
  for (auto& o : objects) {
    Resource r;
    r.set_object(o);
    r.source = SourceLocation{"manifests/app.yaml", 1, 1};
    resources.push_back(std::move(r));
  }
  auto plan = make_plan(std::move(resources), {});
  REQUIRE(plan.ok());
  return std::move(*plan);
}

}  // namespace

TEST_CASE("a missing parent is no inventory; a written one reads back", "[applyset]") {
  fakes::FakeClock clock;
  fakes::FakeClient client(clock);
  client.seed(ns("shop"));
  auto none = fetch_inventory(client, k_parent);
  REQUIRE(none.ok());
  CHECK_FALSE(none->has_value());

  Inventory inventory = inventory_of({{{"", "ConfigMap", "shop", "a"}, "v1"}, {{"", "Namespace", "", "shop"}, "v1"}});
  REQUIRE(write_inventory(client, k_parent, inventory, "wavesync/v0.1.0", kube::DryRun::none).ok());
  auto read = fetch_inventory(client, k_parent);
  REQUIRE(read.ok());
  REQUIRE(read->has_value());
  CHECK((*read)->members == inventory.members);
  auto live = client.object(fakes::ref("v1", "Secret", "shop", "shop"));
  REQUIRE(live);
  CHECK((*live)["metadata"]["labels"]["applyset.kubernetes.io/id"] == applyset_id(k_parent));
}

TEST_CASE("a parent write that conflicts is retried with force, like kubectl", "[applyset]") {
  fakes::FakeClock clock;
  fakes::FakeClient client(clock);
  client.seed(ns("shop"));
  Error conflict{"apply v1 Secret shop/shop: 409 Conflict: conflict with \"kubectl\"", 1, 409};
  client.inject_fault(fakes::Fault{"apply", "Secret", "shop", 1, conflict});
  REQUIRE(write_inventory(client, k_parent, {}, "wavesync/v0.1.0", kube::DryRun::none).ok());
  CHECK(client.writes() == std::vector<std::string>{"apply v1 Secret shop/shop", "apply v1 Secret shop/shop"});
  CHECK(client.object(fakes::ref("v1", "Secret", "shop", "shop")).has_value());
}

TEST_CASE("a parent that belongs to another tool stops the sync", "[applyset]") {
  fakes::FakeClock clock;
  fakes::FakeClient client(clock);
  client.seed(ns("shop"));
  client.seed(parent_object(k_parent, {}, "kubectl/v1.36.3"));
  auto read = fetch_inventory(client, k_parent);
  REQUIRE_FALSE(read.ok());
  CHECK(read.error().message ==
        "applyset parent v1 Secret shop/shop: managed by \"kubectl\", not wavesync; refusing to change it");
}

TEST_CASE("cluster-scoped members are keyed without a namespace", "[applyset]") {
  fakes::FakeClock clock;
  fakes::FakeClient client(clock);
  Plan plan = plan_of({ns("shop"), config_map("shop", "a", "")});
  auto members = plan_members(client, plan);
  CHECK(members == std::map<ResourceKey, std::string>{{{"", "Namespace", "", "shop"}, "v1"},
                                                      {{"", "ConfigMap", "shop", "a"}, "v1"}});
}

TEST_CASE("candidates are the labelled members plus recorded members that lost the label", "[applyset]") {
  fakes::FakeClock clock;
  fakes::FakeClient client(clock);
  const std::string id = applyset_id(k_parent);
  client.seed(ns("shop"));
  client.seed(ns("billing"));
  client.seed(config_map("shop", "labelled", id));
  client.seed(config_map("billing", "elsewhere", id));
  client.seed(config_map("shop", "by-hand", ""));
  client.seed(config_map("shop", "foreign", "applyset-other-v1"));
  client.seed(config_map("shop", "unrelated", ""));
  Inventory inventory = inventory_of({{{"", "ConfigMap", "shop", "labelled"}, "v1"},
                                      {{"", "ConfigMap", "billing", "elsewhere"}, "v1"},
                                      {{"", "ConfigMap", "shop", "by-hand"}, "v1"},
                                      {{"", "ConfigMap", "shop", "foreign"}, "v1"},
                                      {{"", "ConfigMap", "shop", "deleted"}, "v1"}});
  std::vector<std::string> warnings;
  auto found = find_candidates(client, inventory, id, warnings);
  REQUIRE(found.ok());
  std::set<std::string> names;
  for (const LiveObject& live : *found) {
    const json o = live.object();
    names.insert(o["metadata"]["name"].get<std::string>());
    CHECK(o["apiVersion"] == "v1");
    CHECK(o["kind"] == "ConfigMap");
  }
  CHECK(names == std::set<std::string>{"labelled", "elsewhere", "by-hand", "foreign"});
  CHECK(warnings.empty());

  // The manifests' own objects are never candidates: left out, and not even read one by one.
  client.clear_calls();
  const std::set<ResourceKey> keep{{"", "ConfigMap", "shop", "labelled"}, {"", "ConfigMap", "shop", "by-hand"}};
  auto rest = find_candidates(client, inventory, id, warnings, keep);
  REQUIRE(rest.ok());
  names.clear();
  for (const LiveObject& o : *rest) names.insert(o.object()["metadata"]["name"].get<std::string>());
  CHECK(names == std::set<std::string>{"elsewhere", "foreign"});
  for (const std::string& call : client.calls()) CHECK(call.find("by-hand") == std::string::npos);
}

TEST_CASE("candidates keep only what deciding a prune reads", "[applyset]") {
  fakes::FakeClock clock;
  fakes::FakeClient client(clock);
  const std::string id = applyset_id(k_parent);
  client.seed(ns("shop"));
  json labelled = config_map("shop", "labelled", id);
  labelled["metadata"]["labels"]["app"] = "shop";
  labelled["metadata"]["annotations"] = {{"argocd.argoproj.io/sync-wave", "3"},
                                         {"argocd.argoproj.io/sync-options", "Prune=confirm"},
                                         {"helm.sh/resource-policy", "keep"},
                                         {"wavesync.dev/timeout", "1m"},
                                         {"description", "a long text nobody prunes by"}};
  labelled["metadata"]["finalizers"] = {"example.com/hold"};
  labelled["data"] = {{"big", std::string(1000, 'x')}};
  client.seed(labelled);
  json recorded = config_map("shop", "recorded", "");
  recorded["metadata"]["annotations"] = {{"note", "x"}};
  client.seed(recorded);
  Inventory inventory = inventory_of(
      {{{"", "ConfigMap", "shop", "labelled"}, "v1"}, {{"", "ConfigMap", "shop", "recorded"}, "v1"}});
  std::vector<std::string> warnings;
  auto found = find_candidates(client, inventory, id, warnings);
  REQUIRE(found.ok());
  REQUIRE(found->size() == 2);
  const json a = (*found)[0].object();
  const json b = (*found)[1].object();
  const json& first = a["metadata"]["name"] == "labelled" ? a : b;
  const json& second = a["metadata"]["name"] == "labelled" ? b : a;
  CHECK(first == json{{"apiVersion", "v1"},
                      {"kind", "ConfigMap"},
                      {"metadata",
                       {{"name", "labelled"},
                        {"namespace", "shop"},
                        {"labels", {{"applyset.kubernetes.io/part-of", id}}},
                        {"annotations",
                         {{"argocd.argoproj.io/sync-wave", "3"},
                          {"argocd.argoproj.io/sync-options", "Prune=confirm"},
                          {"helm.sh/resource-policy", "keep"},
                          {"wavesync.dev/timeout", "1m"}}},
                        {"finalizers", {"example.com/hold"}}}}});
  // A recorded member without the label is read whole, then trimmed the same way.
  CHECK(second == json{{"apiVersion", "v1"}, {"kind", "ConfigMap"}, {"metadata", {{"name", "recorded"}, {"namespace", "shop"}}}});
}

TEST_CASE("a kind that is no longer served is skipped with a warning", "[applyset]") {
  fakes::FakeClock clock;
  fakes::FakeClient client(clock);
  Inventory inventory = inventory_of({{{"test.wavesync.dev", "Widget", "shop", "w"}, "test.wavesync.dev/v1"}});
  std::vector<std::string> warnings;
  auto found = find_candidates(client, inventory, applyset_id(k_parent), warnings);
  REQUIRE(found.ok());
  CHECK(found->empty());
  CHECK(warnings == std::vector<std::string>{
                        "applyset: test.wavesync.dev/v1 Widget is no longer served; nothing of that kind is left to prune"});
}

TEST_CASE("objects of another ApplySet that the plan would apply over are named", "[applyset]") {
  fakes::FakeClock clock;
  fakes::FakeClient client(clock);
  const std::string id = applyset_id(k_parent);
  client.seed(ns("shop"));
  client.seed(config_map("shop", "taken", "applyset-other-v1"));
  client.seed(config_map("shop", "ours", id));
  Plan plan = plan_of({config_map("shop", "taken", ""), config_map("shop", "ours", ""), config_map("shop", "new", "")});
  auto foreign = foreign_members(client, plan, id);
  REQUIRE(foreign.ok());
  CHECK(*foreign == std::vector<std::string>{"manifests/app.yaml:1: v1 ConfigMap shop/taken belongs to ApplySet "
                                             "applyset-other-v1; wavesync does not adopt it"});
}

TEST_CASE("checking for another ApplySet's objects lists each collection once instead of reading every object",
          "[applyset]") {
  fakes::FakeClock clock;
  fakes::FakeClient client(clock);
  const std::string id = applyset_id(k_parent);
  client.seed(ns("shop"));
  client.seed(ns("billing"));
  client.seed(config_map("billing", "taken", "applyset-other-v1"));
  std::vector<json> objects;
  for (int i = 0; i < 50; ++i) objects.push_back(config_map(i % 2 == 0 ? "shop" : "billing", "cm-" + std::to_string(i), ""));
  objects.push_back(config_map("billing", "taken", ""));
  Plan plan = plan_of(std::move(objects));
  client.clear_calls();
  auto foreign = foreign_members(client, plan, id);
  REQUIRE(foreign.ok());
  CHECK(*foreign == std::vector<std::string>{"manifests/app.yaml:1: v1 ConfigMap billing/taken belongs to ApplySet "
                                             "applyset-other-v1; wavesync does not adopt it"});
  std::vector<std::string> calls;
  for (const std::string& call : client.calls())
    if (call.rfind("resolve ", 0) != 0) calls.push_back(call);  // discovery is cached, not a request
  std::sort(calls.begin(), calls.end());
  // The server leaves out our own members: only another ApplySet's objects come back.
  const std::string selector = "applyset.kubernetes.io/part-of,applyset.kubernetes.io/part-of!=" + id;
  CHECK(calls == std::vector<std::string>{"list v1 ConfigMap billing -l " + selector,
                                          "list v1 ConfigMap shop -l " + selector});
}
