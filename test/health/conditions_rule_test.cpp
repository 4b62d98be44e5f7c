#include "wavesync/health/health.hpp"

#include <catch2/catch.hpp>

using namespace wavesync::health;
using nlohmann::json;

namespace {

const Options k_all{ConditionsRule::all_custom_resources, Role::resource};

json custom(const std::string& status, const std::string& annotations = "{}") {
  return json::parse(R"({"apiVersion":"db.example.com/v1","kind":"Cluster","metadata":{"name":"pg","generation":3,"annotations":)" +
                     annotations + "}" + (status.empty() ? "" : R"(,"status":)" + status) + "}");
}

Health verdict(const json& live, const Options& options = k_all) {
  auto health = assess(live, options);
  REQUIRE(health.has_value());
  return *health;
}

}  // namespace

TEST_CASE("custom resources have no health unless the conditions rule is enabled", "[health]") {
  CHECK_FALSE(assess(custom(R"({"conditions":[{"type":"Ready","status":"False"}]})"), {}).has_value());
  CHECK(verdict(custom(R"({"conditions":[{"type":"Ready","status":"False"}]})")).status == Status::progressing);
}

TEST_CASE("the conditions rule is enabled per object by annotation", "[health]") {
  CHECK(verdict(custom(R"({"observedGeneration":3,"conditions":[{"type":"Ready","status":"True","reason":"Up","message":"all replicas ready"}]})",
                       R"({"wavesync.dev/health":"conditions"})"),
                Options{}) == Health{Status::healthy, "Up: all replicas ready"});
}

TEST_CASE("the conditions rule waits for the controller to observe the generation", "[health]") {
  CHECK(verdict(custom(R"({"observedGeneration":2,"conditions":[{"type":"Ready","status":"True"}]})")) ==
        Health{Status::progressing, "waiting for the controller to observe generation 3 (observed 2)"});
  CHECK(verdict(custom(R"({"conditions":[{"type":"Ready","status":"True","observedGeneration":2}]})")) ==
        Health{Status::progressing, "waiting for the Ready condition to observe generation 3 (observed 2)"});
}

TEST_CASE("the conditions rule waits for status after an apply", "[health]") {
  CHECK(verdict(custom("")) == Health{Status::progressing, "waiting for status conditions"});
  CHECK(verdict(custom(R"({"conditions":[]})")) == Health{Status::progressing, "waiting for status conditions"});
}

TEST_CASE("the conditions rule reads Stalled, Reconciling and Ready", "[health]") {
  CHECK(verdict(custom(R"({"conditions":[{"type":"Ready","status":"False"},{"type":"Stalled","status":"True","reason":"BadSpec","message":"storage class gone"}]})")) ==
        Health{Status::degraded, "BadSpec: storage class gone"});
  CHECK(verdict(custom(R"({"conditions":[{"type":"Ready","status":"True"},{"type":"Reconciling","status":"True","reason":"Scaling"}]})")) ==
        Health{Status::progressing, "Scaling"});
  CHECK(verdict(custom(R"({"conditions":[{"type":"Ready","status":"False","message":"2 of 3 members up"}]})")) ==
        Health{Status::progressing, "2 of 3 members up"});
  CHECK(verdict(custom(R"({"conditions":[{"type":"Ready","status":"Unknown"}]})")) ==
        Health{Status::progressing, "waiting for Ready"});
  CHECK(verdict(custom(R"({"conditions":[{"type":"Stalled","status":"False"},{"type":"Synced","status":"True"}]})")) ==
        Health{Status::healthy, ""});
}

TEST_CASE("--health-conditions does not replace Argo CD's rules", "[health]") {
  auto cert = json::parse(R"({"apiVersion":"cert-manager.io/v1","kind":"Certificate"})");
  CHECK(verdict(cert) == Health{Status::progressing, "Waiting for certificate"});
  auto cm = json::parse(R"({"apiVersion":"v1","kind":"ConfigMap"})");
  CHECK_FALSE(assess(cm, k_all).has_value());
  auto gateway = json::parse(R"({"apiVersion":"gateway.networking.k8s.io/v1","kind":"Gateway"})");
  CHECK(is_custom_resource(gateway));
  CHECK_FALSE(is_custom_resource(json::parse(R"({"apiVersion":"rbac.authorization.k8s.io/v1","kind":"Role"})")));
}

TEST_CASE("the conditions annotation overrides a built-in rule", "[health]") {
  auto cert = json::parse(R"({"apiVersion":"cert-manager.io/v1","kind":"Certificate","metadata":{"annotations":{"wavesync.dev/health":"conditions"}},
    "status":{"conditions":[{"type":"Ready","status":"True"}]}})");
  CHECK(verdict(cert, Options{}) == Health{Status::healthy, ""});
}

TEST_CASE("wavesync.dev/health none opts an object out of health gating", "[health]") {
  auto deployment = json::parse(R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"generation":2,
    "annotations":{"wavesync.dev/health":"none"}},"status":{"observedGeneration":1}})");
  CHECK_FALSE(assess(deployment, {}).has_value());
  CHECK_FALSE(assess(custom("", R"({"wavesync.dev/health":"none"})"), k_all).has_value());
}

TEST_CASE("an unrecognised wavesync.dev/health value is reported and otherwise ignored", "[health]") {
  auto live = custom("", R"({"wavesync.dev/health":"conditons"})");
  auto checked = check_health_annotation(live);
  REQUIRE_FALSE(checked.ok());
  CHECK(checked.error().message == R"(invalid wavesync.dev/health "conditons": expected conditions or none)");
  CHECK_FALSE(assess(live, {}).has_value());
  CHECK(check_health_annotation(custom("", R"({"wavesync.dev/health":"none"})")).ok());
  CHECK(check_health_annotation(custom("")).ok());
}
