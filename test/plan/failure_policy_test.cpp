// wavesync.dev/timeout, pod-failure-grace and wait-for, read from inline YAML.
#include "plan/plan_test_util.hpp"

using namespace wavesync;
using namespace wavesync::testing;
using namespace std::chrono_literals;

namespace {
Result<FailurePolicy> policy_of(const std::string& annotations) {
  auto resources = resources_from(R"(apiVersion: batch/v1
kind: Job
metadata:
  name: creds
  namespace: app
  annotations:
)" + annotations + R"(
spec: {}
)");
  REQUIRE(resources.size() == 1);
  return read_failure_policy(resources[0]);
}
}  // namespace

TEST_CASE("an object without policy annotations has no timeout, grace or dependencies", "[plan][policy]") {
  auto policy = policy_of("    a: b");
  REQUIRE(policy.ok());
  CHECK(*policy == FailurePolicy{});
}

TEST_CASE("wavesync.dev/timeout and pod-failure-grace are Go durations", "[plan][policy]") {
  auto policy = policy_of("    wavesync.dev/timeout: 5m\n    wavesync.dev/pod-failure-grace: 1m30s");
  REQUIRE(policy.ok());
  CHECK(policy->timeout == std::optional<std::chrono::milliseconds>(5min));
  CHECK(policy->pod_failure_grace == std::optional<std::chrono::milliseconds>(90s));
}

TEST_CASE("a policy duration that does not parse is an error at the annotation", "[plan][policy]") {
  auto policy = policy_of("    wavesync.dev/timeout: 5 min");
  REQUIRE_FALSE(policy.ok());
  CHECK(policy.error().message ==
        R"(app.yaml:7: wavesync.dev/timeout: invalid duration "5 min": unknown unit " min" (expected e.g. 10m, 90s, 1m30s or 500ms))");
  CHECK(policy.error().exit_code == 2);
  auto grace = policy_of("    wavesync.dev/pod-failure-grace: \"-1s\"");
  REQUIRE_FALSE(grace.ok());
  CHECK(grace.error().message ==
        R"(app.yaml:7: wavesync.dev/pod-failure-grace: invalid duration "-1s": negative (expected e.g. 10m, 90s, 1m30s or 500ms))");
}

TEST_CASE("wait-for names core, grouped, namespaced and cluster-scoped objects", "[plan][policy]") {
  auto policy = policy_of(
      "    wavesync.dev/wait-for: v1/Secret/rook-ceph/rgw-user, ceph.rook.io/v1/CephObjectStoreUser/rook-ceph/s3,"
      " v1/Namespace/rook-ceph, apps/v1/Deployment/operator");
  REQUIRE(policy.ok());
  REQUIRE(policy->wait_for.size() == 4);
  CHECK(policy->wait_for[0] == ExternalObject{"v1", "Secret", "rook-ceph", "rgw-user"});
  CHECK(policy->wait_for[1] == ExternalObject{"ceph.rook.io/v1", "CephObjectStoreUser", "rook-ceph", "s3"});
  CHECK(policy->wait_for[2] == ExternalObject{"v1", "Namespace", "", "rook-ceph"});
  CHECK(policy->wait_for[3] == ExternalObject{"apps/v1", "Deployment", "", "operator"});
  CHECK(policy->wait_for[1].str() == "ceph.rook.io/v1 CephObjectStoreUser rook-ceph/s3");
  CHECK(policy->wait_for[2].str() == "v1 Namespace rook-ceph");
}

TEST_CASE("a wait-for item that names no object is an error at the annotation", "[plan][policy]") {
  for (const char* bad : {"Secret/x", "v1/Secret", "v1/Secret/a/b/c", "apps/v1/Deployment", "v1//x", "v1/Secret/ns/"}) {
    INFO(bad);
    auto policy = policy_of(std::string("    wavesync.dev/wait-for: ") + bad);
    REQUIRE_FALSE(policy.ok());
    CHECK(policy.error().message ==
          std::string("app.yaml:7: wavesync.dev/wait-for: invalid object \"") + bad +
              "\": expected <apiVersion>/<Kind>/<namespace>/<name> or <apiVersion>/<Kind>/<name>");
  }
}

TEST_CASE("make_plan carries the policy to each planned resource and fails on a bad one", "[plan][policy]") {
  auto resources = resources_from(R"(apiVersion: v1
kind: ConfigMap
metadata:
  name: c
  annotations:
    wavesync.dev/timeout: 30s
)");
  Plan plan = plan_of(resources);
  CHECK(plan.steps.at(0).resources.at(0).policy.timeout == std::optional<std::chrono::milliseconds>(30s));
  {
    nlohmann::json object = resources[0].object();
    object["metadata"]["annotations"]["wavesync.dev/timeout"] = "soon";
    resources[0].set_object(object);
  }
  auto failed = make_plan(resources, {});
  REQUIRE_FALSE(failed.ok());
  CHECK(failed.error().message ==
        R"(app.yaml:6: wavesync.dev/timeout: invalid duration "soon": expected a number (expected e.g. 10m, 90s, 1m30s or 500ms))");
}
