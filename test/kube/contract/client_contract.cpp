#include "kube/contract/client_contract.hpp"

#include "wavesync/kube/server_json.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <thread>
#include <vector>

namespace wavesync::test::contract {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

json config_map(const std::string& ns, const std::string& name, const std::string& value) {
  return json{{"apiVersion", "v1"},
              {"kind", "ConfigMap"},
              {"metadata", {{"name", name}, {"namespace", ns}, {"labels", {{"contract", "yes"}}}}},
              {"data", {{"key", value}}}};
}

kube::ObjectRef cm_ref(const std::string& ns, const std::string& name) {
  return kube::ObjectRef{"v1", "ConfigMap", ns, name};
}

std::string type_of(const kube::WatchEvent& e) {
  return e.type == kube::WatchEvent::Type::added      ? "added"
         : e.type == kube::WatchEvent::Type::modified ? "modified"
                                                      : "deleted";
}

// The next event for a ConfigMap in the watched set, as `type name key-value`.
std::string next_event(kube::Watch& watch) {
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (std::chrono::steady_clock::now() < deadline) {
    auto e = watch.next(200ms);
    REQUIRE(e.ok());
    if (!e->has_value()) continue;
    const json& o = (*e)->object;
    std::string value;
    if (o.contains("data") && o["data"].contains("key")) value = o["data"]["key"].get<std::string>();
    return type_of(**e) + " " + o["metadata"].value("name", "") + " " + value;
  }
  return "timeout";
}

// Polls until the applied CRD reports Established=True and discovery knows its kind in every
// served version (the API server publishes it in discovery a little after Established; HA
// servers lag further: kubernetes#62725, #63068, #125471). The engine has its own wait; this is
// the contract's.
bool crd_ready(kube::Client& client, const json& crd, std::chrono::milliseconds timeout, std::string& missing) {
  const kube::ObjectRef ref = object_ref_of(crd);
  const json* spec = object_at(crd, {"spec"});
  if (spec == nullptr) return false;
  const json* names = object_at(*spec, {"names"});
  const std::string kind = names != nullptr ? string_at(*names, {"kind"}) : std::string();
  std::vector<std::string> versions;
  if (const json* listed = array_at(*spec, {"versions"})) {
    for (const json& v : *listed) versions.push_back(string_at(*spec, {"group"}) + "/" + string_at(v, {"name"}));
  }
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    missing = "condition Established";
    auto live = client.get(ref);
    if (live.ok() && live->has_value()) {
      const json* status = object_at(**live, {"status"});
      const json* conditions = status != nullptr ? array_at(*status, {"conditions"}) : nullptr;
      bool established = false;
      if (conditions != nullptr) {
        for (const json& c : *conditions) {
          if (string_at(c, {"type"}) == "Established" && string_at(c, {"status"}) == "True") established = true;
        }
      }
      if (established) {
        missing.clear();
        for (const std::string& api_version : versions) {
          if (!client.resolve(api_version, kind)) missing = "kind " + kind + " in " + api_version + " in discovery";
        }
        if (missing.empty()) return true;
      }
    }
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(100ms);
    if (!missing.starts_with("condition")) (void)client.refresh_discovery();
  }
}

}  // namespace

void make_namespace(kube::Client& client, const std::string& namespace_name) {
  const json ns{{"apiVersion", "v1"}, {"kind", "Namespace"}, {"metadata", {{"name", namespace_name}}}};
  auto r = client.apply({ns}, kube::ApplyOptions{});
  REQUIRE(r.size() == 1);
  INFO((r[0].ok() ? "" : r[0].error().message));
  REQUIRE(r[0].ok());
  auto live = client.get(kube::ObjectRef{"v1", "Namespace", "", namespace_name});
  REQUIRE(live.ok());
  REQUIRE(live->has_value());
}

void apply_get_update_delete_round_trip(kube::Client& client, const std::string& ns) {
  auto first = client.apply({config_map(ns, "round-trip", "one")}, kube::ApplyOptions{});
  REQUIRE(first[0].ok());
  const std::string uid = first[0]->object["metadata"].value("uid", "");
  CHECK_FALSE(uid.empty());
  CHECK(first[0]->object["data"]["key"] == "one");

  auto got = client.get(cm_ref(ns, "round-trip"));
  REQUIRE(got.ok());
  REQUIRE(got->has_value());
  CHECK((**got)["metadata"]["uid"] == uid);
  CHECK((**got)["data"]["key"] == "one");

  auto second = client.apply({config_map(ns, "round-trip", "two")}, kube::ApplyOptions{});
  REQUIRE(second[0].ok());
  CHECK(second[0]->object["metadata"]["uid"] == uid);
  CHECK(second[0]->object["data"]["key"] == "two");
  CHECK(second[0]->object["metadata"]["resourceVersion"] != first[0]->object["metadata"]["resourceVersion"]);

  REQUIRE(client.remove(cm_ref(ns, "round-trip"), kube::Propagation::background).ok());
  auto gone = client.get(cm_ref(ns, "round-trip"));
  REQUIRE(gone.ok());
  CHECK_FALSE(gone->has_value());
  // Deleting what is already gone is success.
  CHECK(client.remove(cm_ref(ns, "round-trip"), kube::Propagation::background).ok());
}

void merge_patch_sets_and_removes_keys(kube::Client& client, const std::string& ns) {
  json object = config_map(ns, "merged", "one");
  object["data"]["gone"] = "x";
  REQUIRE(client.apply({object}, kube::ApplyOptions{})[0].ok());
  const json patch{{"data", {{"key", "two"}, {"gone", nullptr}, {"new", "n"}}}};
  kube::ApplyOptions dry{kube::DryRun::all, kube::ForceConflicts::no, "wavesync", kube::FieldValidation::ignore};
  auto tried = client.merge_patch(cm_ref(ns, "merged"), patch, dry);
  REQUIRE(tried.ok());
  CHECK(tried->object["data"] == json{{"key", "two"}, {"new", "n"}});
  auto unchanged = client.get(cm_ref(ns, "merged"));
  REQUIRE(unchanged.ok());
  REQUIRE(unchanged->has_value());
  CHECK((**unchanged)["data"]["key"] == "one");
  kube::ApplyOptions real = dry;
  real.dry_run = kube::DryRun::none;
  auto done = client.merge_patch(cm_ref(ns, "merged"), patch, real);
  REQUIRE(done.ok());
  CHECK(done->object["data"] == json{{"key", "two"}, {"new", "n"}});
  CHECK(done->object["metadata"]["uid"] == (**unchanged)["metadata"]["uid"]);
  auto missing = client.merge_patch(cm_ref(ns, "never-there"), patch, real);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().http_status == 404);
  REQUIRE(client.remove(cm_ref(ns, "merged"), kube::Propagation::background).ok());
}

void get_of_a_missing_object_is_empty(kube::Client& client, const std::string& ns) {
  auto got = client.get(cm_ref(ns, "never-created"));
  REQUIRE(got.ok());
  CHECK_FALSE(got->has_value());
}

void dry_run_apply_does_not_persist(kube::Client& client, const std::string& ns) {
  kube::ApplyOptions dry;
  dry.dry_run = kube::DryRun::all;
  auto r = client.apply({config_map(ns, "dry", "x")}, dry);
  REQUIRE(r[0].ok());
  CHECK(r[0]->object["metadata"]["name"] == "dry");
  CHECK(r[0]->object["data"]["key"] == "x");
  auto got = client.get(cm_ref(ns, "dry"));
  REQUIRE(got.ok());
  CHECK_FALSE(got->has_value());
}

void create_with_generate_name_picks_a_name(kube::Client& client, const std::string& ns) {
  const json object{{"apiVersion", "v1"},
                    {"kind", "ConfigMap"},
                    {"metadata", {{"generateName", "gen-"}, {"namespace", ns}}},
                    {"data", {{"key", "g"}}}};
  auto created = client.create(object, kube::DryRun::none);
  REQUIRE(created.ok());
  const std::string name = created->object["metadata"].value("name", "");
  CHECK(name.rfind("gen-", 0) == 0);
  CHECK(name.size() > 4);
  auto got = client.get(cm_ref(ns, name));
  REQUIRE(got.ok());
  CHECK(got->has_value());
  REQUIRE(client.remove(cm_ref(ns, name), kube::Propagation::background).ok());
}

void list_returns_items_and_a_resource_version(kube::Client& client, const std::string& ns) {
  REQUIRE(client.apply({config_map(ns, "listed-1", "1"), config_map(ns, "listed-2", "2")},
                       kube::ApplyOptions{})[1].ok());
  auto list = client.list(kube::WatchRequest{"v1", "ConfigMap", ns, "contract=yes", ""});
  REQUIRE(list.ok());
  std::vector<std::string> names;
  for (const auto& item : (*list)["items"]) names.push_back(item["metadata"]["name"]);
  std::sort(names.begin(), names.end());
  CHECK(names == std::vector<std::string>{"listed-1", "listed-2"});
  CHECK_FALSE((*list)["metadata"].value("resourceVersion", "").empty());
  for (const char* name : {"listed-1", "listed-2"}) {
    REQUIRE(client.remove(cm_ref(ns, name), kube::Propagation::background).ok());
  }
}

void watch_sees_current_state_then_changes(kube::Client& client, const std::string& ns) {
  json a = config_map(ns, "watched-a", "1");
  a["metadata"]["labels"]["watch"] = "me";
  REQUIRE(client.apply({a}, kube::ApplyOptions{})[0].ok());
  auto watch = client.watch({kube::WatchRequest{"v1", "ConfigMap", ns, "watch=me", ""}}, {});
  REQUIRE(watch.ok());
  CHECK(next_event(**watch) == "added watched-a 1");
  json b = config_map(ns, "watched-b", "1");
  b["metadata"]["labels"]["watch"] = "me";
  REQUIRE(client.apply({b}, kube::ApplyOptions{})[0].ok());
  CHECK(next_event(**watch) == "added watched-b 1");
  a["data"]["key"] = "2";
  REQUIRE(client.apply({a}, kube::ApplyOptions{})[0].ok());
  CHECK(next_event(**watch) == "modified watched-a 2");
  REQUIRE(client.remove(cm_ref(ns, "watched-b"), kube::Propagation::background).ok());
  CHECK(next_event(**watch) == "deleted watched-b 1");
  REQUIRE(client.remove(cm_ref(ns, "watched-a"), kube::Propagation::background).ok());
}

void unknown_kind_is_an_error(kube::Client& client, const std::string& ns) {
  auto type = client.resolve("nothing.wavesync.dev/v1", "Nothing");
  REQUIRE_FALSE(type.ok());
  CHECK(type.error().http_status == 404);
  const json object{{"apiVersion", "nothing.wavesync.dev/v1"},
                    {"kind", "Nothing"},
                    {"metadata", {{"name", "x"}, {"namespace", ns}}}};
  auto r = client.apply({object}, kube::ApplyOptions{});
  REQUIRE_FALSE(r[0].ok());
  CHECK(r[0].error().message.find("Nothing") != std::string::npos);
}

void crd_and_custom_resource_in_one_run(kube::Client& client, const std::string& ns,
                                        const std::string& group) {
  const json crd = json::parse(R"({"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition",
    "metadata":{"name":"widgets.)" + group + R"("},
    "spec":{"group":")" + group + R"(","scope":"Namespaced",
      "names":{"plural":"widgets","singular":"widget","kind":"Widget","listKind":"WidgetList"},
      "versions":[{"name":"v1","served":true,"storage":true,
        "schema":{"openAPIV3Schema":{"type":"object","properties":{"spec":{"type":"object",
          "properties":{"size":{"type":"integer"}}}}}}}]}})");
  auto applied = client.apply({crd}, kube::ApplyOptions{});
  INFO((applied[0].ok() ? "" : applied[0].error().message));
  REQUIRE(applied[0].ok());
  std::string missing;
  const bool ready = crd_ready(client, applied[0]->object, 60s, missing);
  INFO("still missing: " + missing);
  REQUIRE(ready);
  const json widget{{"apiVersion", group + "/v1"},
                    {"kind", "Widget"},
                    {"metadata", {{"name", "w1"}, {"namespace", ns}}},
                    {"spec", {{"size", 3}}}};
  auto cr = client.apply({widget}, kube::ApplyOptions{});
  INFO((cr[0].ok() ? "" : cr[0].error().message));
  REQUIRE(cr[0].ok());
  auto got = client.get(kube::ObjectRef{group + "/v1", "Widget", ns, "w1"});
  REQUIRE(got.ok());
  REQUIRE(got->has_value());
  CHECK((**got)["spec"]["size"] == 3);
  REQUIRE(client.remove(kube::ObjectRef{group + "/v1", "Widget", ns, "w1"}, kube::Propagation::background).ok());
  REQUIRE(client.remove(kube::ObjectRef{"apiextensions.k8s.io/v1", "CustomResourceDefinition", "", "widgets." + group},
                        kube::Propagation::background).ok());
}

}  // namespace wavesync::test::contract
