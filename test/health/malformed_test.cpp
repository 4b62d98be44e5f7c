#include "wavesync/health/diagnostics.hpp"
#include "wavesync/health/health.hpp"
#include "wavesync/health/report.hpp"

#include <catch2/catch.hpp>

using namespace wavesync::health;
using nlohmann::json;

TEST_CASE("live objects of the wrong shape get a verdict, never an exception", "[health]") {
  const std::vector<std::pair<std::string, std::string>> kinds = {
      {"apps/v1", "Deployment"}, {"apps/v1", "StatefulSet"}, {"apps/v1", "DaemonSet"},
      {"apps/v1", "ReplicaSet"}, {"v1", "Pod"}, {"batch/v1", "Job"}, {"batch/v1", "CronJob"},
      {"v1", "PersistentVolumeClaim"}, {"v1", "Service"}, {"networking.k8s.io/v1", "Ingress"},
      {"apiregistration.k8s.io/v1", "APIService"}, {"autoscaling/v1", "HorizontalPodAutoscaler"},
      {"autoscaling/v2", "HorizontalPodAutoscaler"}, {"argoproj.io/v1alpha1", "Workflow"},
      {"apiextensions.k8s.io/v1", "CustomResourceDefinition"}, {"cert-manager.io/v1", "Certificate"},
      {"rabbitmq.com/v1beta1", "Queue"}, {"rabbitmq.com/v1beta1", "RabbitmqCluster"},
      {"example.com/v1", "Widget"}};
  const std::vector<std::string> bodies = {
      R"("metadata":"x","spec":[],"status":"broken")",
      R"("metadata":{"annotations":{"autoscaling.alpha.kubernetes.io/conditions":7},"finalizers":"f"},"spec":{"replicas":"3","updateStrategy":7},"status":{"conditions":"c","containerStatuses":[1,"a",null,{"state":[]}]})",
      R"("spec":{"selector":{"matchExpressions":[{"key":1,"operator":"In","values":"v"}]}},"status":{"conditions":[null,{"type":1},{"type":"Ready","status":true}],"loadBalancer":{"ingress":{}}})",
      R"("metadata":{"deletionTimestamp":null,"generation":"2"},"status":{"observedGeneration":1.5,"phase":3,"initContainerStatuses":{}})",
  };
  for (const auto& [api_version, kind] : kinds) {
    for (const std::string& body : bodies) {
      json live = json::parse(R"({"apiVersion":")" + api_version + R"(","kind":")" + kind + R"(",)" + body + "}");
      INFO(live.dump());
      CHECK_NOTHROW(assess(live, Options{ConditionsRule::all_custom_resources, Role::resource}));
      CHECK_NOTHROW(pod_diagnostics(live));
      std::vector<json> all = {live, live};
      CHECK_NOTHROW(workload_diagnostics(live, all, all));
      CHECK_NOTHROW(assess_all(all, {}));
    }
  }
  CHECK_NOTHROW(assess(json(nullptr), {}));
  CHECK_NOTHROW(assess(json::array(), {}));
}
