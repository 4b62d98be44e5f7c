// run_delete: `wavesync delete` as an engine run, the way Argo CD deletes an Application
// (controller/appcontroller.go finalizeApplicationDeletion, controller/hook.go executeHooks and
// cleanupHooks): PreDelete hooks are created and must all end Healthy; then the objects go in
// reverse plan order, one step at a time, each step deleted (foreground) and gone before the next
// starts; then the PreDelete hooks go, the PostDelete hooks run, and those whose policy says so
// are cleaned up. Objects kept by the plan or by their live annotations are left alone.
// Everything observable is an Event:
//   sync-started   deletion, count: the number of deletion steps
//   step-started   a PreDelete / PostDelete hook step, or a deletion step (count: its objects)
//   deleting       per object: `deleting (foreground)`, `already being deleted`, `gone`,
//                  `not found` (gone before the run), `kept: <why>`; in a dry run
//                  `would be deleted`
//   apply-failed   per object the server refused to delete (or could not be read)
//   hook-started   `created`, `exists, not created again` (dry run: `would be created`)
//   hook-completed / hook-failed   the hook's final health
//   hook-deleted   `Degraded: deleted so that the next attempt creates it afresh`,
//                  `deleting with the application (foreground)`, `HookSucceeded`
//   step-done      healthy (everything gone / every hook done), failed, timed-out
//                  (applied in a dry run)
//   sync-done      outcome, exit code, reasons, count: the objects deleted
// Never prints.
#pragma once

#include "wavesync/engine/clock.hpp"
#include "wavesync/engine/delete_plan.hpp"
#include "wavesync/engine/events.hpp"
#include "wavesync/kube/client.hpp"
#include "wavesync/model/result.hpp"

#include <chrono>
#include <string>
#include <vector>

namespace wavesync::engine {

struct DeleteRunOptions {
  std::chrono::milliseconds timeout = std::chrono::minutes(5);  // the whole run (--timeout)
  std::chrono::milliseconds check_interval{200};                // the longest wait for one event
  bool dry_run = false;  // only the events of what would happen; no request is sent
};

struct DeleteRunResult {
  SyncOutcome outcome = SyncOutcome::succeeded;
  // 0 done; 1 a delete was refused or a deletion hook failed; 3 timed out (something is stuck);
  // 4 the cluster could not be reached.
  int exit_code = 0;
  std::size_t deleted = 0;  // objects that went during the run (hooks not counted)
  std::size_t absent = 0;   // already gone when the run looked
  std::vector<std::string> reasons;  // one line each, e.g. what a stuck object waits on
  std::chrono::milliseconds duration{0};
};

// The targets whose live object is marked `Delete=confirm` (Argo CD asks when the manifest or the
// live object says so), read with one metadata-only list per collection, in deletion order.
// Targets already needing confirmation by their manifest are not repeated. An error when a list
// fails.
Result<std::vector<ObjectRef>> live_confirmations(const std::vector<DeleteStep>& steps, kube::Client& client);

// Runs `plan` (already confirmed) against the cluster, reporting to `events`.
DeleteRunResult run_delete(const DeletePlan& plan, kube::Client& client, Clock& clock, EventSink& events,
                           const DeleteRunOptions& options);

}  // namespace wavesync::engine
