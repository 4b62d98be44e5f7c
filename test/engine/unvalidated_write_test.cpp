// Validate=false objects are written without server-side apply (create, or a merge patch that
// also removes the fields wavesync set before and the manifest dropped).
#include "engine/engine_fixture.hpp"

#include "wavesync/engine/unvalidated_write.hpp"

#include <catch2/catch.hpp>

using namespace wavesync;
using namespace wavesync::test;
using json = nlohmann::json;

TEST_CASE("the merge patch removes what wavesync set before and the manifest dropped, nothing else",
          "[engine][validate-false]") {
  const json manifest = json::parse(R"({"apiVersion":"v1","kind":"ConfigMap",
    "metadata":{"name":"a","namespace":"shop","labels":{"keep":"1"}},"data":{"k":"new"}})");
  const json live = json::parse(R"({"apiVersion":"v1","kind":"ConfigMap",
    "metadata":{"name":"a","namespace":"shop","labels":{"keep":"1","gone":"1","theirs":"1"},"managedFields":[
      {"manager":"wavesync","operation":"Update","fieldsType":"FieldsV1","fieldsV1":{
        "f:metadata":{"f:labels":{".":{},"f:keep":{},"f:gone":{}}},"f:data":{".":{},"f:k":{},"f:dropped":{}},
        "f:binaryData":{"f:b":{}}}},
      {"manager":"wavesync","operation":"Update","subresource":"status","fieldsType":"FieldsV1",
        "fieldsV1":{"f:status":{}}},
      {"manager":"other","operation":"Update","fieldsType":"FieldsV1","fieldsV1":{
        "f:metadata":{"f:labels":{"f:theirs":{}}},"f:data":{"f:other":{}}}}]},
    "data":{"k":"old","dropped":"x","other":"y"},"binaryData":{"b":"eA=="}})");
  const json patch = engine::unvalidated_merge_patch(manifest, live, "wavesync");
  CHECK(patch == json::parse(R"({"apiVersion":"v1","kind":"ConfigMap",
    "metadata":{"name":"a","namespace":"shop","labels":{"keep":"1","gone":null}},
    "data":{"k":"new","dropped":null},"binaryData":null})"));
}

TEST_CASE("list items are not looked into: a merge patch replaces a list whole", "[engine][validate-false]") {
  const json manifest = json::parse(R"({"spec":{"ports":[{"port":80}]}})");
  const json live = json::parse(R"({"metadata":{"managedFields":[{"manager":"wavesync","operation":"Apply",
    "fieldsV1":{"f:spec":{"f:ports":{"k:{\"port\":80}":{"f:port":{}},"k:{\"port\":81}":{"f:port":{}}}}}}]}})");
  CHECK(engine::unvalidated_merge_patch(manifest, live, "wavesync") == manifest);
}

TEST_CASE("odd managedFields are read as no ownership, never an abort", "[engine][validate-false]") {
  const json manifest = json::parse(R"({"data":{"k":"v"}})");
  for (const char* live : {R"({})", R"({"metadata":null})", R"({"metadata":{"managedFields":{}}})",
                           R"({"metadata":{"managedFields":[null,1,{"manager":7},{"manager":"wavesync","fieldsV1":[]}]}})",
                           R"({"metadata":{"managedFields":[{"manager":"wavesync","fieldsV1":{"f:":{},"f:data":null}}]}})"}) {
    CHECK(engine::unvalidated_merge_patch(manifest, json::parse(live), "wavesync") == manifest);
  }
}

TEST_CASE("a Validate=false object is created when missing and merge-patched when it exists, never applied",
          "[engine][validate-false]") {
  Cluster c;
  c.seed_namespace("shop");
  json loose = config_map("shop", "loose");
  loose["bogus"] = true;
  auto first = c.sync(plan_of({resource(loose, 0, {{"Validate", "false"}})}));
  CHECK(first.exit_code == 0);
  CHECK(c.client.writes() == std::vector<std::string>{"create v1 ConfigMap shop/loose (fieldValidation=Ignore)"});
  c.client.clear_calls();
  loose["data"]["k"] = "changed";
  auto second = c.sync(plan_of({resource(loose, 0, {{"Validate", "false"}})}));
  CHECK(second.exit_code == 0);
  CHECK(c.client.writes() ==
        std::vector<std::string>{"patch v1 ConfigMap shop/loose (merge) (fieldValidation=Ignore)"});
  CHECK(c.client.object(fakes::ref("v1", "ConfigMap", "shop", "loose"))->at("data")["k"] == "changed");
}

TEST_CASE("a Validate=false write the server refuses fails the item with the server's message",
          "[engine][validate-false]") {
  Cluster c;
  c.seed_namespace("shop");
  c.client.seed(config_map("shop", "loose"));
  fakes::Fault refused;
  refused.verb = "patch";
  refused.kind = "ConfigMap";
  refused.times = 100;
  refused.error = Error{"patch v1 ConfigMap shop/loose: 422 Unprocessable Entity: data: Invalid value", 1, 422};
  c.client.inject_fault(refused);
  auto result = c.sync(plan_of({resource(config_map("shop", "loose"), 0, {{"Validate", "false"}})}));
  CHECK(result.exit_code == 1);
  REQUIRE_FALSE(result.reasons.empty());
  CHECK(result.reasons[0].find("422 Unprocessable Entity: data: Invalid value") != std::string::npos);
}

TEST_CASE("Force=true,Validate=false: a change the server rejects as invalid recreates the object, created as such",
          "[engine][validate-false]") {
  Cluster c;
  c.seed_namespace("shop");
  c.client.seed(config_map("shop", "loose"));
  fakes::Fault immutable;
  immutable.verb = "patch";
  immutable.kind = "ConfigMap";
  immutable.error = Error{"patch v1 ConfigMap shop/loose: 422 Unprocessable Entity: field is immutable", 1, 422};
  c.client.inject_fault(immutable);
  auto result = c.sync(plan_of({resource(config_map("shop", "loose"), 0, {{"Validate", "false"}, {"Force", "true"}})}));
  CHECK(result.exit_code == 0);
  CHECK(c.client.writes() == std::vector<std::string>{"patch v1 ConfigMap shop/loose (merge) (fieldValidation=Ignore)",
                                                       "delete v1 ConfigMap shop/loose background",
                                                       "create v1 ConfigMap shop/loose (fieldValidation=Ignore)"});
}

TEST_CASE("--dry-run checks a Validate=false object with the request that would write it", "[engine][validate-false]") {
  Cluster c;
  c.seed_namespace("shop");
  c.client.seed(config_map("shop", "live"));
  engine::RunOptions options;
  options.dry_run = kube::DryRun::all;
  auto result = c.sync(plan_of({resource(config_map("shop", "live"), 0, {{"Validate", "false"}}),
                                resource(config_map("shop", "new"), 0, {{"Validate", "false"}})}),
                       options);
  CHECK(result.exit_code == 0);
  CHECK(c.client.writes().empty());
  std::vector<std::string> dry;
  for (const auto& call : c.client.calls())
    if (call.rfind("dry-run", 0) == 0) dry.push_back(call);
  CHECK(dry == std::vector<std::string>{"dry-run patch v1 ConfigMap shop/live (merge) (fieldValidation=Ignore)",
                                        "dry-run create v1 ConfigMap shop/new (fieldValidation=Ignore)"});
  CHECK(c.sink.has("resource-applied v1 ConfigMap shop/live"));
  CHECK(c.sink.has("resource-applied v1 ConfigMap shop/new"));
}
