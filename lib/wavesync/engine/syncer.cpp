#include "wavesync/engine/syncer.hpp"

#include "wavesync/model/duration.hpp"
#include "wavesync/model/json_fields.hpp"

#include "wavesync/engine/diagnose.hpp"
#include "wavesync/engine/hook_finalizer.hpp"
#include "wavesync/hooks/hook_finalizer.hpp"
#include "wavesync/plan/live_options.hpp"
#include "wavesync/engine/validation.hpp"

#include <csignal>

namespace wavesync::engine {

namespace detail {

std::string format_duration(std::chrono::milliseconds d) { return wavesync::format_duration(d); }

Syncer::Syncer(const Plan& plan, kube::Client& client, Clock& clock, EventSink& events, const RunOptions& options,
               int attempt)
    : plan_(plan), attempt_(attempt), client_(client), clock_(clock), events_(events), options_(options), view_(client) {
  run_id_ = plan_.revision;
}

void Syncer::build_items() {
  sync_fail_.phase = Phase::sync_fail;
  bool first_fail = true;
  for (const Step& step : plan_.steps) {
    StepItems* target = nullptr;
    if (step.phase == Phase::sync_fail) {
      target = &sync_fail_;
      if (first_fail) sync_fail_.wave = step.wave;
      first_fail = false;
    } else {
      steps_.push_back(StepItems{step.phase, step.wave, {}});
      target = &steps_.back();
    }
    // Sized once: growing by doubling left up to half of a 5,000-object step's items unused.
    target->items.reserve(target->items.size() + step.resources.size());
    for (const PlannedResource& r : step.resources) {
      Item item;
      item.planned = &r;
      item.hook = r.hook.has_value();
      // generateName-only hooks were named by the plan, as Argo CD names them before sorting.
      std::string name = r.generated_name.empty() ? r.resource.name() : r.generated_name;
      item.id = ObjectRef{r.resource.api_version(), r.resource.kind(), r.resource.namespace_name(), name};
      item.waited = waits_on_health(item, options_.conditions, options_.health_scripts);
      item.watched = needs_watch(item, options_.conditions, options_.health_scripts);
      // The body (a copy of the manifest) is made when its step prepares it: a 10,000-object
      // plan is not held twice.
      target->items.push_back(std::move(item));
    }
  }
  pending_prunes_.reserve(options_.prunes.size());
  for (const applyset::PruneTarget& t : options_.prunes) {
    pending_prunes_.push_back(PendingPrune{&t, t.live_wave, t.wave, t.prune_last});
  }
  add_prune_steps(0);
}

void Syncer::add_namespace_step() {
  if (!options_.managed_namespace) return;
  managed_namespace_.resource.set_object(*options_.managed_namespace);
  managed_namespace_.resource.source.file = "--create-namespace";
  managed_namespace_.phase = Phase::pre_sync;
  const std::string name = managed_namespace_.resource.name();
  const auto* meta = object_at(*options_.managed_namespace, {"metadata"});
  const bool has_metadata = meta != nullptr && (meta->contains("labels") || meta->contains("annotations"));
  // Argo CD's syncNamespace: a missing namespace is created; an existing one is written only to
  // set managed metadata.
  auto live = client_.get(kube::ObjectRef{"v1", "Namespace", "", name});
  if (live && live->has_value() && !has_metadata) return;
  Item item;
  item.planned = &managed_namespace_;
  item.id = ObjectRef{"v1", "Namespace", "", name};
  item.watched = true;
  steps_.insert(steps_.begin(), StepItems{Phase::pre_sync, 0, {}});
  steps_.front().items.push_back(std::move(item));
}

Event Syncer::event(EventType type, const StepItems* step, const Item* item) {
  Event e;
  e.type = type;
  e.time = clock_.now();
  e.dry_run = options_.dry_run == kube::DryRun::all;
  if (step != nullptr) {
    e.phase = step->phase;
    e.wave = step->wave;
  }
  if (item != nullptr) {
    e.resource = item->id;
    e.source = item->planned->resource.source;
    e.hook = item->hook;
    e.waited = item->waited;
    e.health = item->health;
  }
  return e;
}

bool Syncer::interrupted() const {
  return options_.interrupt != nullptr && options_.interrupt->load() != 0;
}

void Syncer::watch_everything_known() {
  // One watch over every collection the plan writes to, opened before the first write: moving
  // from one step to the next then needs no new watch (no re-list on the critical path). Kinds
  // not served yet (their CRD comes with this sync) are added when their step comes.
  std::map<std::pair<std::string, std::string>, bool> namespaced;  // (apiVersion, kind)
  std::vector<ObjectRef> ids;
  auto consider = [&](const StepItems& step) {
    for (const Item& item : step.items) {
      if (!item.watched) continue;
      auto key = std::make_pair(item.id.api_version, item.id.kind);
      auto it = namespaced.find(key);
      if (it == namespaced.end()) {
        auto type = client_.resolve(item.id.api_version, item.id.kind);
        if (!type) continue;
        it = namespaced.emplace(key, type->namespaced).first;
      }
      ObjectRef id = item.id;
      if (!it->second) id.namespace_name.clear();
      ids.push_back(id);
    }
  };
  for (const StepItems& step : steps_) consider(step);
  consider(sync_fail_);
  if (!ids.empty()) (void)view_.cover(ids);  // on failure each step covers its own kinds
}

SyncResult Syncer::run() {
  start_ = clock_.now();
  deadline_ = start_ + options_.timeout;
  build_items();
  Event started = event(EventType::sync_started, nullptr);
  started.message = run_id_;
  started.count = steps_.size();
  started.attempt = attempt_;
  events_.emit(started);
  if (options_.dry_run == kube::DryRun::all) return run_dry();
  if (std::optional<SyncResult> refused = validate_before_writing()) return *refused;
  add_namespace_step();
  watch_everything_known();

  for (std::size_t i = 0; i < steps_.size(); ++i) {
    if (interrupted()) return finish_interrupted();
    // A step that did not stop found no reasons: every failure stops its step.
    StepOutcome outcome = run_step(steps_[i], i + 1 == steps_.size());
    switch (outcome.stop) {
      case Stop::none: rewave_prunes(i); break;
      case Stop::failed: return finish_failure(steps_[i], std::move(outcome));
      case Stop::timed_out: return finish_timeout(steps_[i], std::move(*outcome.timeout));
      case Stop::interrupted: return finish_interrupted();
    }
  }
  return finish_success();
}

std::optional<SyncResult> Syncer::validate_before_writing() {
  ValidationOptions validation{options_.force_conflicts, options_.field_manager, {}};
  if (options_.managed_namespace) {
    validation.created_namespace = options_.managed_namespace->value("metadata", nlohmann::json::object()).value("name", "");
  }
  ValidationReport report = validate_plan(plan_, client_, validation, answers_);
  SyncResult result;
  if (report.exit_code == 0) {
    if (!options_.before_first_write) return std::nullopt;
    auto ready = options_.before_first_write();
    if (ready) return std::nullopt;
    result.causes.push_back(Reason{std::nullopt, ready.error().message});
    report.exit_code = ready.error().exit_code;
  }
  // Events carry the step each failing object belongs to.
  std::map<const PlannedResource*, std::pair<StepItems*, Item*>> where;
  for (StepItems& step : steps_)
    for (Item& item : step.items) where[item.planned] = {&step, &item};
  for (Item& item : sync_fail_.items) where[item.planned] = {&sync_fail_, &item};
  for (const ValidationFailure& failure : report.failures) {
    auto [step, item] = where[failure.planned];
    Event e = event(EventType::apply_failed, step, item);
    e.message = "rejected by the dry run before any write: " + failure.message;
    events_.emit(e);
    result.causes.push_back(Reason{failure.id, describe(failure)});
  }
  if (!report.failures.empty()) {
    result.causes.push_back(Reason{std::nullopt, "nothing was written: the server's dry run rejected " +
                                                     std::to_string(report.failures.size()) +
                                                     (report.failures.size() == 1 ? " object" : " objects")});
  }
  result.outcome = SyncOutcome::failed;
  result.exit_code = report.exit_code;
  emit_done(result);
  return result;
}

void Syncer::emit_done(SyncResult& result) {
  result.applied = applied_;
  result.reasons = texts_of(result.causes);
  if (should_retry(options_.retry, result.outcome, attempt_)) {
    // run_sync starts the next attempt; only the last one says sync-done.
    Event retrying = event(EventType::retrying, nullptr);
    retrying.attempt = attempt_ + 1;
    retrying.delay = retry_delay(options_.retry, attempt_);
    retrying.reasons = result.reasons;
    retrying.duration = std::chrono::duration_cast<std::chrono::milliseconds>(clock_.now() - start_);
    events_.emit(retrying);
    return;
  }
  Event done = event(EventType::sync_done, nullptr);
  done.sync_outcome = result.outcome;
  done.exit_code = result.exit_code;
  done.reasons = result.reasons;
  done.duration = std::chrono::duration_cast<std::chrono::milliseconds>(clock_.now() - start_);
  done.message = std::string(sync_outcome_name(result.outcome));
  done.attempt = attempt_;
  events_.emit(done);
}

SyncResult Syncer::finish_success() {
  // HookSucceeded deletion happens when the whole sync ends, not per hook (pkg/sync/hook delete
  // policies, sync_context.go).
  delete_hooks(DeletePolicy::hook_succeeded);
  SyncResult result;
  emit_done(result);
  return result;
}

namespace {
// `...: Degraded: ... (missing Secret shop/db)`: the one fact a person needs, in the reason itself.
std::vector<Diagnostic> diagnose_items(kube::Client& client, LiveView& view, const std::vector<Item*>& items) {
  std::vector<Diagnostic> out;
  for (Item* item : items) {
    const Observed* o = view.find(item->id);
    const nlohmann::json* live = o != nullptr && o->object.is_object() ? &o->object : nullptr;
    LogTail logs = item->hook && item->state == ItemState::failed ? LogTail::include : LogTail::skip;
    out.push_back(diagnose(client, item->id, item->planned->resource.source, live, item->health, logs));
  }
  return out;
}
}  // namespace

SyncResult Syncer::finish_failure(StepItems& step, StepOutcome outcome) {
  SyncResult result;
  result.outcome = SyncOutcome::failed;
  // What the SyncFail hooks run into does not change the exit code.
  result.exit_code = outcome.failure_exit_code();
  std::vector<Item*> blocking;
  for (Item& item : step.items)
    if (item.state == ItemState::failed) blocking.push_back(&item);
  result.diagnostics = diagnose_items(client_, view_, blocking);
  if (!result.diagnostics.empty()) {
    Event d = event(EventType::diagnostics, &step);
    d.diagnostics = result.diagnostics;
    events_.emit(d);
  }
  result.causes = std::move(outcome.reasons);
  name_missing_references(result.causes, result.diagnostics);
  if (!interrupted()) {
    for (Reason& reason : run_sync_fail_hooks()) result.causes.push_back(std::move(reason));
  }
  delete_hooks(DeletePolicy::hook_failed);
  emit_done(result);
  return result;
}

SyncResult Syncer::finish_timeout(StepItems& step, Reason timeout) {
  SyncResult result;
  result.outcome = SyncOutcome::timed_out;
  result.exit_code = exit_code::k_timeout;
  result.causes.push_back(std::move(timeout));
  std::vector<Item*> blocking;
  for (Item& item : step.items) {
    if (item.state != ItemState::running && item.state != ItemState::pending) continue;
    blocking.push_back(&item);
    std::string why = item.health ? std::string(health::status_name(item.health->status)) +
                                        (item.health->message.empty() ? "" : ": " + item.health->message)
                                  : std::string(item.state == ItemState::pending ? "not applied" : "not observed yet");
    // What held it, as last reported (a pod's waiting reason, a wavesync.dev/wait-for object).
    if (!item.shown_block().empty()) why += "; " + item.shown_block();
    result.causes.push_back(Reason{item.id, item.id.str() + " is not ready: " + why});
  }
  result.diagnostics = diagnose_items(client_, view_, blocking);
  name_missing_references(result.causes, result.diagnostics);
  if (!result.diagnostics.empty()) {
    Event d = event(EventType::diagnostics, &step);
    d.diagnostics = result.diagnostics;
    events_.emit(d);
  }
  if (!interrupted() && !sync_fail_.items.empty()) {
    // Argo CD runs SyncFail hooks only when a sync fails, not when its controller terminates
    // it for taking too long; a CI run that times out wants its clean-up hooks all the same.
    // They get a deadline of their own, within the run's hard bound (longest_run).
    deadline_ = clock_.now() + std::min(options_.timeout, k_sync_fail_after_timeout);
    for (Reason& reason : run_sync_fail_hooks()) result.causes.push_back(std::move(reason));
  }
  delete_hooks(DeletePolicy::hook_failed);
  emit_done(result);
  return result;
}

SyncResult Syncer::finish_interrupted() {
  SyncResult result;
  result.outcome = SyncOutcome::interrupted;
  const int signal = options_.interrupt != nullptr ? options_.interrupt->load() : SIGINT;
  result.exit_code = signal == SIGTERM ? exit_code::k_sigterm : exit_code::k_sigint;
  result.causes.push_back(Reason{std::nullopt, std::string("interrupted by ") +
                                                   (signal == SIGTERM ? "SIGTERM" : "SIGINT") + " after applying " +
                                                   std::to_string(applied_) + " objects"});
  std::string running;
  for (StepItems& step : steps_)
    for (Item& item : step.items)
      if (item.state == ItemState::running) running += (running.empty() ? "" : ", ") + item.id.str();
  if (!running.empty()) result.causes.push_back(Reason{std::nullopt, "still running: " + running});
  emit_done(result);
  return result;
}

std::vector<Reason> Syncer::run_sync_fail_hooks() {
  if (sync_fail_.items.empty()) return {};
  // All SyncFail hooks run together, their waves not treated as separate steps (sync_context.go
  // executeSyncFailPhase).
  StepOutcome outcome = run_step(sync_fail_, false);
  std::string failed;
  for (Item& item : sync_fail_.items)
    if (item.state == ItemState::failed) failed += (failed.empty() ? "" : "; ") + item.failure;
  if (!failed.empty()) {
    outcome.reasons.push_back(Reason{std::nullopt, "one or more SyncFail hooks failed, reason: " + failed});
  } else if (outcome.stop == Stop::timed_out) {
    outcome.reasons.push_back(Reason{std::nullopt, "SyncFail hooks did not complete: " + outcome.timeout->text});
  }
  return std::move(outcome.reasons);
}

WriteMode Syncer::mode_of(const Item& item) const {
  auto live = answers_.live_sync_options.find(item.planned);
  if (live == answers_.live_sync_options.end()) return write_mode(item.planned->sync_options);
  return write_mode(item.planned->sync_options, live->second);
}

void Syncer::delete_hooks(DeletePolicy policy) {
  auto consider = [&](StepItems& step) {
    for (Item& item : step.items) {
      if (!item.hook || !item.applied || item.state == ItemState::running) continue;
      const ObjectRef& ref = item.id;
      const bool remove = item.planned->hook->has_policy(policy);
      // A hook that still carries Argo CD's hook finalizer (it was Argo CD's before this sync)
      // loses it once it completed, as Argo CD's Sync() removes it from every completed hook;
      // else the deletion below would wait on it.
      const Observed* seen = view_.find(item.id);
      std::optional<Error> held;
      if (seen != nullptr && !seen->deleted && hook_finalizer_removal(seen->object)) {
        if (auto released = remove_hook_finalizer(client_, ref, seen->object); !released) held = released.error();
      }
      if (!remove) continue;
      // With the prune propagation policy, as Argo CD's deleteResource; the sync does not wait
      // for it to finish.
      auto removed = held ? Result<void>(*held) : client_.remove(ref, options_.prune_propagation);
      Event e = event(EventType::hook_deleted, nullptr, &item);
      e.message = removed ? std::string(delete_policy_name(policy)) : removed.error().message;
      events_.emit(e);
    }
  };
  for (StepItems& step : steps_) consider(step);
  consider(sync_fail_);
}

}  // namespace detail

std::chrono::milliseconds longest_run(const RunOptions& options, SyncFailHooks sync_fail) {
  const auto attempt =
      options.timeout + (sync_fail == SyncFailHooks::some ? std::min(options.timeout, k_sync_fail_after_timeout)
                                                           : std::chrono::milliseconds(0));
  std::chrono::milliseconds total = attempt;
  for (int retry = 1; retry <= options.retry.limit; ++retry) total += retry_delay(options.retry, retry) + attempt;
  return total;
}

SyncResult run_sync(const Plan& plan, kube::Client& client, Clock& clock, EventSink& events,
                    const RunOptions& options) {
  for (int attempt = 1;; ++attempt) {
    detail::Syncer syncer(plan, client, clock, events, options, attempt);
    SyncResult result = syncer.run();
    if (!should_retry(options.retry, result.outcome, attempt)) return result;
    // The pause Argo CD's retry policy asks for; a signal during it ends the run.
    const TimePoint until = clock.now() + retry_delay(options.retry, attempt);
    while (clock.now() < until) {
      if (options.interrupt != nullptr && options.interrupt->load() != 0) {
        const int signal = options.interrupt->load();
        result.outcome = SyncOutcome::interrupted;
        result.exit_code = signal == SIGTERM ? exit_code::k_sigterm : exit_code::k_sigint;
        result.causes.insert(result.causes.begin(),
                             Reason{std::nullopt, std::string("interrupted by ") +
                                                      (signal == SIGTERM ? "SIGTERM" : "SIGINT") + " before attempt " +
                                                      std::to_string(attempt + 1)});
        result.reasons = detail::texts_of(result.causes);
        Event done;
        done.type = EventType::sync_done;
        done.time = clock.now();
        done.sync_outcome = result.outcome;
        done.exit_code = result.exit_code;
        done.reasons = result.reasons;
        done.attempt = attempt;
        done.message = std::string(sync_outcome_name(result.outcome));
        events.emit(done);
        return result;
      }
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - clock.now());
      clock.sleep_for(std::min(left, options.check_interval));
    }
  }
}

}  // namespace wavesync::engine
