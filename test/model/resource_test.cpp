#include "wavesync/model/resource.hpp"
#include "wavesync/model/result.hpp"

#include <catch2/catch.hpp>

using namespace wavesync;

TEST_CASE("a resource key names group, kind, namespace and name", "[model]") {
  Resource r{nlohmann::json::parse(
                 R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"shop"}})"),
             {}};
  CHECK(r.key().str() == "apps/Deployment shop/web");
  CHECK(group_of("v1").empty());
  CHECK(version_of("apps/v1") == "v1");
}

TEST_CASE("source locations print as file:line:column", "[model]") {
  CHECK(SourceLocation{"a.yaml", 3, 5}.str() == "a.yaml:3:5");
  CHECK(SourceLocation{"a.yaml", 3, 0}.str() == "a.yaml:3");
  CHECK(SourceLocation{"a.yaml", 3, 5}.file_line() == "a.yaml:3");
}

TEST_CASE("an error wraps with outer context first", "[model]") {
  Result<int> r = make_error("bad wave", exit_code::k_usage);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().wrap("a.yaml:1:2").message == "a.yaml:1:2: bad wave");
}

TEST_CASE("a Resource keeps its object as compact JSON text and the fields planning reads", "[model]") {
  const nlohmann::json object = nlohmann::json::parse(R"({
    "apiVersion": "apps/v1", "kind": "Deployment",
    "metadata": {"name": "web", "namespace": "shop",
                 "annotations": {"b": "2", "a": "1", "n": 3}},
    "spec": {"replicas": 2, "ratio": 0.5, "big": 18446744073709551615, "s": "ü"}})");
  Resource r(object, SourceLocation{"m.yaml", 4, 1});
  CHECK(r.json_text() == object.dump());
  CHECK(r.object() == object);
  CHECK(r.object().dump() == object.dump());  // numbers keep their types through the text
  CHECK(r.api_version() == "apps/v1");
  CHECK(r.kind() == "Deployment");
  CHECK(r.name() == "web");
  CHECK(r.namespace_name() == "shop");
  CHECK(r.generate_name().empty());
  REQUIRE(r.annotation("a") != nullptr);
  CHECK(*r.annotation("a") == "1");
  CHECK(*r.annotation("b") == "2");
  CHECK(r.annotation("n") == nullptr);  // not a string
  CHECK(r.annotation("zz") == nullptr);

  nlohmann::json changed = r.object();
  changed["metadata"]["namespace"] = "other";
  changed["metadata"].erase("annotations");
  changed["metadata"]["generateName"] = "web-";
  r.set_object(changed);
  CHECK(r.namespace_name() == "other");
  CHECK(r.generate_name() == "web-");
  CHECK(r.annotation("a") == nullptr);
  CHECK(r.object() == changed);
  CHECK(r.source.str() == "m.yaml:4:1");
}

TEST_CASE("a default Resource is null with empty fields", "[model]") {
  Resource r;
  CHECK(r.object().is_null());
  CHECK(r.kind().empty());
  CHECK(r.name().empty());
  CHECK(r.annotation("a") == nullptr);
}
