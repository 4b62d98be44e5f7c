#include "wavesync/health/diagnostics.hpp"

#include <catch2/catch.hpp>

using namespace wavesync::health;
using nlohmann::json;

namespace {

json pod(const std::string& name, const std::string& status, const std::string& metadata_extra = "") {
  return json::parse(R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":")" + name +
                     R"(","namespace":"app","labels":{"app":"web"})" + metadata_extra +
                     R"(},"status":)" + status + "}");
}

std::vector<std::string> lines(const std::vector<Diagnostic>& found) {
  std::vector<std::string> out;
  for (const auto& d : found) out.push_back(d.line);
  return out;
}

}  // namespace

TEST_CASE("a pod stuck on a missing Secret names the Secret", "[health][diagnostics]") {
  auto found = pod_diagnostics(pod("web-7d9f-abc", R"({"phase":"Pending","containerStatuses":[
    {"name":"app","ready":false,"state":{"waiting":{"reason":"CreateContainerConfigError","message":"secret \"app-pg-credentials\" not found"}}}]})"));
  REQUIRE(found.size() == 1);
  CHECK(found[0].line ==
        R"(pod web-7d9f-abc: container app waiting: CreateContainerConfigError: secret "app-pg-credentials" not found)");
  CHECK(found[0].pod == "web-7d9f-abc");
  REQUIRE(found[0].missing.has_value());
  CHECK(*found[0].missing == MissingReference{"Secret", "app", "app-pg-credentials", ""});
  CHECK(found[0].missing->str() == "missing Secret app/app-pg-credentials");
}

TEST_CASE("kubelet messages about missing Secrets and ConfigMaps are parsed", "[health][diagnostics]") {
  CHECK(parse_missing_reference(R"(configmap "app-config" not found)", "ns") ==
        MissingReference{"ConfigMap", "ns", "app-config", ""});
  CHECK(parse_missing_reference(R"(MountVolume.SetUp failed for volume "tls" : secrets "web-tls" not found)", "ns") ==
        MissingReference{"Secret", "ns", "web-tls", ""});
  CHECK(parse_missing_reference(R"(configmaps "c" not found)", "ns")->kind == "ConfigMap");
  auto key = parse_missing_reference("couldn't find key password in Secret app/app-pg-credentials", "x");
  REQUIRE(key.has_value());
  CHECK(*key == MissingReference{"Secret", "app", "app-pg-credentials", "password"});
  CHECK(key->str() == "missing key password in Secret app/app-pg-credentials");
  CHECK(parse_missing_reference("couldn't find key LOG_LEVEL in ConfigMap app/settings", "x") ==
        MissingReference{"ConfigMap", "app", "settings", "LOG_LEVEL"});
  CHECK_FALSE(parse_missing_reference("Back-off pulling image \"x\"", "ns").has_value());
  CHECK_FALSE(parse_missing_reference(R"(mysecret "a" not found)", "ns").has_value());
  CHECK_FALSE(parse_missing_reference("", "ns").has_value());
}

TEST_CASE("pod diagnostics cover init containers, terminations, restarts and scheduling", "[health][diagnostics]") {
  auto found = pod_diagnostics(pod("job-x", R"({"phase":"Failed","reason":"Evicted","message":"The node was low on resource: memory.",
    "conditions":[{"type":"PodScheduled","status":"True"}],
    "initContainerStatuses":[{"name":"migrate","state":{"terminated":{"reason":"Error","exitCode":1,"message":"relation \"users\" does not exist"}}}],
    "containerStatuses":[
      {"name":"ok","state":{"terminated":{"reason":"Completed","exitCode":0}}},
      {"name":"big","state":{"terminated":{"reason":"OOMKilled","exitCode":137}}}]})"));
  CHECK(lines(found) == std::vector<std::string>{
                            "pod job-x: failed: Evicted: The node was low on resource: memory.",
                            R"(pod job-x: init container migrate terminated: Error (exit code 1): relation "users" does not exist)",
                            "pod job-x: container big terminated: OOMKilled (exit code 137)",
                        });

  CHECK(lines(pod_diagnostics(pod("web-1", R"({"phase":"Running","containerStatuses":[
    {"name":"app","ready":false,"state":{"waiting":{"reason":"CrashLoopBackOff","message":"back-off 40s restarting failed container=app"}},
     "lastState":{"terminated":{"reason":"Error","exitCode":2}}}]})"))) ==
        std::vector<std::string>{
            "pod web-1: container app waiting: CrashLoopBackOff: back-off 40s restarting failed "
            "container=app (last terminated: Error, exit code 2)"});

  CHECK(lines(pod_diagnostics(pod("web-2", R"({"phase":"Running","containerStatuses":[
    {"name":"app","ready":false,"state":{"running":{}},"lastState":{"terminated":{"reason":"OOMKilled","exitCode":137}}}]})"))) ==
        std::vector<std::string>{"pod web-2: container app restarted: last terminated: OOMKilled, exit code 137"});

  CHECK(lines(pod_diagnostics(pod("web-3", R"({"phase":"Pending","conditions":[{"type":"PodScheduled","status":"False","reason":"Unschedulable",
    "message":"0/3 nodes are available: 3 Insufficient cpu."}]})"))) ==
        std::vector<std::string>{"pod web-3: not scheduled: Unschedulable: 0/3 nodes are available: 3 Insufficient cpu."});

  CHECK(lines(pod_diagnostics(pod("web-4", R"({"phase":"Pending","initContainerStatuses":[
    {"name":"wait","state":{"waiting":{"reason":"PodInitializing"}}}],"containerStatuses":[
    {"name":"app","state":{"waiting":{"reason":"ContainerCreating"}}},
    {"name":"img","state":{"waiting":{"reason":"InvalidImageName","message":"Failed to apply default image tag \"a b\""}}}]})"))) ==
        std::vector<std::string>{
            R"(pod web-4: container img waiting: InvalidImageName: Failed to apply default image tag "a b")"});
}

TEST_CASE("a healthy pod has nothing to report", "[health][diagnostics]") {
  CHECK(pod_diagnostics(pod("web-5", R"({"phase":"Running","containerStatuses":[
    {"name":"app","ready":true,"state":{"running":{}},"lastState":{"terminated":{"reason":"Error","exitCode":1}}}]})"))
            .empty());
  CHECK(pod_diagnostics(pod("web-6", "{}")).empty());
}

namespace {

const char* k_deployment = R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"app","uid":"d1"},
  "spec":{"selector":{"matchLabels":{"app":"web"}}}})";

std::string owned(const std::string& kind, const std::string& name, const std::string& uid) {
  return R"(,"ownerReferences":[{"kind":")" + kind + R"(","name":")" + name + R"(","uid":")" + uid +
         R"(","controller":true}])";
}

std::vector<std::string> names(const std::vector<const json*>& pods) {
  std::vector<std::string> out;
  for (const json* p : pods) out.push_back((*p)["metadata"]["name"].get<std::string>());
  return out;
}

}  // namespace

TEST_CASE("a deployment's pods are found through its replicasets", "[health][diagnostics]") {
  json deployment = json::parse(k_deployment);
  std::vector<json> replica_sets = {
      json::parse(R"({"kind":"ReplicaSet","metadata":{"name":"web-7d9f","namespace":"app","uid":"r1",
        "ownerReferences":[{"kind":"Deployment","name":"web","uid":"d1"}]}})"),
      json::parse(R"({"kind":"ReplicaSet","metadata":{"name":"other-1","namespace":"app","uid":"r2"}})"),
  };
  std::vector<json> pods = {
      pod("web-7d9f-abc", "{}", owned("ReplicaSet", "web-7d9f", "r1")),
      pod("other-1-x", "{}", owned("ReplicaSet", "other-1", "r2")),
      pod("bare", "{}"),
  };
  CHECK(names(select_pods(deployment, pods, replica_sets)) == std::vector<std::string>{"web-7d9f-abc", "bare"});
  // Without the ReplicaSets the selector decides.
  CHECK(names(select_pods(deployment, pods)) == std::vector<std::string>{"web-7d9f-abc", "other-1-x", "bare"});
}

TEST_CASE("a workload's pods are found by owner uid, then name, then selector", "[health][diagnostics]") {
  json sts = json::parse(R"({"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"name":"db","namespace":"app","uid":"s1"},
    "spec":{"selector":{"matchExpressions":[{"key":"app","operator":"In","values":["db"]},{"key":"canary","operator":"DoesNotExist"}]}}})");
  std::vector<json> pods = {
      pod("db-0", "{}", owned("StatefulSet", "db", "s1")),
      pod("db-old", "{}", owned("StatefulSet", "db", "s0")),
      json::parse(R"({"kind":"Pod","metadata":{"name":"db-x","namespace":"app","labels":{"app":"db"}}})"),
      json::parse(R"({"kind":"Pod","metadata":{"name":"db-canary","namespace":"app","labels":{"app":"db","canary":"1"}}})"),
      json::parse(R"({"kind":"Pod","metadata":{"name":"db-elsewhere","namespace":"other","labels":{"app":"db"}}})"),
  };
  CHECK(names(select_pods(sts, pods)) == std::vector<std::string>{"db-0", "db-x"});
  json job = json::parse(R"({"kind":"Job","metadata":{"name":"migrate","namespace":"app"}})");
  std::vector<json> job_pods = {pod("migrate-abc", "{}", R"(,"ownerReferences":[{"kind":"Job","name":"migrate"}])"),
                                pod("unowned", "{}")};
  CHECK(names(select_pods(job, job_pods)) == std::vector<std::string>{"migrate-abc"});
}

TEST_CASE("workload diagnostics list each pod's findings ordered by pod name", "[health][diagnostics]") {
  json deployment = json::parse(k_deployment);
  std::string waiting = R"({"phase":"Pending","containerStatuses":[{"name":"app","state":{"waiting":
    {"reason":"CreateContainerConfigError","message":"couldn't find key password in Secret app/app-pg-credentials"}}}]})";
  std::vector<json> pods = {pod("web-b", waiting), pod("web-a", waiting),
                            pod("web-c", R"({"phase":"Running","containerStatuses":[{"name":"app","ready":true,"state":{"running":{}}}]})")};
  auto found = workload_diagnostics(deployment, pods);
  CHECK(lines(found) ==
        std::vector<std::string>{
            "pod web-a: container app waiting: CreateContainerConfigError: couldn't find key password in Secret app/app-pg-credentials",
            "pod web-b: container app waiting: CreateContainerConfigError: couldn't find key password in Secret app/app-pg-credentials",
        });
  REQUIRE(found[0].missing.has_value());
  CHECK(found[0].missing->str() == "missing key password in Secret app/app-pg-credentials");
}
