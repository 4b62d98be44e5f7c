// The individual health rules behind health::assess, one function per kind. Internal to the
// health module (tests may call them); each takes a live object already known to be of its kind.
// Semantics: ../shared/research/argocd-semantics.md section 4.
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

// wavesync's opt-in generic rule for custom resources that follow Kubernetes conventions.
Health conditions(const nlohmann::json& live);

}  // namespace wavesync::health::rules
