// health::assess: picks the rule for a live object in Argo CD's order (pending deletion, then the
// per-kind rule), plus wavesync's per-object annotation and opt-in conditions rule.
#include "wavesync/health/health.hpp"

#include "wavesync/health/fields.hpp"
#include "wavesync/health/rules.hpp"
#include "wavesync/health/scripts.hpp"

#include <array>

namespace wavesync::health {

namespace {

constexpr std::array<std::pair<Status, std::string_view>, 6> k_status_names = {{
    {Status::healthy, "Healthy"},
    {Status::progressing, "Progressing"},
    {Status::degraded, "Degraded"},
    {Status::suspended, "Suspended"},
    {Status::missing, "Missing"},
    {Status::unknown, "Unknown"},
}};

// API groups served by Kubernetes itself. Deliberately a list: several CRD groups also end in
// `.k8s.io` (gateway.networking.k8s.io, snapshot.storage.k8s.io).
constexpr std::array<std::string_view, 24> k_builtin_groups = {
    "",
    "apps",
    "batch",
    "autoscaling",
    "policy",
    "extensions",
    "networking.k8s.io",
    "rbac.authorization.k8s.io",
    "storage.k8s.io",
    "apiextensions.k8s.io",
    "apiregistration.k8s.io",
    "admissionregistration.k8s.io",
    "coordination.k8s.io",
    "discovery.k8s.io",
    "events.k8s.io",
    "node.k8s.io",
    "scheduling.k8s.io",
    "certificates.k8s.io",
    "flowcontrol.apiserver.k8s.io",
    "internal.apiserver.k8s.io",
    "resource.k8s.io",
    "authentication.k8s.io",
    "authorization.k8s.io",
    "storagemigration.k8s.io",
};

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Argo CD's notion of a hook: an `argocd.argoproj.io/hook` value other than only `Skip`, or a
// `helm.sh/hook` other than `crd-install`.
bool has_hook_annotation(const Json& live) {
  if (const std::string* value = annotation(live, "argocd.argoproj.io/hook")) {
    std::string_view rest = *value;
    while (!rest.empty()) {
      auto comma = rest.find(',');
      std::string_view item = trim(rest.substr(0, comma));
      if (!item.empty() && item != "Skip") return true;
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    }
  }
  const std::string* helm = annotation(live, "helm.sh/hook");
  return helm != nullptr && trim(*helm) != "crd-install";
}

bool has_hook_finalizer(const Json& live) {
  const Json* finalizers = find_path(live, {"metadata", "finalizers"});
  if (finalizers == nullptr || !finalizers->is_array()) return false;
  for (const Json& f : *finalizers) {
    if (f.is_string() && f.get<std::string>() == k_hook_finalizer) return true;
  }
  return false;
}

bool being_deleted(const Json& live) {
  const Json* ts = find_path(live, {"metadata", "deletionTimestamp"});
  return ts != nullptr && !ts->is_null();
}

Health unsupported(const std::string& kind, const Json& live) {
  return {Status::unknown, "unsupported " + kind + " GVK: " + string_at(live, {"apiVersion"}) +
                               ", Kind=" + string_at(live, {"kind"})};
}

struct KindRule {
  std::string_view group;
  std::string_view kind;
  Health (*rule)(const Json&);
};

// Operators' kinds that Argo CD judges with a bundled Lua script, reimplemented.
constexpr std::array<KindRule, 29> k_operator_rules = {{
    {"argoproj.io", "Rollout", rules::rollout},
    {"argoproj.io", "AnalysisRun", rules::analysis_run},
    {"external-secrets.io", "ExternalSecret", rules::external_secrets},
    {"external-secrets.io", "SecretStore", rules::external_secrets},
    {"external-secrets.io", "ClusterSecretStore", rules::external_secrets},
    {"bitnami.com", "SealedSecret", rules::sealed_secret},
    {"kustomize.toolkit.fluxcd.io", "Kustomization", rules::flux},
    {"helm.toolkit.fluxcd.io", "HelmRelease", rules::flux},
    {"source.toolkit.fluxcd.io", "GitRepository", rules::flux},
    {"source.toolkit.fluxcd.io", "HelmRepository", rules::flux},
    {"postgresql.cnpg.io", "Cluster", rules::cnpg_cluster},
    {"kafka.strimzi.io", "Kafka", rules::strimzi},
    {"kafka.strimzi.io", "KafkaTopic", rules::strimzi},
    {"keda.sh", "ScaledObject", rules::keda_scaled_object},
    {"karpenter.sh", "NodePool", rules::karpenter_node_pool},
    {"gateway.networking.k8s.io", "Gateway", rules::gateway},
    {"gateway.networking.k8s.io", "HTTPRoute", rules::http_route},
    {"serving.knative.dev", "Service", rules::knative_service},
    {"monitoring.coreos.com", "Prometheus", rules::prometheus},
    {"ceph.rook.io", "CephCluster", rules::ceph_cluster},
    {"ceph.rook.io", "CephObjectStore", rules::ceph_object_store},
    {"pkg.crossplane.io", "Provider", rules::crossplane_provider},
    {"operators.coreos.com", "Subscription", rules::olm_subscription},
    {"k8s.keycloak.org", "Keycloak", rules::keycloak},
    {"minio.min.io", "Tenant", rules::minio_tenant},
    {"policy", "PodDisruptionBudget", rules::pod_disruption_budget},
    {"cert-manager.io", "Certificate", rules::cert_manager_certificate},
    {"cert-manager.io", "Issuer", rules::cert_manager_issuer},
    {"cert-manager.io", "ClusterIssuer", rules::cert_manager_issuer},
}};

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

// Argo CD's built-in rule or bundled script for this group/kind, if there is one. As in Argo CD
// the Go rules accept one version and call any other an unsupported GVK (Unknown).
std::optional<Health> builtin_rule(const Json& live, const Options& options) {
  std::string group = group_of_object(live);
  std::string version = version_of_object(live);
  std::string kind = string_at(live, {"kind"});
  for (const KindRule& r : k_operator_rules) {
    if (r.group == group && r.kind == kind) return r.rule(live);
  }
  // Argo CD's `_.crossplane.io/_`: every kind of every group ending in .crossplane.io.
  if (ends_with(group, ".crossplane.io")) return rules::crossplane(live);
  if (group == "apps") {
    Health (*rule)(const Json&) = kind == "Deployment"    ? rules::deployment
                                  : kind == "StatefulSet" ? rules::stateful_set
                                  : kind == "DaemonSet"   ? rules::daemon_set
                                  : kind == "ReplicaSet"  ? rules::replica_set
                                                          : nullptr;
    if (rule == nullptr) return std::nullopt;
    return version == "v1" ? rule(live) : unsupported(kind, live);
  }
  if (group.empty()) {
    if (kind == "Pod") {
      bool hook = options.role == Role::hook || has_hook_annotation(live);
      return version == "v1" ? rules::pod(live, hook) : unsupported(kind, live);
    }
    if (kind == "Service") return rules::service(live);
    if (kind == "PersistentVolumeClaim") return rules::persistent_volume_claim(live);
    return std::nullopt;
  }
  if (group == "batch") {
    if (kind == "Job") return version == "v1" ? rules::job(live) : unsupported(kind, live);
    if (kind == "CronJob") return rules::cron_job(live);
    return std::nullopt;
  }
  if ((group == "networking.k8s.io" || group == "extensions") && kind == "Ingress") {
    return rules::ingress(live);
  }
  if (group == "autoscaling" && kind == "HorizontalPodAutoscaler") {
    return rules::horizontal_pod_autoscaler(live);
  }
  if (group == "apiregistration.k8s.io" && kind == "APIService") return rules::api_service(live);
  if (group == "apiextensions.k8s.io" && kind == "CustomResourceDefinition") {
    return rules::custom_resource_definition(live);
  }
  // argoproj.io/Application deliberately has none (removed in Argo CD 1.8).
  if (group == "argoproj.io" && kind == "Workflow") return rules::argo_workflow(live);
  if (group == "rabbitmq.com") {
    if (kind == "RabbitmqCluster") return rules::rabbitmq_cluster(live);
    static constexpr std::array<std::pair<std::string_view, const char*>, 8> k_topology = {{
        {"Binding", "binding"},
        {"Exchange", "exchange"},
        {"Permission", "permission"},
        {"Policy", "policy"},
        {"Queue", "queue"},
        {"Shovel", "shovel"},
        {"User", "user"},
        {"Vhost", "vhost"},
    }};
    for (const auto& [name, noun] : k_topology) {
      if (kind == name) return rules::rabbitmq_topology(live, noun);
    }
  }
  return std::nullopt;
}

// Beyond Argo CD: a Healthy verdict read from status that predates the current spec is not yet
// true. Argo CD's own workload rules check this; for the other kinds Argo CD leans on its 2 s
// wave delay, while wavesync moves on as soon as a watch reports, so it checks the generation
// the controller last observed, at the top of status or on the Ready condition.
Health unless_stale(const Json& live, Health health) {
  if (health.status != Status::healthy) return health;
  std::int64_t generation = int_at(live, {"metadata", "generation"});
  std::optional<std::int64_t> observed = optional_int_at(live, {"status", "observedGeneration"});
  if (const Json* ready = condition(live, "Ready"); !observed && ready != nullptr) {
    observed = optional_int_at(*ready, {"observedGeneration"});
  }
  if (!observed || *observed >= generation) return health;
  return {Status::progressing, "waiting for the controller to observe generation " +
                                   std::to_string(generation) + " (observed " +
                                   std::to_string(*observed) + ")"};
}

}  // namespace

std::string_view status_name(Status status) {
  for (const auto& [s, name] : k_status_names) {
    if (s == status) return name;
  }
  return "Unknown";
}

std::optional<Status> parse_status(std::string_view name) {
  for (const auto& [s, n] : k_status_names) {
    if (n == name) return s;
  }
  return std::nullopt;
}

bool is_custom_resource(const Json& live) {
  std::string group = group_of_object(live);
  for (std::string_view g : k_builtin_groups) {
    if (g == group) return false;
  }
  return true;
}

Result<void> check_health_annotation(const Json& object) {
  const std::string* value = annotation(object, k_health_annotation);
  if (value == nullptr || *value == "conditions" || *value == "none") return {};
  return make_error("invalid " + std::string(k_health_annotation) + " \"" + *value +
                    "\": expected conditions or none");
}

std::optional<Health> assess(const Json& live, const Options& options) {
  const std::string* mode = annotation(live, k_health_annotation);
  if (mode != nullptr && *mode == "none") return std::nullopt;
  const std::string* ignore = annotation(live, k_ignore_healthcheck_annotation);
  if (ignore != nullptr && *ignore == "true") return std::nullopt;
  // A hook that is being deleted but still holds the hook finalizer is judged by its real status,
  // so that a Job removed by its TTL still reports how it ended (gitops-engine
  // pkg/health/health.go GetResourceHealth).
  if (being_deleted(live) && !has_hook_finalizer(live)) {
    return Health{Status::progressing, "Pending deletion"};
  }
  if (mode != nullptr && *mode == "conditions") return rules::conditions(live);
  // The user's script is the truth for its kind, exactly as Argo CD would read it.
  if (options.scripts != nullptr) {
    if (auto health = options.scripts->judge(live)) return health;
  }
  if (auto health = builtin_rule(live, options)) return unless_stale(live, *health);
  if (options.conditions == ConditionsRule::all_custom_resources && is_custom_resource(live)) {
    return rules::conditions(live);
  }
  return std::nullopt;
}

}  // namespace wavesync::health
