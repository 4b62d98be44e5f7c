// The ApplySet session against the fake client: foreign members refused, the superset recorded
// before the sync's first write and the exact set after it, prunes planned, warnings returned.
#include "wavesync/applyset/session.hpp"

#include "wavesync/applyset/inventory.hpp"

#include "engine/engine_fixture.hpp"

#include <catch2/catch.hpp>

using namespace wavesync;
using namespace wavesync::test;

namespace {

const applyset::ParentRef k_parent{applyset::ParentKind::secret, "shop", "shop"};
const std::string k_tooling = "wavesync/v0.0.0-test";

applyset::SessionOptions options_for(applyset::Pruning pruning = applyset::Pruning::off,
                                     kube::DryRun dry_run = kube::DryRun::none) {
  applyset::SessionOptions options;
  options.parent = k_parent;
  options.pruning = pruning;
  options.dry_run = dry_run;
  options.tooling = k_tooling;
  return options;
}

json labelled(json object, const std::string& id) {
  object["metadata"]["labels"][applyset::k_part_of_label] = id;
  return object;
}

ResourceKey cm_key(const std::string& name) { return ResourceKey{"", "ConfigMap", "shop", name}; }

// The parent as an earlier sync left it, recording `names` (ConfigMaps in shop).
void seed_parent(fakes::FakeClient& client, const std::vector<std::string>& names) {
  std::map<ResourceKey, std::string> members;
  for (const auto& name : names) members[cm_key(name)] = "v1";
  client.seed(applyset::parent_object(k_parent, applyset::inventory_of(members), k_tooling));
}

std::set<std::string> recorded(fakes::FakeClient& client) {
  auto inventory = applyset::fetch_inventory(client, k_parent);
  REQUIRE(inventory.ok());
  REQUIRE(inventory->has_value());
  std::set<std::string> names;
  for (const auto& [key, api_version] : (*inventory)->members) names.insert(key.name);
  return names;
}

std::string part_of_label(const Plan& plan, const std::string& name) {
  for (const Step& step : plan.steps)
    for (const PlannedResource& planned : step.resources)
      if (planned.resource.name() == name) return applyset::part_of(planned.resource.object());
  return "?";
}

}  // namespace

TEST_CASE("an object of another ApplySet is refused before anything is written", "[applyset][session]") {
  Cluster c;
  c.seed_namespace("shop");
  c.client.seed(labelled(config_map("shop", "taken"), "applyset-other-v1"));
  auto begun = applyset::begin(c.client, plan_of({resource(config_map("shop", "taken"))}), options_for());
  REQUIRE_FALSE(begun.ok());
  CHECK(begun.error().exit_code == exit_code::k_sync_failed);
  CHECK(begun.error().message ==
        "refusing to apply over objects of another ApplySet:\n"
        "  manifests/app.yaml:1: v1 ConfigMap shop/taken belongs to ApplySet applyset-other-v1; wavesync does not "
        "adopt it");
  CHECK(c.client.writes().empty());
}

TEST_CASE("without a parent, objects of any ApplySet are still refused and nothing is recorded",
          "[applyset][session]") {
  Cluster c;
  c.seed_namespace("shop");
  c.client.seed(labelled(config_map("shop", "taken"), "applyset-other-v1"));
  applyset::SessionOptions options;
  options.no_parent_reason = "manifests read from stdin";
  auto refused = applyset::begin(c.client, plan_of({resource(config_map("shop", "taken"))}), options);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().exit_code == exit_code::k_sync_failed);

  auto begun = applyset::begin(c.client, plan_of({resource(config_map("shop", "free"))}), options);
  REQUIRE(begun.ok());
  CHECK_FALSE(begun->session.recording());
  CHECK(part_of_label(begun->plan, "free").empty());
  REQUIRE(begun->session.write_superset(c.client).ok());
  REQUIRE(begun->session.commit(c.client).ok());
  CHECK(c.client.writes().empty());
}

TEST_CASE("--prune without a parent is refused, saying why there is none", "[applyset][session]") {
  Cluster c;
  applyset::SessionOptions options;
  options.pruning = applyset::Pruning::on;
  options.no_parent_reason = "/tmp/x is a temporary directory";
  auto begun = applyset::begin(c.client, plan_of({resource(config_map("shop", "a"))}), options);
  REQUIRE_FALSE(begun.ok());
  CHECK(begun.error().exit_code == exit_code::k_usage);
  CHECK(begun.error().message ==
        "--prune needs an ApplySet name to know what was deployed before: /tmp/x is a temporary directory; pass "
        "--applyset NAME");
}

TEST_CASE("begin labels the plan's members and plans the prune of a member no longer in the manifests",
          "[applyset][session]") {
  Cluster c;
  c.seed_namespace("shop");
  const std::string id = applyset::applyset_id(k_parent);
  seed_parent(c.client, {"kept", "gone"});
  c.client.seed(labelled(config_map("shop", "kept"), id));
  c.client.seed(labelled(config_map("shop", "gone"), id));
  auto begun = applyset::begin(c.client, plan_of({resource(config_map("shop", "kept"))}),
                               options_for(applyset::Pruning::on));
  REQUIRE(begun.ok());
  CHECK(part_of_label(begun->plan, "kept") == id);
  const applyset::Session& session = begun->session;
  CHECK(session.recording());
  REQUIRE(session.previous().has_value());
  CHECK(session.previous()->members.size() == 2);
  REQUIRE(session.prunes().targets.size() == 1);
  CHECK(session.prunes().targets[0].key == cm_key("gone"));
  CHECK(session.warnings().empty());
  CHECK(session.end_warnings().empty());  // --prune deletes it, so there is nothing to warn about
  CHECK(c.client.writes().empty());       // begin reads; it writes nothing
}

TEST_CASE("the superset is recorded once the dry run passed, before the sync's first write; the exact set after",
          "[applyset][session]") {
  Cluster c;
  c.seed_namespace("shop");
  const std::string id = applyset::applyset_id(k_parent);
  seed_parent(c.client, {"old"});
  c.client.seed(labelled(config_map("shop", "old"), id));
  auto begun = applyset::begin(c.client, plan_of({resource(config_map("shop", "new"))}),
                               options_for(applyset::Pruning::on));
  REQUIRE(begun.ok());
  const applyset::Session& session = begun->session;

  engine::RunOptions options;
  options.prunes = session.prunes().targets;
  std::set<std::string> during;
  std::size_t writes_before = 99;
  options.before_first_write = [&]() -> Result<void> {
    writes_before = c.client.writes().size();
    auto written = session.write_superset(c.client);
    during = recorded(c.client);
    return written;
  };
  auto result = c.sync(begun->plan, options);
  REQUIRE(result.exit_code == 0);
  CHECK(writes_before == 0);
  CHECK(during == std::set<std::string>{"new", "old"});
  REQUIRE(session.commit(c.client).ok());
  CHECK(recorded(c.client) == std::set<std::string>{"new"});
  CHECK(c.client.writes() == std::vector<std::string>{"apply v1 Secret shop/shop", "delete v1 ConfigMap shop/old foreground",
                                                      "apply v1 ConfigMap shop/new", "apply v1 Secret shop/shop"});
}

TEST_CASE("the superset waits for a parent namespace this sync creates", "[applyset][session]") {
  Cluster c;
  auto begun = applyset::begin(c.client, plan_of({resource(c.ns("shop"), -1), resource(config_map("shop", "a"))}),
                               options_for());
  REQUIRE(begun.ok());
  REQUIRE(begun->session.write_superset(c.client).ok());
  CHECK(c.client.writes().empty());
}

TEST_CASE("warnings are returned, not printed: members left alone and why, and what --prune would delete",
          "[applyset][session]") {
  Cluster c;
  c.seed_namespace("shop");
  const std::string id = applyset::applyset_id(k_parent);
  seed_parent(c.client, {"by-hand", "moved", "stale"});
  c.client.seed(config_map("shop", "by-hand"));                           // recorded, but not labelled
  c.client.seed(labelled(config_map("shop", "moved"), "applyset-other-v1"));  // now another set's
  c.client.seed(labelled(config_map("shop", "stale"), id));
  auto begun = applyset::begin(c.client, plan_of({resource(config_map("shop", "a"))}), options_for());
  REQUIRE(begun.ok());
  const applyset::Session& session = begun->session;
  CHECK(session.warnings() ==
        std::vector<std::string>{
            "v1 ConfigMap shop/by-hand: not pruned: it exists without the applyset.kubernetes.io/part-of label, so "
            "wavesync did not create it",
            "v1 ConfigMap shop/moved: not pruned: it belongs to ApplySet applyset-other-v1"});
  CHECK(session.end_warnings() ==
        std::vector<std::string>{"these objects are no longer in the manifests; --prune would delete them:\n"
                                 "  v1 ConfigMap shop/stale (wave 0)"});
  // Without --prune the object it would delete stays recorded.
  REQUIRE(session.commit(c.client).ok());
  CHECK(recorded(c.client) == std::set<std::string>{"a", "stale"});
}

TEST_CASE("a dry run records no parent", "[applyset][session]") {
  Cluster c;
  c.seed_namespace("shop");
  auto begun = applyset::begin(c.client, plan_of({resource(config_map("shop", "a"))}),
                               options_for(applyset::Pruning::off, kube::DryRun::all));
  REQUIRE(begun.ok());
  REQUIRE(begun->session.write_superset(c.client).ok());
  REQUIRE(begun->session.commit(c.client).ok());
  CHECK(c.client.writes().empty());
}

TEST_CASE("a parent write that fails is the commit's error", "[applyset][session]") {
  Cluster c;
  c.seed_namespace("shop");
  auto begun = applyset::begin(c.client, plan_of({resource(config_map("shop", "a"))}), options_for());
  REQUIRE(begun.ok());
  c.client.inject_fault(fakes::Fault{"apply", "Secret", "shop", 1,
                                     Error{"apply v1 Secret shop/shop: 403 Forbidden: no", 1, 403}});
  auto committed = begun->session.commit(c.client);
  REQUIRE_FALSE(committed.ok());
  CHECK(committed.error().message.find("403 Forbidden") != std::string::npos);
}
