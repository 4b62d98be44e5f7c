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

std::string object(const std::string& api_version, const std::string& kind, const std::string& rest) {
  return R"({"apiVersion":")" + api_version + R"(","kind":")" + kind +
         R"(","metadata":{"name":"x","namespace":"app","generation":2})" +
         (rest.empty() ? "" : "," + rest) + "}";
}

}  // namespace

TEST_CASE("a claim is judged by its phase", "[health]") {
  auto pvc = [](const char* phase) {
    return verdict(object("v1", "PersistentVolumeClaim", std::string(R"("status":{"phase":")") + phase + "\"}")).status;
  };
  CHECK(pvc("Bound") == Status::healthy);
  CHECK(pvc("Pending") == Status::progressing);
  CHECK(pvc("Lost") == Status::degraded);
  CHECK(pvc("Other") == Status::unknown);
}

TEST_CASE("only a LoadBalancer service without an address waits", "[health]") {
  CHECK(verdict(object("v1", "Service", R"("spec":{"type":"ClusterIP"})")).status == Status::healthy);
  CHECK(verdict(object("v1", "Service", R"("spec":{"type":"LoadBalancer"},"status":{"loadBalancer":{}})")).status ==
        Status::progressing);
  CHECK(verdict(object("v1", "Service", R"("spec":{"type":"LoadBalancer"},"status":{"loadBalancer":{"ingress":[{"hostname":"h"}]}})")).status ==
        Status::healthy);
}

TEST_CASE("an ingress is healthy once it has a load balancer address", "[health]") {
  CHECK(verdict(object("networking.k8s.io/v1", "Ingress", "")).status == Status::progressing);
  CHECK(verdict(object("extensions/v1beta1", "Ingress", R"("status":{"loadBalancer":{"ingress":[{"ip":"1.2.3.4"}]}})")).status ==
        Status::healthy);
}

TEST_CASE("an APIService follows its Available condition and is never degraded", "[health]") {
  CHECK(verdict(object("apiregistration.k8s.io/v1", "APIService", "")) ==
        Health{Status::progressing, "Waiting to be processed"});
  CHECK(verdict(object("apiregistration.k8s.io/v1", "APIService",
                       R"("status":{"conditions":[{"type":"Available","status":"False","reason":"MissingEndpoints","message":"no addresses"}]})")) ==
        Health{Status::progressing, "MissingEndpoints: no addresses"});
  CHECK(verdict(object("apiregistration.k8s.io/v1beta1", "APIService",
                       R"("status":{"conditions":[{"type":"Available","status":"True","reason":"Passed","message":"all checks passed"}]})")) ==
        Health{Status::healthy, "Passed: all checks passed"});
}

TEST_CASE("an HPA checks every condition for breakage before any healthy one", "[health]") {
  std::string both = R"([{"type":"AbleToScale","status":"True","reason":"SucceededRescale","message":"ok"},
                         {"type":"ScalingActive","status":"False","reason":"FailedGetResourceMetric","message":"no metrics"}])";
  CHECK(verdict(object("autoscaling/v2", "HorizontalPodAutoscaler", R"("status":{"conditions":)" + both + "}")) ==
        Health{Status::degraded, "no metrics"});
  CHECK(verdict(object("autoscaling/v2", "HorizontalPodAutoscaler",
                       R"("status":{"conditions":[{"type":"ScalingLimited","status":"True","message":"too few"}]})")) ==
        Health{Status::healthy, "too few"});
  CHECK(verdict(object("autoscaling/v2", "HorizontalPodAutoscaler",
                       R"("status":{"conditions":[{"type":"AbleToScale","status":"False","reason":"BackoffBoth"}]})")) ==
        Health{Status::progressing, "Waiting to Autoscale"});
  CHECK(verdict(object("autoscaling/v2", "HorizontalPodAutoscaler", "")) ==
        Health{Status::progressing, "Waiting to Autoscale"});
  for (const char* reason : {"FailedGetObjectMetric", "FailedGetPodsMetric", "FailedGetExternalMetric",
                             "FailedComputeMetricsReplicas", "InvalidSelector"}) {
    INFO(reason);
    CHECK(verdict(object("autoscaling/v2beta2", "HorizontalPodAutoscaler",
                         std::string(R"("status":{"conditions":[{"type":"ScalingActive","status":"False","reason":")") +
                             reason + R"("}]})"))
              .status == Status::degraded);
  }
  CHECK(verdict(object("autoscaling/v2beta1", "HorizontalPodAutoscaler",
                       R"("status":{"conditions":[{"type":"AbleToScale","status":"False","reason":"FailedUpdateScale","message":"m"}]})")) ==
        Health{Status::degraded, "m"});
}

TEST_CASE("an autoscaling/v1 HPA reads its conditions from the annotation", "[health]") {
  auto hpa = [](const std::string& annotations) {
    return verdict(R"({"apiVersion":"autoscaling/v1","kind":"HorizontalPodAutoscaler","metadata":{"name":"h","annotations":)" +
                   annotations + "}}");
  };
  CHECK(hpa("{}") == Health{Status::progressing, "Waiting to Autoscale"});
  CHECK(hpa(R"({"autoscaling.alpha.kubernetes.io/conditions":"[]"})") ==
        Health{Status::progressing, "Waiting to Autoscale"});
  CHECK(hpa(R"({"autoscaling.alpha.kubernetes.io/conditions":"[{\"type\":\"AbleToScale\",\"status\":\"False\",\"reason\":\"FailedGetScale\",\"message\":\"no scale\"}]"})") ==
        Health{Status::degraded, "no scale"});
  CHECK(hpa(R"({"autoscaling.alpha.kubernetes.io/conditions":"not json"})") ==
        Health{Status::unknown,
               "failed to convert conditions annotation to typed: invalid JSON in "
               "autoscaling.alpha.kubernetes.io/conditions"});
  CHECK(verdict(object("autoscaling/v3", "HorizontalPodAutoscaler", "")) ==
        Health{Status::unknown, "unsupported HPA GVK: autoscaling/v3, Kind=HorizontalPodAutoscaler"});
}

TEST_CASE("an Argo Workflow is judged by its phase with its message", "[health]") {
  auto wf = [](const std::string& status) {
    return verdict(object("argoproj.io/v1alpha1", "Workflow", status.empty() ? "" : R"("status":)" + status));
  };
  CHECK(wf("") == Health{Status::progressing, ""});
  CHECK(wf(R"({"phase":"Running","message":"This node is running"})") ==
        Health{Status::progressing, "This node is running"});
  CHECK(wf(R"({"phase":"Pending"})").status == Status::progressing);
  CHECK(wf(R"({"phase":"Succeeded","message":"done"})") == Health{Status::healthy, "done"});
  CHECK(wf(R"({"phase":"Failed"})").status == Status::degraded);
  CHECK(wf(R"({"phase":"Error"})").status == Status::degraded);
  CHECK(wf(R"({"phase":"Odd"})").status == Status::unknown);
}

TEST_CASE("a CRD is healthy once established, installing is progress", "[health]") {
  auto crd = [](const std::string& conditions) {
    return verdict(object("apiextensions.k8s.io/v1", "CustomResourceDefinition",
                          conditions.empty() ? "" : R"("status":{"conditions":)" + conditions + "}"));
  };
  CHECK(crd("") == Health{Status::progressing, "Status conditions not found"});
  CHECK(crd("[]") == Health{Status::progressing, "Status conditions not found"});
  CHECK(crd(R"([{"type":"Terminating","status":"True","message":"deleting"}])") ==
        Health{Status::progressing, "CRD is terminating: deleting"});
  CHECK(crd(R"([{"type":"NamesAccepted","status":"False","message":"conflict"}])") ==
        Health{Status::degraded, "CRD names have not been accepted: conflict"});
  CHECK(crd(R"([{"type":"Established","status":"False","reason":"Installing"}])") ==
        Health{Status::progressing, "CRD is being installed"});
  CHECK(crd(R"([{"type":"Established","status":"False","reason":"Other"}])") ==
        Health{Status::degraded, "CRD is not established"});
  CHECK(crd(R"([{"type":"Established","status":"True"},{"type":"NonStructuralSchema","status":"True","message":"bad"}])") ==
        Health{Status::degraded, "Schema violations found: bad"});
  CHECK(crd(R"([{"type":"NamesAccepted","status":"True"},{"type":"Established","status":"True"}])") ==
        Health{Status::healthy, "CRD is healthy"});
}

TEST_CASE("a cert-manager Certificate waits while issuing and follows Ready", "[health]") {
  auto cert = [](const std::string& conditions) {
    return verdict(object("cert-manager.io/v1", "Certificate",
                          conditions.empty() ? "" : R"("status":{"conditions":)" + conditions + "}"));
  };
  CHECK(cert("") == Health{Status::progressing, "Waiting for certificate"});
  CHECK(cert(R"([{"type":"Ready","status":"True","message":"ok"},{"type":"Issuing","status":"True","message":"renewing"}])") ==
        Health{Status::progressing, "renewing"});
  CHECK(cert(R"([{"type":"Ready","status":"False","message":"bad issuer"}])") ==
        Health{Status::degraded, "bad issuer"});
  CHECK(cert(R"([{"type":"Ready","status":"True","message":"Certificate is up to date"}])") ==
        Health{Status::healthy, "Certificate is up to date"});
  CHECK(cert(R"([{"type":"Ready","status":"Unknown"}])") ==
        Health{Status::progressing, "Waiting for certificate"});
}

TEST_CASE("cert-manager issuers follow Ready", "[health]") {
  CHECK(verdict(object("cert-manager.io/v1", "ClusterIssuer", "")) ==
        Health{Status::progressing, "Initializing ClusterIssuer"});
  CHECK(verdict(object("cert-manager.io/v1", "Issuer", "")) == Health{Status::progressing, "Initializing issuer"});
  CHECK(verdict(object("cert-manager.io/v1", "Issuer", R"("status":{"conditions":[{"type":"Ready","status":"True","message":"ok"}]})")) ==
        Health{Status::healthy, "ok"});
  CHECK(verdict(object("cert-manager.io/v1", "Issuer", R"("status":{"conditions":[{"type":"Ready","status":"False","message":"no"}]})")) ==
        Health{Status::degraded, "no"});
  CHECK_FALSE(assess(json::parse(object("cert-manager.io/v1", "CertificateRequest", "")), {}));
}

TEST_CASE("rabbitmq topology objects are unknown until the operator reports", "[health]") {
  CHECK(verdict(object("rabbitmq.com/v1beta1", "Queue", "")) ==
        Health{Status::unknown, "RabbitMQ queue status is unknown"});
  CHECK(verdict(object("rabbitmq.com/v1beta1", "Permission",
                       R"("status":{"conditions":[{"type":"Ready","status":"True","reason":"SuccessfulCreateOrUpdate"}]})")) ==
        Health{Status::healthy, "RabbitMQ permission ready"});
  CHECK(verdict(object("rabbitmq.com/v1beta1", "Vhost",
                       R"("status":{"conditions":[{"type":"Ready","status":"False","reason":"FailedCreateOrUpdate"}]})")) ==
        Health{Status::degraded, "RabbitMQ vhost failed to be created or updated"});
  CHECK(verdict(object("rabbitmq.com/v1beta1", "User",
                       R"("status":{"conditions":[{"type":"Ready","status":"True","reason":"Other"}]})")) ==
        Health{Status::unknown, "RabbitMQ user status is unknown"});
}

TEST_CASE("a RabbitmqCluster waits for formation and replicas", "[health]") {
  auto cluster = [](const std::string& conditions, int replicas = 3) {
    return verdict(object("rabbitmq.com/v1beta1", "RabbitmqCluster",
                          R"("spec":{"replicas":)" + std::to_string(replicas) + "}" +
                              (conditions.empty() ? "" : R"(,"status":{"conditions":)" + conditions + "}")));
  };
  CHECK(cluster("") == Health{Status::progressing, "Waiting for RabbitMQ Operator"});
  CHECK(cluster(R"([{"type":"ReconcileSuccess","status":"False","message":"bad config"}])") ==
        Health{Status::degraded, "bad config"});
  CHECK(cluster(R"([{"type":"ClusterAvailable","status":"Unknown"}])").message ==
        "Waiting for RabbitMQ cluster readiness (conditions unknown)");
  CHECK(cluster(R"([{"type":"AllReplicasReady","status":"False","reason":"ScaledToZero"}])", 0) ==
        Health{Status::suspended, "RabbitmqCluster is scaled to 0 replicas"});
  CHECK(cluster(R"([{"type":"ClusterAvailable","status":"False"},{"type":"AllReplicasReady","status":"True"}])").message ==
        "Waiting for RabbitMQ cluster formation");
  CHECK(cluster(R"([{"type":"ClusterAvailable","status":"True"},{"type":"AllReplicasReady","status":"False"}])").message ==
        "Waiting for RabbitMQ instances ready");
  CHECK(cluster(R"([{"type":"ClusterAvailable","status":"True"},{"type":"AllReplicasReady","status":"True"}])") ==
        Health{Status::healthy, "RabbitMQ cluster ready"});
  CHECK(cluster(R"([{"type":"ClusterAvailable","status":"True"}])").message == "Waiting for RabbitMQ Operator");
}

TEST_CASE("a healthy verdict from status older than the spec waits for the controller", "[health]") {
  // object() sets metadata.generation 2.
  CHECK(verdict(object("cert-manager.io/v1", "Certificate",
                       R"("status":{"conditions":[{"type":"Ready","status":"True","observedGeneration":1,"message":"ok"}]})")) ==
        Health{Status::progressing, "waiting for the controller to observe generation 2 (observed 1)"});
  CHECK(verdict(object("cert-manager.io/v1", "Certificate",
                       R"("status":{"conditions":[{"type":"Ready","status":"True","observedGeneration":2,"message":"ok"}]})")) ==
        Health{Status::healthy, "ok"});
  CHECK(verdict(object("autoscaling/v2", "HorizontalPodAutoscaler",
                       R"("status":{"observedGeneration":1,"conditions":[{"type":"AbleToScale","status":"True","message":"ok"}]})")) ==
        Health{Status::progressing, "waiting for the controller to observe generation 2 (observed 1)"});
  CHECK(verdict(object("rabbitmq.com/v1beta1", "Queue",
                       R"("status":{"observedGeneration":2,"conditions":[{"type":"Ready","status":"True","reason":"SuccessfulCreateOrUpdate"}]})")) ==
        Health{Status::healthy, "RabbitMQ queue ready"});
  // A verdict other than Healthy is kept: stale status cannot make things better than they are.
  CHECK(verdict(object("cert-manager.io/v1", "Certificate",
                       R"("status":{"conditions":[{"type":"Ready","status":"False","observedGeneration":1,"message":"bad"}]})")) ==
        Health{Status::degraded, "bad"});
}
