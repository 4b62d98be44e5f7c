// What a live object's sync options add to its manifest's (plan/live_options), as Argo CD's
// applyObject and shouldBeDeleted read them.
#include "wavesync/plan/live_options.hpp"

#include <catch2/catch.hpp>

using nlohmann::json;
using namespace wavesync;

namespace {
json live_with(json annotations) {
  return json{{"apiVersion", "v1"}, {"kind", "ConfigMap"},
              {"metadata", {{"name", "a"}, {"namespace", "shop"}, {"annotations", std::move(annotations)}}}};
}
SyncOptions options(std::map<std::string, std::string> values) {
  SyncOptions o;
  o.values = std::move(values);
  return o;
}
}  // namespace

TEST_CASE("Replace=true and Force=true count from the manifest or the live object", "[plan][live]") {
  const SyncOptions none;
  CHECK(write_mode(none, none) == WriteMode::apply);
  CHECK(write_mode(none, options({{"Replace", "true"}})) == WriteMode::replace);
  CHECK(write_mode(none, options({{"Force", "true"}})) == WriteMode::force);
  CHECK(write_mode(options({{"Replace", "true"}}), options({{"Force", "true"}})) == WriteMode::replace_force);
  // Only `true` turns them on; the live object cannot turn off what the manifest asks for.
  CHECK(write_mode(options({{"Replace", "true"}}), options({{"Replace", "false"}})) == WriteMode::replace);
  CHECK(write_mode(none, options({{"Replace", "True"}})) == WriteMode::apply);
  // Other live options do not change how it is written.
  CHECK(write_mode(none, options({{"Validate", "false"}, {"Prune", "false"}})) == WriteMode::apply);
}

TEST_CASE("the live object's sync options are read as a manifest's", "[plan][live]") {
  auto o = live_sync_options(live_with({{"argocd.argoproj.io/sync-options", "Replace=true, Prune=false,bad"}}));
  CHECK(o.has("Replace", "true"));
  CHECK(o.has("Prune", "false"));
  CHECK(live_sync_options(json{{"metadata", {{"annotations", {{"argocd.argoproj.io/sync-options", 7}}}}}})
            .values.empty());
  CHECK(live_sync_options(json::array()).values.empty());
}

TEST_CASE("delete keeps what the live object marks Delete=false or resource-policy keep", "[plan][live]") {
  CHECK(kept_by_live_object(live_with({{"argocd.argoproj.io/sync-options", "Delete=false"}})) ==
        "Delete=false on the live object");
  CHECK(kept_by_live_object(live_with({{"helm.sh/resource-policy", "keep"}})) ==
        "helm.sh/resource-policy: keep on the live object");
  CHECK(!kept_by_live_object(live_with({{"argocd.argoproj.io/sync-options", "Delete=true"}})));
  CHECK(!kept_by_live_object(live_with({{"helm.sh/resource-policy", "delete"}})));
  CHECK(!kept_by_live_object(live_with(json::object())));
  CHECK(!kept_by_live_object(json("not an object")));
}
