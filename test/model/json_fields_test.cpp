#include "wavesync/model/json_fields.hpp"
#include "wavesync/model/object_ref.hpp"

#include <catch2/catch.hpp>

using nlohmann::json;
using namespace wavesync;

TEST_CASE("JSON fields read null, missing and mistyped values as absent, never throwing", "[model][json]") {
  const json j = json::parse(R"({"a":{"b":"x","n":null,"i":7,"f":1.5,"t":true,"s":"true","arr":[1],"o":{}},"top":null})");
  CHECK(string_at(j, {"a", "b"}) == "x");
  CHECK(string_ptr_at(j, {"a", "b"}) == &j["a"]["b"].get_ref<const std::string&>());
  CHECK(string_at(j, {"a", "n"}).empty());
  CHECK(string_at(j, {"a", "i"}).empty());
  CHECK(string_at(j, {"a", "b", "deeper"}).empty());  // through a string
  CHECK(string_at(j, {"top", "x"}).empty());          // through a null
  CHECK(string_at(json(), {"a"}).empty());            // on null itself
  CHECK(string_at(json::array({1, 2}), {"a"}).empty());
  CHECK(optional_string_at(j, {"a", "b"}) == std::optional<std::string>("x"));
  CHECK_FALSE(optional_string_at(j, {"a", "n"}).has_value());
  CHECK(optional_int_at(j, {"a", "i"}) == 7);
  CHECK_FALSE(optional_int_at(j, {"a", "f"}).has_value());  // a float is not an integer
  CHECK_FALSE(optional_int_at(j, {"a", "b"}).has_value());
  CHECK(int_at(j, {"a", "missing"}) == 0);
  CHECK(bool_at(j, {"a", "t"}));
  CHECK_FALSE(bool_at(j, {"a", "s"}));  // the string "true" is not true
  CHECK(object_at(j, {"a", "o"}) != nullptr);
  CHECK(object_at(j, {"a", "arr"}) == nullptr);
  CHECK(array_at(j, {"a", "arr"}) != nullptr);
  CHECK(array_at(j, {"a", "o"}) == nullptr);
  CHECK(find_path(j, {}) == &j);
}

TEST_CASE("Conditions are found by type and skip malformed entries", "[model][json]") {
  const json j = json::parse(R"({"status":{"conditions":[null,"Ready",{"type":7},
      {"type":"Ready","status":"False","reason":"Waiting"},{"type":"Ready","status":"True"}]}})");
  const json* ready = condition(j, "Ready");
  REQUIRE(ready != nullptr);
  CHECK(field(*ready, "reason") == "Waiting");  // the first one with the type, as Argo CD's loops
  CHECK(has_condition(j, "Ready", "False"));
  CHECK_FALSE(has_condition(j, "Ready", "True"));
  CHECK_FALSE(has_condition(j, "Available", "True"));
  CHECK(condition(json::parse(R"({"status":{"conditions":{"type":"Ready"}}})"), "Ready") == nullptr);
  CHECK(condition_is(*ready, "Ready", "False"));
}

TEST_CASE("One object reference: from a live object or a manifest, with its version-free key", "[model][json]") {
  const ObjectRef ref = object_ref_of(json::parse(R"({"apiVersion":"apps/v1","kind":"Deployment",
      "metadata":{"name":"web","namespace":"shop"}})"));
  CHECK(ref == ObjectRef{"apps/v1", "Deployment", "shop", "web"});
  CHECK(ref.str() == "apps/v1 Deployment shop/web");
  CHECK(ref.key() == ObjectRef{"apps/v1beta1", "Deployment", "shop", "web"}.key());
  CHECK(object_ref_of(json::parse(R"({"apiVersion":7,"metadata":null})")) == ObjectRef{});
  Resource generated;
  generated.set_object(json::parse(R"({"apiVersion":"batch/v1","kind":"Job","metadata":{"generateName":"migrate-"}})"));
  CHECK(object_ref_of(generated).name == "migrate-");
}
