// Diagnostics for a resource that blocks a step: its health message, the conditions that say
// why, the waiting reasons of its pods, its last few events and, for a failed hook, the tail of
// its pod's log. Reads the cluster through kube::Client; keeps it to the few lines a person needs.
#pragma once

#include "wavesync/engine/events.hpp"
#include "wavesync/kube/client.hpp"

#include <nlohmann/json.hpp>

#include <optional>

namespace wavesync::engine {

inline constexpr int k_log_tail_lines = 20;
inline constexpr std::size_t k_max_events = 3;
inline constexpr std::size_t k_max_pod_lines = 5;

enum class LogTail { skip, include };

// `live` is the last observed object (nullptr when never seen). Failures to read pods, events
// or logs are left out quietly: diagnostics are best effort and never fail the sync themselves.
Diagnostic diagnose(kube::Client& client, const ObjectRef& id, const SourceLocation& source,
                    const nlohmann::json* live, std::optional<health::Health> health, LogTail logs);

// The live Pods of a workload (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job; a Pod is its
// own), listed by label selector; a Deployment's ReplicaSets go to `replica_sets`. Empty for
// other kinds and when the lists fail (best effort, like diagnose).
std::vector<nlohmann::json> pods_of(kube::Client& client, const ObjectRef& id, const nlohmann::json& live,
                                    std::vector<nlohmann::json>* replica_sets);

// `Available=False MinimumReplicasUnavailable: Deployment does not have minimum availability.`
// for the conditions of `live` that explain a problem (False/Unknown, or a True failure type).
std::vector<std::string> relevant_conditions(const nlohmann::json& live);

// Appends ` (missing Secret shop/db)` to each reason about an object whose diagnostic names
// missing references. A reason is about the object when it names its identity followed by the
// end, a space or a colon: `apps/v1 Deployment shop/web` is not `.../web2`'s reason.
void name_missing_references(std::vector<std::string>& reasons, const std::vector<Diagnostic>& diagnostics);
// The same on the texts of structured reasons. By text, not by Reason::object: a reason names
// objects besides its own (a timeout lists what it waited for).
void name_missing_references(std::vector<Reason>& reasons, const std::vector<Diagnostic>& diagnostics);

}  // namespace wavesync::engine
