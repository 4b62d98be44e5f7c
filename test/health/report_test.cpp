#include "wavesync/health/report.hpp"

#include <catch2/catch.hpp>

using namespace wavesync::health;
using nlohmann::json;

namespace {

std::vector<json> live_objects() {
  return {
      json::parse(R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"app","uid":"d1","generation":1},
        "spec":{"replicas":1,"selector":{"matchLabels":{"app":"web"}}},
        "status":{"observedGeneration":1,"replicas":1,"updatedReplicas":1,"availableReplicas":0}})"),
      json::parse(R"({"apiVersion":"apps/v1","kind":"ReplicaSet","metadata":{"name":"web-7d9f","namespace":"app","uid":"r1","generation":1,
        "ownerReferences":[{"kind":"Deployment","name":"web","uid":"d1"}]},
        "spec":{"replicas":1},"status":{"observedGeneration":1,"availableReplicas":0}})"),
      json::parse(R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":"web-7d9f-abc","namespace":"app",
        "ownerReferences":[{"kind":"ReplicaSet","name":"web-7d9f","uid":"r1"}]},"spec":{"restartPolicy":"Always"},
        "status":{"phase":"Pending","containerStatuses":[{"name":"app","state":{"waiting":{"reason":"CreateContainerConfigError",
        "message":"secret \"app-pg-credentials\" not found"}}}]}})"),
      json::parse(R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"settings","namespace":"app"}})"),
      json::parse(R"({"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition","metadata":{"name":"queues.rabbitmq.com"},
        "status":{"conditions":[{"type":"Established","status":"True"}]}})"),
  };
}

}  // namespace

TEST_CASE("the health report explains an unavailable deployment through its pods", "[health][report]") {
  auto reports = assess_all(live_objects(), {});
  REQUIRE(reports.size() == 5);
  CHECK(format_text(reports[0]) ==
        "Deployment app/web: Progressing: Waiting for rollout to finish: 0 of 1 updated replicas are available...\n"
        "  pod web-7d9f-abc: container app waiting: CreateContainerConfigError: secret \"app-pg-credentials\" not found");
  REQUIRE(reports[0].diagnostics.size() == 1);
  CHECK(reports[0].diagnostics[0].missing->str() == "missing Secret app/app-pg-credentials");
  CHECK(format_text(reports[2]) ==
        "Pod app/web-7d9f-abc: Degraded: secret \"app-pg-credentials\" not found\n"
        "  pod web-7d9f-abc: container app waiting: CreateContainerConfigError: secret \"app-pg-credentials\" not found");
  CHECK(format_text(reports[3]) == "ConfigMap app/settings: None: no health rule");
  CHECK(format_text(reports[4]) == "CustomResourceDefinition queues.rabbitmq.com: Healthy: CRD is healthy");
}

TEST_CASE("the JSON health report is one object per line in a fixed field order", "[health][report]") {
  auto reports = assess_all(live_objects(), {});
  CHECK(format_json(reports[3]) ==
        R"({"apiVersion":"v1","kind":"ConfigMap","namespace":"app","name":"settings","status":"None","message":""})");
  CHECK(format_json(reports[4]) ==
        R"({"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition","namespace":"","name":"queues.rabbitmq.com","status":"Healthy","message":"CRD is healthy"})");
  CHECK(format_json(reports[1]) ==
        R"({"apiVersion":"apps/v1","kind":"ReplicaSet","namespace":"app","name":"web-7d9f","status":"Progressing",)"
        R"("message":"Waiting for rollout to finish: 0 out of 1 new replicas are available...",)"
        R"("diagnostics":["pod web-7d9f-abc: container app waiting: CreateContainerConfigError: secret \"app-pg-credentials\" not found"]})");
}
