// The individual health rules behind health::assess, one function per kind. Internal to the
// health module (tests may call them); each takes a live object already known to be of its kind.
// Semantics: gitops-engine pkg/health (health_*.go, one file per kind).
#pragma once

#include "wavesync/health/health.hpp"

#include <nlohmann/json.hpp>

namespace wavesync::health::rules {

// Argo CD's Go built-ins (gitops-engine pkg/health).
Health deployment(const nlohmann::json& live);
Health stateful_set(const nlohmann::json& live);
Health daemon_set(const nlohmann::json& live);
Health replica_set(const nlohmann::json& live);
// `hook`: the pod is a hook, so argocd.argoproj.io/ignore-restart-policy does not apply.
Health pod(const nlohmann::json& live, bool hook);
Health job(const nlohmann::json& live);
Health persistent_volume_claim(const nlohmann::json& live);
Health service(const nlohmann::json& live);
Health ingress(const nlohmann::json& live);
Health api_service(const nlohmann::json& live);
Health horizontal_pod_autoscaler(const nlohmann::json& live);
Health argo_workflow(const nlohmann::json& live);

// Argo CD's bundled Lua scripts (resource_customizations/), reimplemented.
Health cron_job(const nlohmann::json& live);
Health custom_resource_definition(const nlohmann::json& live);
Health cert_manager_certificate(const nlohmann::json& live);
Health cert_manager_issuer(const nlohmann::json& live);  // Issuer and ClusterIssuer
// rabbitmq.com messaging-topology kinds (Binding, Exchange, Permission, Policy, Queue, Shovel,
// User, Vhost); `noun` is the lower-case word used in messages (`queue`).
Health rabbitmq_topology(const nlohmann::json& live, const char* noun);
Health rabbitmq_cluster(const nlohmann::json& live);
Health rollout(const nlohmann::json& live);                // argoproj.io
Health analysis_run(const nlohmann::json& live);           // argoproj.io
Health external_secrets(const nlohmann::json& live);       // ExternalSecret, (Cluster)SecretStore
Health sealed_secret(const nlohmann::json& live);          // bitnami.com
Health flux(const nlohmann::json& live);                   // Kustomization, HelmRelease, Git/HelmRepository
Health cnpg_cluster(const nlohmann::json& live);           // postgresql.cnpg.io
Health strimzi(const nlohmann::json& live);                // Kafka, KafkaTopic
Health keda_scaled_object(const nlohmann::json& live);     // keda.sh
Health karpenter_node_pool(const nlohmann::json& live);    // karpenter.sh
Health gateway(const nlohmann::json& live);                // gateway.networking.k8s.io
Health http_route(const nlohmann::json& live);             // gateway.networking.k8s.io
Health knative_service(const nlohmann::json& live);        // serving.knative.dev
Health prometheus(const nlohmann::json& live);             // monitoring.coreos.com
Health ceph_cluster(const nlohmann::json& live);           // ceph.rook.io
Health ceph_object_store(const nlohmann::json& live);      // ceph.rook.io
Health crossplane_provider(const nlohmann::json& live);    // pkg.crossplane.io Provider
Health crossplane(const nlohmann::json& live);             // every other *.crossplane.io kind
Health olm_subscription(const nlohmann::json& live);       // operators.coreos.com
Health keycloak(const nlohmann::json& live);               // k8s.keycloak.org
Health minio_tenant(const nlohmann::json& live);           // minio.min.io
Health pod_disruption_budget(const nlohmann::json& live);  // policy

// wavesync's opt-in generic rule for custom resources that follow Kubernetes conventions.
Health conditions(const nlohmann::json& live);

}  // namespace wavesync::health::rules
