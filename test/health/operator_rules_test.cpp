// wavesync's own rules for operators' custom resources (Argo CD's bundled scripts reimplemented):
// one example per rule here; every case of Argo CD's own tables is checked through the binary by
// test/e2e/test_lua_health.py.
#include "wavesync/health/health.hpp"

#include <catch2/catch.hpp>

using namespace wavesync::health;
using nlohmann::json;

namespace {

Health verdict(const char* text) {
  auto h = assess(json::parse(text), Options{});
  REQUIRE(h.has_value());
  return *h;
}

}  // namespace

TEST_CASE("an ExternalSecret waits for Ready and fails on Ready=False", "[health][operators]") {
  CHECK(verdict(R"({"apiVersion":"external-secrets.io/v1","kind":"ExternalSecret","metadata":{"name":"a"}})") ==
        Health{Status::progressing, "Waiting for ExternalSecret"});
  CHECK(verdict(R"({"apiVersion":"external-secrets.io/v1","kind":"ExternalSecret","metadata":{"name":"a"},
    "status":{"conditions":[{"type":"Ready","status":"False","message":"could not get secret"}]}})") ==
        Health{Status::degraded, "could not get secret"});
}

TEST_CASE("a suspended Flux Kustomization is Suspended and a ready one Healthy with its reason", "[health][operators]") {
  CHECK(verdict(R"({"apiVersion":"kustomize.toolkit.fluxcd.io/v1","kind":"Kustomization","spec":{"suspend":true}})") ==
        Health{Status::suspended, "Kustomization is suspended"});
  CHECK(verdict(R"({"apiVersion":"kustomize.toolkit.fluxcd.io/v1","kind":"Kustomization","spec":{},
    "status":{"conditions":[{"type":"Ready","status":"True","reason":"ReconciliationSucceeded"}]}})") ==
        Health{Status::healthy, "ReconciliationSucceeded"});
}

TEST_CASE("a canary Rollout is healthy only once the stable ReplicaSet is the current one", "[health][operators]") {
  const char* base = R"({"apiVersion":"argoproj.io/v1alpha1","kind":"Rollout","metadata":{"generation":2},
    "spec":{"replicas":1,"strategy":{"canary":{}}},
    "status":{"observedGeneration":"2","currentPodHash":"abc","replicas":1,"updatedReplicas":1,
              "availableReplicas":1,"stableRS":"%s"}})";
  char text[512];
  std::snprintf(text, sizeof text, base, "old");
  CHECK(verdict(text) == Health{Status::progressing, "Waiting for rollout to finish steps"});
  std::snprintf(text, sizeof text, base, "abc");
  CHECK(verdict(text) == Health{Status::healthy, ""});
}

TEST_CASE("every kind of a *.crossplane.io group is judged, pkg.crossplane.io Provider by its own rule", "[health][operators]") {
  CHECK(verdict(R"({"apiVersion":"s3.aws.crossplane.io/v1","kind":"Bucket","status":{"conditions":[
    {"type":"Synced","status":"True"},{"type":"Ready","status":"True"}]}})") ==
        Health{Status::healthy, "Resource is up-to-date."});
  CHECK(verdict(R"({"apiVersion":"pkg.crossplane.io/v1","kind":"Provider","status":{"conditions":[
    {"type":"Installed","status":"True","reason":"ActivePackageRevision"},
    {"type":"Healthy","status":"False","reason":"UnhealthyPackageRevision"}]}})") ==
        Health{Status::degraded, "ActivePackageRevision UnhealthyPackageRevision"});
}

TEST_CASE("an HTTPRoute whose parent rejects it names the parent", "[health][operators]") {
  CHECK(verdict(R"({"apiVersion":"gateway.networking.k8s.io/v1","kind":"HTTPRoute","metadata":{"generation":1},
    "status":{"parents":[{"parentRef":{"name":"gw"},"conditions":[
      {"type":"Accepted","status":"False","observedGeneration":1,"message":"no matching listener"}]}]}})") ==
        Health{Status::degraded, "Parent gw: no matching listener"});
}

TEST_CASE("a PodDisruptionBudget with too few pods is still healthy", "[health][operators]") {
  CHECK(verdict(R"({"apiVersion":"policy/v1","kind":"PodDisruptionBudget","status":{"conditions":[
    {"type":"DisruptionAllowed","status":"False","reason":"InsufficientPods"}]}})") ==
        Health{Status::healthy, "PodDisruptionBudget has InsufficientPods"});
}

TEST_CASE("argocd.argoproj.io/ignore-healthcheck: true takes an object out of health", "[health]") {
  CHECK_FALSE(assess(json::parse(R"({"apiVersion":"bitnami.com/v1alpha1","kind":"SealedSecret",
    "metadata":{"annotations":{"argocd.argoproj.io/ignore-healthcheck":"true"}}})"), Options{}).has_value());
  CHECK(assess(json::parse(R"({"apiVersion":"bitnami.com/v1alpha1","kind":"SealedSecret",
    "metadata":{"annotations":{"argocd.argoproj.io/ignore-healthcheck":"yes"}}})"), Options{}).has_value());
}
