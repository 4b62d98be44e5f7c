#include "wavesync/health/health.hpp"

#include <catch2/catch.hpp>

using namespace wavesync::health;
using nlohmann::json;

namespace {

Health verdict(const std::string& text, Options options = {}) {
  auto health = assess(json::parse(text), options);
  REQUIRE(health.has_value());
  return *health;
}

std::string deployment(const std::string& spec, const std::string& status, int generation = 2) {
  return R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","generation":)" +
         std::to_string(generation) + R"(},"spec":)" + spec + R"(,"status":)" + status + "}";
}

}  // namespace

TEST_CASE("a paused deployment is suspended", "[health]") {
  CHECK(verdict(deployment(R"({"paused":true,"replicas":1})", "{}")) ==
        Health{Status::suspended, "Deployment is paused"});
}

TEST_CASE("a deployment whose status lags its generation is progressing, never healthy", "[health]") {
  CHECK(verdict(deployment(R"({"replicas":1})",
                           R"({"observedGeneration":1,"replicas":1,"updatedReplicas":1,"availableReplicas":1})")) ==
        Health{Status::progressing,
               "Waiting for rollout to finish: observed deployment generation less than desired "
               "generation"});
}

TEST_CASE("a deployment past its progress deadline is degraded", "[health]") {
  CHECK(verdict(deployment(R"({"replicas":1})",
                           R"({"observedGeneration":2,"conditions":[{"type":"Progressing","status":"False","reason":"ProgressDeadlineExceeded"}]})")) ==
        Health{Status::degraded, "Deployment \"web\" exceeded its progress deadline"});
}

TEST_CASE("a deployment waits for updated, old and available replicas in turn", "[health]") {
  CHECK(verdict(deployment(R"({"replicas":3})", R"({"observedGeneration":2,"updatedReplicas":1})"))
            .message == "Waiting for rollout to finish: 1 out of 3 new replicas have been updated...");
  CHECK(verdict(deployment(R"({"replicas":3})",
                           R"({"observedGeneration":2,"replicas":4,"updatedReplicas":3})"))
            .message == "Waiting for rollout to finish: 1 old replicas are pending termination...");
  Health h = verdict(deployment(
      R"({"replicas":3})", R"({"observedGeneration":2,"replicas":3,"updatedReplicas":3,"availableReplicas":2})"));
  CHECK(h == Health{Status::progressing,
                    "Waiting for rollout to finish: 2 of 3 updated replicas are available..."});
}

TEST_CASE("a fully rolled out deployment is healthy", "[health]") {
  CHECK(verdict(deployment(R"({"replicas":2})",
                           R"({"observedGeneration":2,"replicas":2,"updatedReplicas":2,"availableReplicas":2})")) ==
        Health{Status::healthy, ""});
}

TEST_CASE("a deployment in a version Argo CD does not support is unknown", "[health]") {
  CHECK(verdict(R"({"apiVersion":"apps/v1beta2","kind":"Deployment","metadata":{"name":"x"}})") ==
        Health{Status::unknown, "unsupported Deployment GVK: apps/v1beta2, Kind=Deployment"});
}

TEST_CASE("an extensions/v1beta1 deployment has no health rule", "[health]") {
  CHECK_FALSE(assess(json::parse(R"({"apiVersion":"extensions/v1beta1","kind":"Deployment"})"), {}));
}

namespace {
std::string sts(const std::string& spec, const std::string& status) {
  return R"({"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"name":"db","generation":3},"spec":)" +
         spec + R"(,"status":)" + status + "}";
}
}  // namespace

TEST_CASE("a statefulset waits until its spec is observed", "[health]") {
  const Health waiting{Status::progressing, "Waiting for statefulset spec update to be observed..."};
  CHECK(verdict(sts(R"({"replicas":1})", "{}")) == waiting);
  CHECK(verdict(sts(R"({"replicas":1})", R"({"observedGeneration":2,"readyReplicas":1})")) == waiting);
}

TEST_CASE("a statefulset waits for ready pods", "[health]") {
  CHECK(verdict(sts(R"({"replicas":3})", R"({"observedGeneration":3,"readyReplicas":1})")) ==
        Health{Status::progressing, "Waiting for 2 pods to be ready..."});
}

TEST_CASE("a partitioned statefulset roll out waits for the pods above the partition", "[health]") {
  std::string spec =
      R"({"replicas":3,"updateStrategy":{"type":"RollingUpdate","rollingUpdate":{"partition":1}}})";
  CHECK(verdict(sts(spec, R"({"observedGeneration":3,"readyReplicas":3,"updatedReplicas":1})")) ==
        Health{Status::progressing,
               "Waiting for partitioned roll out to finish: 1 out of 2 new pods have been updated..."});
  CHECK(verdict(sts(spec, R"({"observedGeneration":3,"readyReplicas":3,"updatedReplicas":2})")) ==
        Health{Status::healthy, "partitioned roll out complete: 2 new pods have been updated..."});
}

TEST_CASE("an OnDelete statefulset is healthy once its pods are ready", "[health]") {
  CHECK(verdict(sts(R"({"replicas":1,"updateStrategy":{"type":"OnDelete"}})",
                    R"({"observedGeneration":3,"readyReplicas":1})")) ==
        Health{Status::healthy, "statefulset has 1 ready pods"});
}

TEST_CASE("a statefulset without rollingUpdate settings compares revisions", "[health]") {
  CHECK(verdict(sts(R"({"replicas":1,"updateStrategy":{"type":"RollingUpdate"}})",
                    R"({"observedGeneration":3,"readyReplicas":1,"updatedReplicas":0,"updateRevision":"b","currentRevision":"a"})")) ==
        Health{Status::progressing,
               "waiting for statefulset rolling update to complete 0 pods at revision b..."});
  CHECK(verdict(sts(R"({"replicas":1})",
                    R"({"observedGeneration":3,"readyReplicas":1,"currentReplicas":1,"updateRevision":"a","currentRevision":"a"})")) ==
        Health{Status::healthy, "statefulset rolling update complete 1 pods at revision a..."});
}

namespace {
std::string ds(const std::string& spec, const std::string& status) {
  return R"({"apiVersion":"apps/v1","kind":"DaemonSet","metadata":{"name":"agent","generation":2},"spec":)" +
         spec + R"(,"status":)" + status + "}";
}
}  // namespace

TEST_CASE("a daemonset covers generation lag, OnDelete, scheduling and availability", "[health]") {
  CHECK(verdict(ds("{}", R"({"observedGeneration":1})")) ==
        Health{Status::progressing,
               "Waiting for rollout to finish: observed daemon set generation less than desired "
               "generation"});
  CHECK(verdict(ds(R"({"updateStrategy":{"type":"OnDelete"}})",
                   R"({"observedGeneration":2,"updatedNumberScheduled":0,"desiredNumberScheduled":1})")) ==
        Health{Status::healthy, "daemon set 0 out of 1 new pods have been updated"});
  CHECK(verdict(ds("{}", R"({"observedGeneration":2,"updatedNumberScheduled":1,"desiredNumberScheduled":2})")) ==
        Health{Status::progressing,
               "Waiting for daemon set \"agent\" rollout to finish: 1 out of 2 new pods have been "
               "updated..."});
  CHECK(verdict(ds("{}", R"({"observedGeneration":2,"updatedNumberScheduled":2,"desiredNumberScheduled":2,"numberAvailable":1})")) ==
        Health{Status::progressing,
               "Waiting for daemon set \"agent\" rollout to finish: 1 of 2 updated pods are "
               "available..."});
  CHECK(verdict(ds("{}", R"({"observedGeneration":2,"updatedNumberScheduled":2,"desiredNumberScheduled":2,"numberAvailable":2})")) ==
        Health{Status::healthy, ""});
}

namespace {
std::string rs(const std::string& status) {
  return R"({"apiVersion":"apps/v1","kind":"ReplicaSet","metadata":{"name":"web-1","generation":1},"spec":{"replicas":2},"status":)" +
         status + "}";
}
}  // namespace

TEST_CASE("a replicaset covers generation lag, replica failure, availability", "[health]") {
  CHECK(verdict(rs("{}")) ==
        Health{Status::progressing,
               "Waiting for rollout to finish: observed replica set generation less than desired "
               "generation"});
  CHECK(verdict(rs(R"({"observedGeneration":1,"conditions":[{"type":"ReplicaFailure","status":"True","message":"pods \"x\" is forbidden: exceeded quota"}]})")) ==
        Health{Status::degraded, "pods \"x\" is forbidden: exceeded quota"});
  CHECK(verdict(rs(R"({"observedGeneration":1,"availableReplicas":1})")) ==
        Health{Status::progressing, "Waiting for rollout to finish: 1 out of 2 new replicas are available..."});
  CHECK(verdict(rs(R"({"observedGeneration":1,"availableReplicas":2})")) == Health{Status::healthy, ""});
}

TEST_CASE("an object being deleted is progressing unless it holds the hook finalizer", "[health]") {
  CHECK(verdict(R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"deletionTimestamp":"2026-01-01T00:00:00Z"}})") ==
        Health{Status::progressing, "Pending deletion"});
  CHECK(verdict(R"({"apiVersion":"batch/v1","kind":"Job","metadata":{"deletionTimestamp":"2026-01-01T00:00:00Z",
      "finalizers":["argocd.argoproj.io/hook-finalizer"]},
      "status":{"conditions":[{"type":"Complete","status":"True"}]}})") == Health{Status::healthy, ""});
}

TEST_CASE("kinds without a rule have no health", "[health]") {
  for (const char* text : {R"({"apiVersion":"v1","kind":"ConfigMap"})", R"({"apiVersion":"v1","kind":"Secret"})",
                           R"({"apiVersion":"rbac.authorization.k8s.io/v1","kind":"Role"})",
                           R"({"apiVersion":"argoproj.io/v1alpha1","kind":"Application","status":{"health":{"status":"Degraded"}}})",
                           R"({"apiVersion":"ceph.rook.io/v1","kind":"CephObjectStoreUser"})"}) {
    INFO(text);
    CHECK_FALSE(assess(json::parse(text), {}).has_value());
  }
}

TEST_CASE("status names round-trip", "[health]") {
  for (Status s : {Status::healthy, Status::progressing, Status::degraded, Status::suspended,
                   Status::missing, Status::unknown}) {
    CHECK(parse_status(status_name(s)) == s);
  }
  CHECK_FALSE(parse_status("healthy").has_value());
}
