// spec.ignoreDifferences' JSON pointers, left out of both sides of `wavesync diff`.
#include "wavesync/render/ignore_differences.hpp"

#include <catch2/catch.hpp>

using namespace wavesync::render;
using nlohmann::json;

namespace {

const json k_deployment = json::parse(R"({
  "apiVersion": "apps/v1", "kind": "Deployment",
  "metadata": {"name": "web", "namespace": "shop", "annotations": {"a": "1", "b": "2"}},
  "spec": {"replicas": 3, "template": {"spec": {"containers": [{"name": "a"}, {"name": "b"}]}}}})");

}  // namespace

TEST_CASE("the JSON pointers of a matching entry are removed", "[render][diff]") {
  const json ignore = json::parse(R"([{"group": "apps", "kind": "Deployment",
    "jsonPointers": ["/spec/replicas", "/metadata/annotations/b", "/spec/template/spec/containers/1", "/no/such"]}])");
  const json out = without_ignored_fields(k_deployment, ignore);
  CHECK_FALSE(out["spec"].contains("replicas"));
  CHECK(out["metadata"]["annotations"] == json{{"a", "1"}});
  CHECK(out["spec"]["template"]["spec"]["containers"] == json::parse(R"([{"name": "a"}])"));
}

TEST_CASE("entries match by group and kind globs, name and namespace", "[render][diff]") {
  auto replicas_kept = [](const char* entry) {
    return without_ignored_fields(k_deployment, json::array({json::parse(entry)}))["spec"].contains("replicas");
  };
  CHECK_FALSE(replicas_kept(R"({"group": "*", "kind": "Deploy*", "jsonPointers": ["/spec/replicas"]})"));
  CHECK(replicas_kept(R"({"group": "", "kind": "Deployment", "jsonPointers": ["/spec/replicas"]})"));
  CHECK(replicas_kept(R"({"group": "apps", "kind": "Deployment", "name": "api", "jsonPointers": ["/spec/replicas"]})"));
  CHECK(replicas_kept(R"({"group": "apps", "kind": "Deployment", "namespace": "x", "jsonPointers": ["/spec/replicas"]})"));
  CHECK_FALSE(replicas_kept(
      R"({"group": "apps", "kind": "Deployment", "name": "web", "namespace": "shop", "jsonPointers": ["/spec/replicas"]})"));
  CHECK(replicas_kept(R"({"group": "apps", "kind": "Deployment", "jsonPointers": ["not a pointer"]})"));
}
