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
