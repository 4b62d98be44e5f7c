// Client-side apply ownership moved to wavesync's Apply manager, as client-go's csaupgrade.
#include "wavesync/engine/adoption.hpp"

#include <catch2/catch.hpp>

using namespace wavesync;
using nlohmann::json;

namespace {

json live_with(json managed_fields) {
  return json{{"apiVersion", "v1"},
              {"kind", "ConfigMap"},
              {"metadata", {{"name", "c"}, {"resourceVersion", "42"}, {"managedFields", std::move(managed_fields)}}}};
}

json csa_entry() {
  return json::parse(R"({"manager":"kubectl-client-side-apply","operation":"Update","apiVersion":"v1",
    "time":"2026-01-01T00:00:00Z","fieldsType":"FieldsV1",
    "fieldsV1":{"f:data":{".":{},"f:a":{},"f:b":{}},"f:metadata":{"f:annotations":{".":{},
    "f:kubectl.kubernetes.io/last-applied-configuration":{}}}}})");
}

}  // namespace

TEST_CASE("an object kubectl applied client-side gets its fields moved to wavesync's Apply manager", "[engine][adoption]") {
  const json apply = json::parse(R"({"manager":"wavesync","operation":"Apply","apiVersion":"v1",
    "time":"2026-01-02T00:00:00Z","fieldsType":"FieldsV1","fieldsV1":{"f:data":{"f:a":{}}}})");
  auto patch = engine::client_side_apply_migration(live_with(json::array({apply, csa_entry()})), "wavesync");
  REQUIRE(patch.has_value());
  REQUIRE(patch->size() == 2);
  CHECK((*patch)[0]["op"] == "replace");
  CHECK((*patch)[0]["path"] == "/metadata/managedFields");
  const json& entries = (*patch)[0]["value"];
  REQUIRE(entries.size() == 1);
  CHECK(entries[0]["manager"] == "wavesync");
  CHECK(entries[0]["operation"] == "Apply");
  CHECK(entries[0]["fieldsV1"] == json::parse(R"({"f:data":{".":{},"f:a":{},"f:b":{}},"f:metadata":{"f:annotations":{".":{},
    "f:kubectl.kubernetes.io/last-applied-configuration":{}}}})"));
  CHECK((*patch)[1] == json{{"op", "replace"}, {"path", "/metadata/resourceVersion"}, {"value", "42"}});
}

TEST_CASE("without an Apply entry the client-side entry itself becomes wavesync's", "[engine][adoption]") {
  const json other = json::parse(R"({"manager":"kube-controller-manager","operation":"Update","apiVersion":"v1",
    "fieldsType":"FieldsV1","fieldsV1":{"f:data":{"f:c":{}}}})");
  auto patch = engine::client_side_apply_migration(live_with(json::array({csa_entry(), other})), "wavesync");
  REQUIRE(patch.has_value());
  const json& entries = (*patch)[0]["value"];
  REQUIRE(entries.size() == 2);
  CHECK(entries[0]["manager"] == "wavesync");
  CHECK(entries[0]["operation"] == "Apply");
  CHECK(entries[0]["time"] == "2026-01-01T00:00:00Z");
  CHECK(entries[0]["fieldsV1"] == csa_entry()["fieldsV1"]);
  CHECK(entries[1] == other);  // other managers are left alone
}

TEST_CASE("an Update manager owning last-applied-configuration counts as client-side apply", "[engine][adoption]") {
  json renamed = csa_entry();
  renamed["manager"] = "kubectl-edit-old";
  auto patch = engine::client_side_apply_migration(live_with(json::array({renamed})), "wavesync");
  REQUIRE(patch.has_value());
  CHECK((*patch)[0]["value"][0]["manager"] == "wavesync");
}

TEST_CASE("wavesync's own Update entry (a Validate=false or Replace=true write) moves into its Apply entry",
          "[engine][adoption]") {
  const json apply = json::parse(R"({"manager":"wavesync","operation":"Apply","apiVersion":"v1",
    "fieldsType":"FieldsV1","fieldsV1":{"f:data":{"f:a":{}}}})");
  const json update = json::parse(R"({"manager":"wavesync","operation":"Update","apiVersion":"v1",
    "fieldsType":"FieldsV1","fieldsV1":{"f:data":{".":{},"f:a":{},"f:b":{}}}})");
  auto patch = engine::client_side_apply_migration(live_with(json::array({apply, update})), "wavesync");
  REQUIRE(patch.has_value());
  const json& entries = (*patch)[0]["value"];
  REQUIRE(entries.size() == 1);
  CHECK(entries[0]["operation"] == "Apply");
  CHECK(entries[0]["fieldsV1"] == json::parse(R"({"f:data":{".":{},"f:a":{},"f:b":{}}})"));
}

TEST_CASE("nothing to migrate: no patch", "[engine][adoption]") {
  const json apply = json::parse(R"({"manager":"wavesync","operation":"Apply","apiVersion":"v1",
    "fieldsType":"FieldsV1","fieldsV1":{"f:data":{"f:a":{}}}})");
  const json helm = json::parse(R"({"manager":"helm","operation":"Update","apiVersion":"v1",
    "fieldsType":"FieldsV1","fieldsV1":{"f:data":{"f:a":{}}}})");
  json status_csa = csa_entry();
  status_csa["subresource"] = "status";
  CHECK_FALSE(engine::client_side_apply_migration(live_with(json::array({apply, helm})), "wavesync").has_value());
  CHECK_FALSE(engine::client_side_apply_migration(live_with(json::array({status_csa})), "wavesync").has_value());
  CHECK_FALSE(engine::client_side_apply_migration(json{{"metadata", {{"name", "c"}}}}, "wavesync").has_value());
  CHECK_FALSE(engine::client_side_apply_migration(json("not an object"), "wavesync").has_value());
  CHECK_FALSE(engine::client_side_apply_migration(live_with(json::array({1, "x"})), "wavesync").has_value());
}
