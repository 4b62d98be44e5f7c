// Syncer: the state of one run_sync call (internal to engine/). syncer.cpp holds the flow
// (steps, failure, SyncFail, hook deletion); step_runner.cpp runs one step (deletions, kind
// runs, waiting); write_in_place.cpp Replace=true writes and adopting kubectl's objects;
// dry_run.cpp the --dry-run pass. Each step, and each part of one, returns a StepOutcome
// (step_outcome.hpp) to its caller; run() turns the step's outcome into the SyncResult.
#pragma once

#include "wavesync/engine/apply_outcome.hpp"
#include "wavesync/engine/dry_run_answers.hpp"
#include "wavesync/engine/live_view.hpp"
#include "wavesync/engine/pod_failure_grace.hpp"
#include "wavesync/engine/step_outcome.hpp"
#include "wavesync/engine/sync.hpp"
#include "wavesync/plan/object_policy.hpp"

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace wavesync::engine::detail {

enum class ItemState { pending, running, done, failed };

// One planned resource in this run.
struct Item {
  const PlannedResource* planned = nullptr;
  nlohmann::json body;  // what is sent: hook names filled in, namespace dropped when cluster-scoped
  ObjectRef id;
  bool hook = false;
  // The step waits for its health (a health rule applies, or it is a hook, whose completion is
  // always reported); decided once from the manifest by waits_on_health() and told in its
  // resource-applied / hook-started event.
  bool waited = false;
  bool watched = false;   // needs_watch(), decided once from the manifest
  bool prepared = false;  // kind resolved and body normalised
  ItemState state = ItemState::pending;
  bool applied = false;
  std::optional<health::Health> health;  // last assessed
  std::string failure;                   // why it failed
  std::optional<TimePoint> deadline;     // wavesync.dev/timeout, counted from its step's start
  // What its pods show (pod_blocks.cpp), made on first use: only workloads that wait get one,
  // so the ConfigMaps and Secrets of a 100,000-object sync do not carry it.
  struct PodWatch {
    BlockState block;  // the grace clock and the line shown
    TimePoint next_pod_look{};
    std::string log_key;  // the crash-looping container whose last log line was read
    std::string log_line;
  };
  std::unique_ptr<PodWatch> pods;
  PodWatch& pod_watch() {
    if (!pods) pods = std::make_unique<PodWatch>();
    return *pods;
  }
  // The block line shown for it, empty when none.
  [[nodiscard]] const std::string& shown_block() const {
    static const std::string none;
    return pods ? pods->block.shown : none;
  }
};

struct StepItems {
  Phase phase = Phase::sync;
  Wave wave = 0;
  std::vector<Item> items;
};

class Syncer {
 public:
  Syncer(const Plan& plan, kube::Client& client, Clock& clock, EventSink& events, const RunOptions& options,
         int attempt = 1);
  SyncResult run();

 private:
  // syncer.cpp
  void build_items();
  // The dry run of the whole plan, then options_.before_first_write; a result when the sync
  // must end before its first write.
  std::optional<SyncResult> validate_before_writing();
  void add_namespace_step();
  void watch_everything_known();
  SyncResult finish_success();
  SyncResult finish_failure(StepItems& step, StepOutcome outcome);
  SyncResult finish_timeout(StepItems& step, Reason timeout);
  SyncResult finish_interrupted();
  // Runs every SyncFail hook together; the reasons they add (a failed hook, a summary line).
  std::vector<Reason> run_sync_fail_hooks();
  void delete_hooks(DeletePolicy policy);
  // Fills in result.applied and result.reasons (the causes' texts), then emits sync-done, or
  // retrying when run_sync will run another attempt.
  void emit_done(SyncResult& result);
  // How the item is written: its manifest's sync options, with Replace=true and Force=true
  // also taken from the live object (answers_), as Argo CD's applyObject.
  [[nodiscard]] WriteMode mode_of(const Item& item) const;

  // step_runner.cpp
  StepOutcome run_step(StepItems& step, bool final);
  StepOutcome delete_before_create(StepItems& step, std::vector<Item*> targets, TimePoint deadline);
  StepOutcome apply_run(StepItems& step, std::vector<Item*> run, TimePoint deadline);
  StepOutcome apply_batch(StepItems& step, std::vector<Item*> ready, kube::FieldValidation validation,
                   TimePoint deadline);
  // The item was written: mark it running, record what the server answered, emit the event.
  void record_written(StepItems& step, Item& item, const kube::WriteResult& written, ApplyResult result,
                      std::string message);

  // write_in_place.cpp
  StepOutcome write_in_place(StepItems& step, Item& item);
  // Validate=false: created or merge-patched with fieldValidation=Ignore (unvalidated_write.hpp);
  // under Force=true a 422 is answered by recreating the object.
  StepOutcome write_unvalidated(StepItems& step, Item& item, TimePoint deadline);
  // A write the server refused: the item fails with the message (and an immutable-field hint).
  StepOutcome fail_write(StepItems& step, Item& item, const Error& error);
  // After a successful apply: when kubectl's client-side apply still owns fields of the object,
  // moves them to wavesync and applies again (so fields dropped from the manifest go). True
  // when it did; `result` then holds the second apply's answer (or the failure).
  bool adopt(Item& item, Result<kube::WriteResult>& result, const kube::ApplyOptions& options);
  StepOutcome recreate(StepItems& step, Item& item, TimePoint deadline);
  void skip_unchanged(StepItems& step, std::vector<Item*>& ready, std::vector<nlohmann::json>& bodies,
                      const kube::ApplyOptions& options);
  StepOutcome wait_ready_prerequisites(StepItems& step, const std::vector<Item*>& run, TimePoint deadline);
  // After the run's CRDs are Established: re-reads discovery until each CRD's served versions
  // resolve. At `crd_deadline` the CRDs whose kinds never appeared fail, or the step times out
  // when that is the step's own `deadline`.
  StepOutcome wait_crd_kinds_served(StepItems& step, const std::vector<Item*>& crds, TimePoint crd_deadline,
                                    TimePoint deadline);
  StepOutcome wait_healthy(StepItems& step, TimePoint deadline);
  // wait_on (live_view.hpp) on the run's view, interval and interrupt; outcome_of how it ended.
  StepOutcome wait_until(TimePoint deadline, const std::function<bool()>& satisfied,
                         const std::function<void(const ObjectRef&)>& changed);
  // wait_until_gone (delete_wait.hpp) on the run's view, interval and interrupt.
  StepOutcome wait_gone(const std::vector<ObjectRef>& ids, TimePoint deadline,
                        const std::function<void(const ObjectRef&)>& on_gone);
  // The reason when the item's live state failed it.
  std::optional<Reason> evaluate(StepItems& step, Item& item);
  // Resolves the item's kind; on failure the item fails (item.prepared stays false) and the
  // outcome holds why.
  StepOutcome prepare(StepItems& step, Item& item);
  // Marks the item failed and emits `type`; the reason, about the item.
  [[nodiscard]] Reason fail_item(StepItems& step, Item& item, std::string message, EventType type);
  [[nodiscard]] bool interrupted() const;
  Event event(EventType type, const StepItems* step, const Item* item = nullptr);
  // The earliest wavesync.dev/timeout deadline among `items` that are still `state`, else
  // `deadline`; `*first` is that item (nullptr when `deadline` is the earliest).
  static TimePoint earliest_deadline(const std::vector<Item*>& items, ItemState state, TimePoint deadline,
                                     const Item** first);
  // The timeout reason when the item's own wavesync.dev/timeout passed.
  static Reason object_timed_out(const Item& item);

  // pod_blocks.cpp
  // The reasons of the items it failed (--pod-failure-grace).
  std::vector<Reason> look_at_pods(StepItems& step);
  const std::string& last_log_line(Item& item, const health::PodBlock& block);

  // wait_for.cpp
  StepOutcome wait_for_external(StepItems& step, const std::vector<Item*>& held, TimePoint deadline);

  // dry_run.cpp
  SyncResult run_dry();

  // prune_runner.cpp
  void add_prune_steps(std::size_t from);
  void rewave_prunes(std::size_t done);
  StepOutcome start_prunes(StepItems& step, std::vector<ObjectRef>& waiting);
  StepOutcome wait_prunes(StepItems& step, const std::vector<ObjectRef>& waiting, TimePoint deadline);
  void announce_prunes(const StepItems& step);
  Event prune_event(EventType type, const StepItems& step, const ObjectRef& id, std::string message);

  const Plan& plan_;
  int attempt_ = 1;
  kube::Client& client_;
  Clock& clock_;
  EventSink& events_;
  // run_sync's, which outlives every attempt: a copy would hold every prune target once more.
  const RunOptions& options_;
  LiveView view_;
  std::string run_id_;
  TimePoint start_;
  TimePoint deadline_;
  std::vector<StepItems> steps_;  // PreSync, Sync, PostSync steps, in plan order
  // A prune not deleted yet: its target in options_.prunes and its current wave (a copy of
  // 50,000 targets would hold their names once more).
  struct PendingPrune {
    const applyset::PruneTarget* target = nullptr;
    Wave live_wave = 0;
    Wave wave = 0;
    bool prune_last = false;
  };
  std::vector<PendingPrune> pending_prunes_;  // waves kept current
  PlannedResource managed_namespace_;                  // what the namespace step's item points at
  DryRunAnswers answers_;                              // from the dry run before the first write
  StepItems sync_fail_;           // every SyncFail hook, run together
  std::size_t applied_ = 0;
};

// `10m`, `5s`, `1.5s`, `250ms`.
std::string format_duration(std::chrono::milliseconds d);

// Whether the item's step waits for its health: it is a hook, or a health rule applies to it.
// Health rules are chosen by kind and annotations, which the manifest already has: no rule for
// the manifest means no rule for the live object either.
bool waits_on_health(const Item& item, health::ConditionsRule conditions, const health::Scripts* scripts);

// Whether anything waits on the item's live state: it has a health rule, or is a Namespace or
// CRD (waited for before its contents). Objects with neither are done once applied, so their
// collections are not watched (10,000 ConfigMaps would otherwise come back as 10,000 events).
bool needs_watch(const Item& item, health::ConditionsRule conditions, const health::Scripts* scripts);

}  // namespace wavesync::engine::detail
