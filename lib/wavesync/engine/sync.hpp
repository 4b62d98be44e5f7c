// run_sync: runs a Plan against a kube::Client — apply each (phase, wave) step, run hooks with
// their delete policies, wait on health between steps, and end with a verdict. Semantics:
// gitops-engine pkg/sync/sync_context.go (Sync, runTasks, executeSyncFailPhase), pkg/sync/hook
// and pkg/sync/sync_tasks.go syncTasks.Sort (dependency bubbling); where wavesync differs (it
// waits for the last step, fails at once on Degraded, has timeouts) the README says why. Never
// prints: everything observable goes to the EventSink.
#pragma once

#include "wavesync/applyset/prune_plan.hpp"
#include "wavesync/engine/clock.hpp"
#include "wavesync/engine/events.hpp"
#include "wavesync/engine/retry_policy.hpp"
#include "wavesync/health/health.hpp"
#include "wavesync/kube/client.hpp"
#include "wavesync/plan/plan.hpp"

#include <atomic>
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace wavesync::engine {

inline constexpr std::chrono::milliseconds k_default_timeout = std::chrono::minutes(10);
// SyncFail hooks after a timeout get this long at most (and no longer than --timeout).
inline constexpr std::chrono::milliseconds k_sync_fail_after_timeout = std::chrono::minutes(2);
// How long a freshly applied CRD may take to become Established before its step fails with the
// CRD's conditions (Argo CD polls 3 s, logs, and lets the custom resources fail instead).
inline constexpr std::chrono::milliseconds k_crd_established_timeout = std::chrono::seconds(30);

enum class FinalWait { wait, skip };  // skip: --no-wait

struct RunOptions {
  std::chrono::milliseconds timeout = k_default_timeout;      // the whole sync
  std::optional<std::chrono::milliseconds> wave_timeout;      // each step; nullopt: none
  std::chrono::milliseconds wave_delay{0};                    // after applying a non-final step
  FinalWait final_wait = FinalWait::wait;
  kube::DryRun dry_run = kube::DryRun::none;
  kube::ForceConflicts force_conflicts = kube::ForceConflicts::no;
  health::ConditionsRule conditions = health::ConditionsRule::annotated_only;
  // The user's health scripts (--argocd-cm, --health-scripts); nullptr: built-in rules only.
  // Not owned; must outlive run_sync.
  const health::Scripts* health_scripts = nullptr;
  std::string field_manager = "wavesync";
  // Set by the CLI's signal handler to SIGINT or SIGTERM; 0 while not interrupted. Checked
  // between writes and at least every `check_interval` while waiting.
  const std::atomic<int>* interrupt = nullptr;
  std::chrono::milliseconds check_interval{200};
  // Objects to delete (--prune). Each is deleted at the start of the Sync step of its `wave`
  // (a step is added when the plan has none), in the same step as that wave's applies, and
  // the next step starts only once they are gone. After every step the waves of the prunes
  // not yet deleted are recomputed (applyset::assign_prune_waves), as Argo CD recomputes its
  // tasks on every Sync() call.
  std::vector<applyset::PruneTarget> prunes;
  // Live waves of the Prune=false objects (they keep their place in the prune wave mirror) and
  // the plan's last Sync wave: applyset::PrunePlan's disabled_live_waves and last_sync_wave.
  std::vector<Wave> prune_disabled_waves;
  Wave prune_last_sync_wave = 0;
  kube::Propagation prune_propagation = kube::Propagation::foreground;
  // Called once the dry run of the whole plan passed, before the first write (e.g. to record the
  // ApplySet's superset). An error ends the sync with its exit code, nothing written by it.
  std::function<Result<void>()> before_first_write;
  // --pod-failure-grace: fail a waited workload whose pods stay in a fail-fast waiting reason
  // (health::is_fail_fast_reason) this long; an object's wavesync.dev/pod-failure-grace wins.
  // nullopt: wait as Argo CD does (until the progress deadline or --timeout).
  std::optional<std::chrono::milliseconds> pod_failure_grace;
  RetryPolicy retry;  // --retry, --retry-backoff, --retry-factor, --retry-max
  // --create-namespace: the Namespace body from managed_namespace(). Applied first, in a
  // PreSync step of its own, when it does not exist or when it carries labels or annotations
  // (managed namespace metadata); waited for until Active. Not part of the ApplySet, so never
  // pruned (as Argo CD does not track it).
  std::optional<nlohmann::json> managed_namespace;
  // --apply-out-of-sync-only: each object is first applied as a server-side dry run, and one the
  // dry run shows unchanged is not written (reported `unchanged`, still waited for).
  bool apply_out_of_sync_only = false;
};

struct SyncResult {
  SyncOutcome outcome = SyncOutcome::succeeded;
  int exit_code = 0;                     // 0, 1, 3, 130 or 143 (README "Exit codes")
  std::vector<Reason> causes;            // why it failed / timed out / was interrupted, in order
  std::vector<std::string> reasons;      // the causes' texts, as events and reports show them
  std::vector<Diagnostic> diagnostics;   // for what blocked the failing step
  std::size_t applied = 0;               // objects written (or dry-run applied)
};

// The longest a run_sync call can take with `options`: every attempt's --timeout and, when the
// plan has SyncFail hooks, their time after it, plus the pauses between attempts.
enum class SyncFailHooks { none, some };
std::chrono::milliseconds longest_run(const RunOptions& options, SyncFailHooks sync_fail);

// Blocks until the sync ends. Steps with phase SyncFail run only when the sync fails or times
// out. Before the first write every object is dry-run on the server (engine/validation.hpp): if
// the server would reject any, nothing is written and the sync fails (exit 1, 4 when it is
// unreachable). With options.retry, a failed sync runs again (a `retrying` event in between; only the last
// attempt ends with sync-done).
SyncResult run_sync(const Plan& plan, kube::Client& client, Clock& clock, EventSink& events,
                    const RunOptions& options);

}  // namespace wavesync::engine
