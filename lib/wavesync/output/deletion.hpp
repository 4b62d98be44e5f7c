// `wavesync delete`: removes the objects of a set of manifests in reverse plan order, one step at
// a time, and waits (by watch) until each step is gone before starting the next, so custom
// resources go before their CRDs and workloads before their namespace. Objects annotated
// `argocd.argoproj.io/sync-options: Delete=false` or `helm.sh/resource-policy: keep` are kept,
// and CRDs unless asked;
// hooks are neither run nor deleted. plan_deletion is pure; run_deletion talks to the cluster.
#pragma once

#include "wavesync/engine/clock.hpp"
#include "wavesync/engine/events.hpp"
#include "wavesync/kube/client.hpp"
#include "wavesync/plan/object_policy.hpp"
#include "wavesync/plan/plan.hpp"

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace wavesync::output {

struct DeleteTarget {
  engine::ObjectId id;
  SourceLocation source;
  bool needs_confirmation = false;  // Delete=confirm
};

struct KeptObject {
  engine::ObjectId id;
  SourceLocation source;
  std::string reason;  // `Delete=false`, `helm.sh/resource-policy: keep`, `hook`
};

struct DeleteStep {
  Phase phase = Phase::sync;
  Wave wave = 0;
  std::vector<DeleteTarget> targets;  // in deletion order
  std::vector<KeptObject> kept;
};

// Steps last-to-first, objects last-to-first within a step; SyncFail steps are skipped (they
// hold only hooks). Steps with nothing to delete and nothing kept are dropped. What is kept or
// needs confirmation is plan/object_policy.hpp's delete_verdict.
std::vector<DeleteStep> plan_deletion(const Plan& plan, CrdDeletion crds = CrdDeletion::keep);

// The targets whose live object is marked `Delete=confirm` (Argo CD asks when the manifest or the
// live object says so), read with one metadata-only list per collection, in deletion order.
// Targets already needing confirmation are not repeated. An error when a list fails.
Result<std::vector<engine::ObjectId>> confirmations_on_live_objects(const std::vector<DeleteStep>& steps,
                                                                   kube::Client& client);

// `Sync wave 1: would delete v1 ConfigMap shop/a (manifests/a.yaml:1)` lines for --dry-run.
std::string format_deletion_plan(const std::vector<DeleteStep>& steps);

struct DeleteOptions {
  std::chrono::milliseconds timeout = std::chrono::minutes(5);  // the whole command (--timeout)
  // When the command started before this deletion (PreDelete hooks ran first): when `timeout`
  // ends. nullopt: `timeout` from now.
  std::optional<engine::TimePoint> deadline;
};

struct DeleteResult {
  int exit_code = 0;  // 0, 1 (a delete was refused), 3 (timed out: something is stuck), 4
  std::size_t deleted = 0;
  std::size_t absent = 0;                 // already gone before we started
  std::vector<std::string> problems;      // one line each, e.g. what a stuck object waits on
};

// Prints progress through `log` (one line per call, no newline).
DeleteResult run_deletion(const std::vector<DeleteStep>& steps, kube::Client& client, engine::Clock& clock,
                          const DeleteOptions& options, const std::function<void(const std::string&)>& log);

}  // namespace wavesync::output
