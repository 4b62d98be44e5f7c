// Blocking reasons read from live pods, as the kubelet and scheduler report them.
#include "wavesync/health/pod_block.hpp"

#include <catch2/catch.hpp>

using namespace wavesync::health;
using nlohmann::json;

namespace {
json pod(const std::string& name, const std::string& status, const std::string& spec =
                                                                 R"({"containers":[{"name":"app","image":"nginx:1.27"}]})") {
  return json::parse(R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":")" + name +
                     R"(","namespace":"app","labels":{"app":"web"},"ownerReferences":[{"kind":"ReplicaSet","name":"web-6cb4"}]},"spec":)" +
                     spec + R"(,"status":)" + status + "}");
}

json waiting(const std::string& name, const std::string& reason, const std::string& message) {
  return pod(name, R"({"phase":"Pending","containerStatuses":[{"name":"app","image":"nginx:1.27","ready":false,"restartCount":0,
    "state":{"waiting":{"reason":")" + reason + R"(","message":)" + json(message).dump() + "}}}]}");
}
}  // namespace

TEST_CASE("a pod held by a missing Secret names the Secret", "[health][pod-block]") {
  auto b = pod_block(waiting("app-6cb476c4b6-gbmc5", "CreateContainerConfigError", R"(secret "app-pg-credentials" not found)"));
  REQUIRE(b.has_value());
  CHECK(b->line() == R"(pod app-6cb476c4b6-gbmc5: CreateContainerConfigError: secret "app-pg-credentials" not found)");
  CHECK(b->fail_fast);
  REQUIRE(b->missing.has_value());
  CHECK(b->missing->str() == "missing Secret app/app-pg-credentials");
}

TEST_CASE("image pull failures name the image", "[health][pod-block]") {
  auto backoff = pod_block(waiting("web-1", "ImagePullBackOff", R"(Back-off pulling image "nginx:1.27")"));
  REQUIRE(backoff.has_value());
  CHECK(backoff->line() == R"(pod web-1: ImagePullBackOff: Back-off pulling image "nginx:1.27")");
  auto err = pod_block(waiting("web-1", "ErrImagePull", "rpc error: code = NotFound"));
  CHECK(err->line() == "pod web-1: ErrImagePull: rpc error: code = NotFound (image nginx:1.27)");
  CHECK(err->fail_fast);
  auto invalid = pod_block(waiting("web-1", "InvalidImageName", ""));
  CHECK(invalid->line() == "pod web-1: InvalidImageName (image nginx:1.27)");
  CHECK(pod_block(waiting("web-1", "CreateContainerError", "no command specified"))->line() ==
        "pod web-1: CreateContainerError: no command specified");
}

TEST_CASE("a crash loop says its restarts, last exit code and last log line", "[health][pod-block]") {
  json p = pod("web-1", R"({"phase":"Running","containerStatuses":[{"name":"app","ready":false,"restartCount":5,
    "lastState":{"terminated":{"exitCode":1,"reason":"Error"}},
    "state":{"waiting":{"reason":"CrashLoopBackOff","message":"back-off 2m40s restarting failed container=app pod=web-1"}}}]})");
  auto b = pod_block(p);
  REQUIRE(b.has_value());
  CHECK(b->restarts == 5);
  CHECK(b->last_exit_code == std::optional<std::int64_t>(1));
  CHECK(b->line("panic: DATABASE_URL is not set") ==
        "pod web-1: CrashLoopBackOff (5 restarts): last exit 1: panic: DATABASE_URL is not set");
  CHECK(b->line() == "pod web-1: CrashLoopBackOff (5 restarts): last exit 1: back-off 2m40s restarting failed container=app pod=web-1");
}

TEST_CASE("normal starts, running, finished and deleted pods are not blocked", "[health][pod-block]") {
  CHECK_FALSE(pod_block(waiting("web-1", "ContainerCreating", "")).has_value());
  CHECK_FALSE(pod_block(pod("web-1", R"({"phase":"Running","containerStatuses":[{"name":"app","ready":true,"state":{"running":{}}}]})")).has_value());
  CHECK_FALSE(pod_block(pod("job-1", R"({"phase":"Succeeded"})")).has_value());
  json deleted = waiting("web-1", "CrashLoopBackOff", "");
  deleted["metadata"]["deletionTimestamp"] = "2026-01-01T00:00:00Z";
  CHECK_FALSE(pod_block(deleted).has_value());
}

TEST_CASE("a fail-fast reason wins over other waiting reasons and init containers are named", "[health][pod-block]") {
  json p = pod("web-1", R"({"phase":"Pending",
    "initContainerStatuses":[{"name":"migrate","state":{"waiting":{"reason":"ErrImagePull","message":"not found"}}}],
    "containerStatuses":[{"name":"app","state":{"waiting":{"reason":"PodInitializing","message":"waiting for init"}}}]})",
               R"({"initContainers":[{"name":"migrate","image":"tools:v9"}],"containers":[{"name":"app","image":"nginx"}]})");
  CHECK(pod_block(p)->line() == "pod web-1 init container migrate: ErrImagePull: not found (image tools:v9)");
  json sidecar = pod("web-1", R"({"phase":"Pending","containerStatuses":[
      {"name":"app","state":{"waiting":{"reason":"RunContainerError","message":"permission denied"}}},
      {"name":"proxy","state":{"waiting":{"reason":"CreateContainerError","message":"bad mount"}}}]})",
                     R"({"containers":[{"name":"app","image":"a"},{"name":"proxy","image":"b"}]})");
  CHECK(pod_block(sidecar)->line() == "pod web-1 container proxy: CreateContainerError: bad mount");
}

TEST_CASE("an unschedulable pod is a block but not a fail-fast one", "[health][pod-block]") {
  auto b = pod_block(pod("web-1", R"({"phase":"Pending","conditions":[{"type":"PodScheduled","status":"False","reason":"Unschedulable",
    "message":"0/3 nodes are available: 3 Insufficient cpu."}]})"));
  REQUIRE(b.has_value());
  CHECK(b->line() == "pod web-1: Unschedulable: 0/3 nodes are available: 3 Insufficient cpu.");
  CHECK_FALSE(b->fail_fast);
}

TEST_CASE("a Deployment's block is its first fail-fast pod by name", "[health][pod-block]") {
  json deployment = json::parse(R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"app","uid":"d1"},
    "spec":{"selector":{"matchLabels":{"app":"web"}}}})");
  json rs = json::parse(R"({"apiVersion":"apps/v1","kind":"ReplicaSet","metadata":{"name":"web-6cb4","namespace":"app",
    "ownerReferences":[{"kind":"Deployment","name":"web","uid":"d1"}]}})");
  std::vector<json> pods = {
      pod("web-6cb4-b", R"({"phase":"Pending","conditions":[{"type":"PodScheduled","status":"False","reason":"Unschedulable","message":"no nodes"}]})"),
      waiting("web-6cb4-c", "CreateContainerConfigError", R"(configmap "web-config" not found)"),
      waiting("web-6cb4-a", "ContainerCreating", "")};
  std::vector<json> replica_sets = {rs};
  auto b = workload_block(deployment, pods, replica_sets);
  REQUIRE(b.has_value());
  CHECK(b->line() == R"(pod web-6cb4-c: CreateContainerConfigError: configmap "web-config" not found)");
  CHECK(b->missing->str() == "missing ConfigMap app/web-config");
  CHECK_FALSE(workload_block(deployment, std::vector<json>{}, replica_sets).has_value());
}
