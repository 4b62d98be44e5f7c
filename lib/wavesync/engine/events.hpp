// Events: what the sync engine tells the outside world while it runs. The engine never
// prints; it hands each Event to an EventSink, and output/ turns events into terminal
// lines, NDJSON, CI annotations or reports. Events are plain values; they carry no
// Secret data (only identities, health messages, server messages and hook log tails).
#pragma once

#include "wavesync/health/health.hpp"
#include "wavesync/hooks/hook.hpp"
#include "wavesync/model/object_ref.hpp"
#include "wavesync/model/resource.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wavesync::engine {


enum class EventType {
  sync_started,      // message: run id; count: number of steps
  step_started,      // phase, wave; count: resources in the step
  resource_applied,  // resource, source, apply_result, warnings, waited (also for dry runs)
  apply_failed,      // resource, source, message: the server's rejection (+ hint)
  health_changed,    // resource, health: new status and message
  // resource, message: deleted before (re)creation (BeforeHookCreation, Replace, Force), pruned,
  // or deleted by `wavesync delete` (engine/delete_run.hpp lists its messages)
  deleting,
  hook_started,      // resource: hook created (applied), now running
  hook_completed,    // resource, health: the hook finished successfully
  hook_failed,       // resource, health/message: the hook failed
  hook_deleted,      // resource, message: HookSucceeded / HookFailed deletion at sync end
  step_done,         // phase, wave, duration, step_result
  diagnostics,       // diagnostics: one block per resource that blocked the step
  sync_done,         // sync_result, duration, reasons (deletion: count, the objects deleted)
  // resource, message: why it is not ready yet, once per change (`pod web-1: ImagePullBackOff:
  // ...`, `waiting for v1 Secret rook/rgw-user (wavesync.dev/wait-for)`); block_reason: the
  // kubelet's reason or `WaitFor`; missing: `missing Secret app/db` when the message names one
  blocked,
  // attempt: the attempt about to start; delay; reasons: why the previous one failed
  retrying,
  // message: something the user should know that does not stop the sync (a member of the
  // ApplySet that is not pruned, and why); may have several lines. Not from the engine: the CLI
  // emits these before sync-started and after sync-done.
  warning,
};

// `sync-started`, `step-started`, `resource-applied`, `apply-failed`, `health-changed`,
// `deleting`, `hook-started`, `hook-completed`, `hook-failed`, `hook-deleted`,
// `step-done`, `diagnostics`, `sync-done`, `blocked`, `retrying`, `warning` (the names
// documented in the README).
std::string_view event_name(EventType type);

// What an apply did, as far as the server's answer shows it.
enum class ApplyResult { created, configured, unchanged };
// `created`, `configured`, `unchanged`.
std::string_view apply_result_name(ApplyResult result);

enum class StepResult { healthy, applied, failed, timed_out, interrupted };
// `healthy`, `applied` (not waited for: --no-wait or --dry-run), `failed`, `timed-out`,
// `interrupted`.
std::string_view step_result_name(StepResult result);

enum class SyncOutcome { succeeded, failed, timed_out, interrupted };
// `succeeded`, `failed`, `timed-out`, `interrupted`.
std::string_view sync_outcome_name(SyncOutcome outcome);

// One reason a sync failed, timed out or was interrupted: the line shown, and the object it is
// about when it is about one (nullopt for `watch: ...`, the SyncFail summary, a signal).
struct Reason {
  std::optional<ObjectRef> object;
  std::string text;
  friend bool operator==(const Reason&, const Reason&) = default;
};

// Why one resource blocks a step: the few lines a person needs, not a dump.
struct Diagnostic {
  ObjectRef resource;
  SourceLocation source;
  std::optional<health::Health> health;  // last observed; nullopt: never observed
  std::vector<std::string> conditions;   // `Available=False MinimumReplicasUnavailable: ...`
  std::vector<std::string> pod_reasons;  // `pod web-7d9 container app: CreateContainerConfigError: secret "db" not found`
  std::vector<std::string> missing;      // `missing Secret shop/db` (from pod_reasons), deduplicated
  std::vector<std::string> events;       // `Warning FailedCreate: ...`, newest last
  std::vector<std::string> log_tail;     // failed hook Job: last lines of its pod's log
};

struct Event {
  EventType type = EventType::sync_started;
  std::chrono::system_clock::time_point time;  // from the engine's Clock
  // The step the event belongs to; nullopt for sync-wide events (sync-started, sync-done,
  // and hook deletions at sync end).
  std::optional<Phase> phase;
  Wave wave = 0;
  std::optional<ObjectRef> resource;
  SourceLocation source;                 // the manifest the resource came from
  std::optional<health::Health> health;  // health-changed, hook-completed, hook-failed
  std::string message;                   // one line; may be empty
  bool hook = false;                     // the resource is a hook
  // resource-applied: the step waits for this object's health, and a later health-changed says
  // when it is ready. False: no health rule applies, nothing more is said about it, and it counts
  // as ready once applied. Decided by the engine with the run's health options
  // (--health-conditions, scripts, wavesync.dev/health). A hook is always waited on: its end is
  // always reported (hook-completed, hook-failed).
  bool waited = false;
  bool dry_run = false;                  // the sync is a --dry-run
  // The run is `wavesync delete`'s (engine/delete_run.hpp), not a sync; its sync-done `count`
  // is the number of objects deleted.
  bool deletion = false;
  // deleting / apply_failed about an object removed from the manifests (`--prune`): message is
  // `pruning (foreground)` (+ `; finalizers: ...`), `pruned`, `would be pruned` or the error.
  bool prune = false;

  std::optional<ApplyResult> apply_result;  // resource-applied
  std::vector<std::string> warnings;        // resource-applied: the server's Warning headers
  std::size_t count = 0;                    // step-started: resources; sync-started: steps
  std::chrono::milliseconds duration{0};    // step-done, sync-done
  std::optional<StepResult> step_result;    // step-done
  std::optional<SyncOutcome> sync_outcome;  // sync-done
  int exit_code = 0;                        // sync-done
  std::vector<std::string> reasons;         // sync-done: why it failed / timed out
  std::vector<Diagnostic> diagnostics;      // diagnostics
  std::string block_reason;                 // blocked
  std::vector<std::string> missing;         // blocked
  int attempt = 1;                          // sync-started, retrying (--retry: 1, 2, ...)
  std::chrono::milliseconds delay{0};       // retrying: the wait before the attempt
};

// Receives events in the order they happen, on the engine's thread. Must not block long.
class EventSink {
 public:
  virtual ~EventSink() = default;
  virtual void emit(const Event& event) = 0;
};

// Hands each event to several sinks (e.g. the terminal and a JSON report).
class FanOutSink final : public EventSink {
 public:
  void add(EventSink* sink) { sinks_.push_back(sink); }
  void emit(const Event& event) override {
    for (EventSink* sink : sinks_) sink->emit(event);
  }

 private:
  std::vector<EventSink*> sinks_;
};

}  // namespace wavesync::engine
