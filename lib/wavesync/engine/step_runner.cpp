// One (phase, wave) step: BeforeHookCreation/Replace deletions, then kind runs applied
// concurrently (runs in order), then waiting on health. Argo CD's runTasks and the "moving on"
// rule of Sync (gitops-engine pkg/sync/sync_context.go), driven by watch events instead of
// re-entrant Sync() calls.
#include "wavesync/engine/syncer.hpp"

#include "wavesync/engine/item_verdict.hpp"

#include "wavesync/engine/adoption.hpp"
#include "wavesync/engine/delete_wait.hpp"
#include "wavesync/model/json_fields.hpp"
#include "wavesync/plan/object_policy.hpp"

#include <algorithm>

namespace wavesync::engine::detail {

namespace {

bool is_kind(const ObjectRef& id, const char* group, const char* kind) {
  return id.kind == kind && group_of(id.api_version) == group;
}

bool has_condition(const nlohmann::json& live, const char* type, const char* status) {
  const auto s = live.value("status", nlohmann::json::object());
  if (!s.is_object() || !s.contains("conditions") || !s["conditions"].is_array()) return false;
  for (const auto& c : s["conditions"])
    if (c.is_object() && c.value("type", "") == type && c.value("status", "") == status) return true;
  return false;
}

// `Established=False (Installing: the initial names have not been accepted); NamesAccepted=False
// (ListKindConflict: ...)`: a CRD's conditions, for the reason its step failed.
std::string conditions_text(const nlohmann::json& live) {
  std::string out;
  const auto status = live.value("status", nlohmann::json::object());
  if (!status.is_object()) return out;
  for (const auto& c : status.value("conditions", nlohmann::json::array())) {
    if (!c.is_object()) continue;
    std::string text = c.value("type", "") + "=" + c.value("status", "");
    const std::string reason = c.value("reason", "");
    const std::string message = c.value("message", "");
    if (!reason.empty() || !message.empty()) {
      text += " (" + reason + (reason.empty() || message.empty() ? "" : ": ") + message + ")";
    }
    out += (out.empty() ? "" : "; ") + text;
  }
  return out;
}

// apiVersion, kind and the metadata health::assess reads (identity, resourceVersion,
// generation, deletion, finalizers and the hook and health annotations): enough to know that
// no rule applies, without keeping 10,000 labels, uids and timestamps.
nlohmann::json identity_of(const nlohmann::json& object) {
  nlohmann::json out{{"apiVersion", object.value("apiVersion", "")}, {"kind", object.value("kind", "")}};
  auto meta = object.find("metadata");
  if (meta == object.end() || !meta->is_object()) return out;
  nlohmann::json kept = nlohmann::json::object();
  for (const char* key : {"name", "namespace", "resourceVersion", "generation", "deletionTimestamp", "finalizers"}) {
    if (auto it = meta->find(key); it != meta->end()) kept[key] = *it;
  }
  if (auto annotations = meta->find("annotations"); annotations != meta->end() && annotations->is_object()) {
    for (const auto& [key, value] : annotations->items()) {
      if (key.rfind("argocd.argoproj.io/", 0) == 0 || key.rfind("helm.sh/", 0) == 0 || key.rfind("wavesync.dev/", 0) == 0)
        kept["annotations"][key] = value;
    }
  }
  out["metadata"] = std::move(kept);
  return out;
}

}  // namespace

namespace {
bool has_health_rule(const Item& item, health::ConditionsRule conditions, const health::Scripts* scripts) {
  health::Options options{conditions, item.hook ? health::Role::hook : health::Role::resource, scripts};
  return health::assess(item.planned->resource.object(), options).has_value();
}
}  // namespace

bool waits_on_health(const Item& item, health::ConditionsRule conditions, const health::Scripts* scripts) {
  // A hook without a health rule still ends with hook-completed (evaluate), so it is waited on.
  return item.hook || has_health_rule(item, conditions, scripts);
}

bool needs_watch(const Item& item, health::ConditionsRule conditions, const health::Scripts* scripts) {
  if (is_kind(item.id, "", "Namespace") || is_kind(item.id, "apiextensions.k8s.io", "CustomResourceDefinition"))
    return true;
  return has_health_rule(item, conditions, scripts);
}

Reason Syncer::fail_item(StepItems& step, Item& item, std::string message, EventType type) {
  item.state = ItemState::failed;
  item.failure = (item.hook ? "hook " : "") + item.id.str() + ": " + message;
  Event e = event(type, &step, &item);
  e.message = std::move(message);
  events_.emit(e);
  return Reason{item.id, item.failure};
}

// The body sent for the item: the manifest with a generated hook name filled in and, once the
// kind is known to be cluster-scoped, without a namespace.
namespace {
void materialize(Item& item) {
  if (!item.body.is_null()) return;
  item.body = item.planned->resource.object();
  auto& meta = item.body["metadata"];
  if (item.hook && meta.value("name", "").empty() && !item.id.name.empty()) {
    meta["name"] = item.id.name;
    meta.erase("generateName");
  }
  if (item.prepared && item.id.namespace_name.empty()) meta.erase("namespace");
}
}  // namespace

StepOutcome Syncer::prepare(StepItems& step, Item& item) {
  materialize(item);
  StepOutcome out;
  if (item.prepared) return out;
  auto type = client_.resolve(item.id.api_version, item.id.kind);
  if (!type) {
    // A kind can appear after its CRD or APIService was applied by someone else; ask once more.
    if (client_.refresh_discovery()) type = client_.resolve(item.id.api_version, item.id.kind);
  }
  if (!type) {
    out.note(type.error());
    out.reasons.push_back(fail_item(step, item, type.error().message, EventType::apply_failed));
    return out;
  }
  if (!type->namespaced) {
    // Argo CD gives every object the destination namespace, even cluster-scoped ones
    // (sync_context.go getSyncTasks); the API ignores it there, so it is dropped to keep URLs and
    // identities right.
    item.body["metadata"].erase("namespace");
    item.id.namespace_name.clear();
  }
  item.prepared = true;
  return out;
}

StepOutcome Syncer::wait_until(TimePoint deadline, const std::function<bool()>& satisfied,
                               const std::function<void(const ObjectRef&)>& changed) {
  return outcome_of(wait_on(view_, clock_, WaitLimits{deadline, options_.check_interval, options_.interrupt}, satisfied,
                         changed));
}

StepOutcome Syncer::wait_gone(const std::vector<ObjectRef>& ids, TimePoint deadline,
                              const std::function<void(const ObjectRef&)>& on_gone) {
  auto gone = wait_until_gone(view_, clock_, ids, WaitLimits{deadline, options_.check_interval, options_.interrupt},
                              on_gone);
  if (!gone) return outcome_of(gone.error());
  return outcome_of(gone->end);
}

StepOutcome Syncer::delete_before_create(StepItems& step, std::vector<Item*> targets, TimePoint deadline) {
  // Argo CD deletes hooks as it prunes, with the prune propagation policy (deleteResource),
  // first taking its hook finalizer off a hook it left behind (runTasks); a recreate is kubectl's
  // `replace --force` or `apply --force`, whose delete cascades in the background (kubectl's
  // default): nothing but the object itself is waited for, and no finalizer is left for the
  // garbage collector.
  std::vector<DeleteRequest> requests;
  for (Item* item : targets) {
    requests.push_back(DeleteRequest{item->id,
                                     item->hook ? options_.prune_propagation : kube::Propagation::background,
                                     item->hook ? HookFinalizer::release : HookFinalizer::keep, LiveKeep::ignore});
  }
  auto started = start_deletions(client_, view_, requests, options_.interrupt);
  if (!started) return StepOutcome::failed(started.error());
  if (started->interrupted) return StepOutcome{Stop::interrupted};
  StepOutcome out;
  std::vector<ObjectRef> waiting;
  for (std::size_t i = 0; i < started->objects.size(); ++i) {
    const DeleteStarted& d = started->objects[i];
    Item& item = *targets[i];
    const std::string policy = item.hook ? "BeforeHookCreation" : "Replace=true,Force=true";
    switch (d.state) {
      case DeleteStart::gone:
      case DeleteStart::kept: continue;
      case DeleteStart::failed:
        out.note(d.error);
        out.reasons.push_back(fail_item(step, item, d.error.message, EventType::apply_failed));
        continue;
      case DeleteStart::refused: {
        out.note(d.error);
        Event e = event(EventType::deleting, &step, &item);
        e.message = d.error.message;
        events_.emit(e);
        out.reasons.push_back(fail_item(step, item, d.error.message, EventType::apply_failed));
        continue;
      }
      case DeleteStart::deleting:
      case DeleteStart::already_deleting: {
        Event e = event(EventType::deleting, &step, &item);
        e.message = d.state == DeleteStart::deleting ? policy : policy + ": already being deleted";
        events_.emit(e);
        waiting.push_back(item.id);
        continue;
      }
    }
  }
  // A foreground deletion keeps the object (with deletionTimestamp) until its dependents are
  // gone; the hook is created only once it has really disappeared (pkg/sync/hook delete
  // policies, sync_context.go).
  out.merge(wait_gone(waiting, deadline, {}));
  return out;
}

StepOutcome Syncer::recreate(StepItems& step, Item& item, TimePoint deadline) {
  // Force=true: `kubectl apply --force` deletes and re-creates when the patch is rejected.
  StepOutcome out = delete_before_create(step, {&item}, deadline);
  if (out.stopped() || item.state == ItemState::failed) return out;
  Result<kube::WriteResult> created = Error{};
  if (skips_field_validation(item.planned->sync_options)) {
    // Validate=false: created as such objects are written (unvalidated_write.hpp), not applied.
    created = client_.create(item.body, options_.dry_run, kube::FieldValidation::ignore);
  } else {
    kube::ApplyOptions options{options_.dry_run, kube::ForceConflicts::yes, options_.field_manager};
    created = std::move(client_.apply({item.body}, options)[0]);
  }
  if (!created) {
    out.note(created.error());
    out.reasons.push_back(fail_item(step, item, created.error().message, EventType::apply_failed));
    return out;
  }
  item.applied = true;
  ++applied_;
  item.state = ItemState::running;
  view_.record(item.id, created->object);
  Event e = event(item.hook ? EventType::hook_started : EventType::resource_applied, &step, &item);
  e.apply_result = ApplyResult::created;
  e.warnings = created->warnings;
  e.message = "recreated (Force=true)";
  events_.emit(e);
  return out;
}

StepOutcome Syncer::apply_run(StepItems& step, std::vector<Item*> run, TimePoint deadline) {
  StepOutcome out;
  std::vector<Item*> prepared;
  for (Item* item : run) {
    out.merge(prepare(step, *item));
    if (item->prepared) prepared.push_back(item);
  }
  if (prepared.empty()) return out;
  std::vector<ObjectRef> ids;
  for (Item* item : prepared)
    if (item->watched) ids.push_back(item->id);
  if (auto covered = ids.empty() ? Result<void>{} : view_.cover(ids); !covered) {
    out.merge(StepOutcome::failed(covered.error()));
    return out;
  }
  // Replace=true objects are written in place (PUT or create), Validate=false ones without
  // server-side apply (create or merge patch); the rest are applied together.
  std::vector<Item*> strict;
  for (Item* item : prepared) {
    const WriteMode mode = mode_of(*item);
    if (mode == WriteMode::replace || mode == WriteMode::replace_force) {
      out.merge(write_in_place(step, *item));
    } else if (skips_field_validation(item->planned->sync_options)) {
      out.merge(write_unvalidated(step, *item, deadline));
      if (out.stopped()) return out;
    } else {
      strict.push_back(item);
    }
  }
  if (!strict.empty()) {
    out.merge(apply_batch(step, strict, kube::FieldValidation::strict, deadline));
    if (out.stopped()) return out;
  }
  out.merge(wait_ready_prerequisites(step, prepared, deadline));
  return out;
}

// Objects sent to the server together by apply_batch.
constexpr std::size_t k_apply_chunk = 500;

StepOutcome Syncer::apply_batch(StepItems& step, std::vector<Item*> ready, kube::FieldValidation validation,
                                TimePoint deadline) {
  StepOutcome out;
  kube::ApplyOptions options{options_.dry_run, options_.force_conflicts, options_.field_manager, validation};
  if (options_.apply_out_of_sync_only && options_.dry_run == kube::DryRun::none) {
    std::vector<nlohmann::json> bodies;
    for (Item* item : ready) bodies.push_back(item->body);
    skip_unchanged(step, ready, bodies, options);
    if (ready.empty()) return out;
  }
  // A chunk at a time: the transport has at most 64 requests in flight anyway, and a step of
  // 10,000 objects no longer holds every request and every answer (with its managedFields) at once.
  for (std::size_t first = 0; first < ready.size(); first += k_apply_chunk) {
    const std::size_t end = std::min(ready.size(), first + k_apply_chunk);
    std::vector<nlohmann::json> bodies;
    bodies.reserve(end - first);
    for (std::size_t i = first; i < end; ++i) bodies.push_back(std::move(ready[i]->body));
    auto results = client_.apply(bodies, options);
    for (std::size_t i = first; i < end; ++i) ready[i]->body = std::move(bodies[i - first]);  // recreate() sends it again
    bodies = {};
    for (std::size_t i = first; i < end; ++i) {
      Item& item = *ready[i];
      auto& result = results[i - first];
      const bool adopted = result && options_.dry_run == kube::DryRun::none && adopt(item, result, options);
      if (!result) {
        const Error& error = result.error();
        out.note(error);
        if (recreate_after_rejection(mode_of(item), error.http_status)) {
          out.merge(recreate(step, item, deadline));
          if (out.stopped()) return out;
          continue;
        }
        std::string message = error.message;
        if (auto hint = immutable_hint(error.message)) message += "; hint: " + *hint;
        out.reasons.push_back(fail_item(step, item, message, EventType::apply_failed));
        continue;
      }
      record_written(step, item, *result, classify_apply(result->object, start_, options_.field_manager),
                     adopted ? "took over the fields kubectl apply (client-side) owned" : "");
      result = Error{};  // its answer is recorded: not kept until the chunk ends
    }
  }
  return out;
}

void Syncer::record_written(StepItems& step, Item& item, const kube::WriteResult& written, ApplyResult result,
                            std::string message) {
  item.applied = true;
  ++applied_;
  item.state = ItemState::running;
  // An object nothing waits on is only ever asked "does it have a health rule?", which its
  // metadata answers; keeping just that keeps 10,000 ConfigMaps from holding their data twice.
  view_.record(item.id, item.watched ? written.object : identity_of(written.object));
  Event e = event(item.hook ? EventType::hook_started : EventType::resource_applied, &step, &item);
  e.apply_result = result;
  e.warnings = written.warnings;
  e.message = std::move(message);
  events_.emit(e);
  // The plan keeps the manifest; this applied copy is not sent again.
  item.body = nlohmann::json();
}

void Syncer::skip_unchanged(StepItems& step, std::vector<Item*>& ready, std::vector<nlohmann::json>& bodies,
                            const kube::ApplyOptions& options) {
  // ApplyOutOfSyncOnly (gitops-engine filterOutOfSyncTasks): an object the server-side dry run
  // shows unchanged is not written. Hooks always run. A dry run the server refuses leaves the
  // object to the real apply, which reports the refusal.
  std::vector<std::size_t> candidates;
  std::vector<nlohmann::json> trial;
  for (std::size_t i = 0; i < ready.size(); ++i) {
    if (ready[i]->hook) continue;
    candidates.push_back(i);
    trial.push_back(bodies[i]);
  }
  if (trial.empty()) return;
  kube::ApplyOptions dry = options;
  dry.dry_run = kube::DryRun::all;
  auto results = client_.apply(trial, dry);
  std::vector<bool> unchanged(ready.size(), false);
  for (std::size_t k = 0; k < candidates.size(); ++k) {
    if (!results[k]) continue;
    if (classify_apply(results[k]->object, start_, options_.field_manager) != ApplyResult::unchanged) continue;
    Item& item = *ready[candidates[k]];
    unchanged[candidates[k]] = true;
    item.state = ItemState::running;
    view_.record(item.id, item.watched ? results[k]->object : identity_of(results[k]->object));
    Event e = event(EventType::resource_applied, &step, &item);
    e.apply_result = ApplyResult::unchanged;
    e.message = "not written: unchanged (--apply-out-of-sync-only)";
    events_.emit(e);
    item.body = nlohmann::json();
  }
  std::vector<Item*> kept_items;
  std::vector<nlohmann::json> kept_bodies;
  for (std::size_t i = 0; i < ready.size(); ++i) {
    if (unchanged[i]) continue;
    kept_items.push_back(ready[i]);
    kept_bodies.push_back(std::move(bodies[i]));
  }
  ready = std::move(kept_items);
  bodies = std::move(kept_bodies);
}

StepOutcome Syncer::wait_ready_prerequisites(StepItems& step, const std::vector<Item*>& run, TimePoint deadline) {
  // Namespaces must be Active before their contents, and a CRD Established and discoverable
  // before its custom resources (Argo CD's ensureCRDReady polls for 3 s; we wait on the watch).
  std::vector<Item*> namespaces;
  std::vector<Item*> crds;
  for (Item* item : run) {
    if (item->state != ItemState::running) continue;
    if (is_kind(item->id, "", "Namespace")) namespaces.push_back(item);
    if (is_kind(item->id, "apiextensions.k8s.io", "CustomResourceDefinition")) crds.push_back(item);
  }
  if (namespaces.empty() && crds.empty()) return {};
  // A CRD that does not become Established fails its step in bounded time with its conditions,
  // at once when the API server refused its names (that never heals by waiting).
  const TimePoint crd_deadline =
      crds.empty() ? deadline : std::min(deadline, clock_.now() + k_crd_established_timeout);
  Item* rejected = nullptr;
  StepOutcome out = wait_until(
      crd_deadline,
      [&] {
        for (Item* item : crds) {
          const Observed* o = view_.find(item->id);
          if (o != nullptr && !o->deleted && has_condition(o->object, "NamesAccepted", "False")) {
            rejected = item;
            return true;
          }
        }
        for (Item* item : namespaces) {
          const Observed* o = view_.find(item->id);
          if (o == nullptr || o->deleted) return false;
          const auto status = o->object.value("status", nlohmann::json::object());
          if (status.is_object() && status.value("phase", "") != "Active") return false;
        }
        for (Item* item : crds) {
          const Observed* o = view_.find(item->id);
          if (o == nullptr || o->deleted || !has_condition(o->object, "Established", "True")) return false;
        }
        return true;
      },
      [](const ObjectRef&) {});
  const bool crd_time_up = out.stop == Stop::timed_out && crd_deadline < deadline;
  if (rejected != nullptr || crd_time_up) {
    for (Item* item : crds) {
      const Observed* o = view_.find(item->id);
      if (o != nullptr && !o->deleted && has_condition(o->object, "Established", "True") && item != rejected) continue;
      const std::string conditions = o != nullptr ? conditions_text(o->object) : std::string();
      const std::string what = item == rejected ? std::string("its names were not accepted")
                                                : "not Established after " + format_duration(k_crd_established_timeout);
      out.reasons.push_back(
          fail_item(step, *item, what + (conditions.empty() ? "" : ": " + conditions), EventType::health_changed));
    }
    out.stop = Stop::failed;
    return out;
  }
  if (out.stop == Stop::timed_out) {
    out.timeout = Reason{std::nullopt, "timed out waiting for namespaces to be Active and CRDs to be Established in " +
                                           std::string(phase_name(step.phase)) + " wave " + std::to_string(step.wave)};
  }
  if (out.stopped()) return out;
  if (!crds.empty()) out.merge(wait_crd_kinds_served(step, crds, crd_deadline, deadline));
  return out;
}

StepOutcome Syncer::wait_crd_kinds_served(StepItems& step, const std::vector<Item*>& crds, TimePoint crd_deadline,
                                          TimePoint deadline) {
  // Established=True is set before the API server's discovery documents list the new kind (they
  // are rebuilt asynchronously), so a custom resource applied at once can meet "no matches for
  // kind". Discovery is read again, with a growing pause, until every served version of every
  // CRD resolves; a kind that never appears fails its CRD when the CRD wait runs out.
  std::chrono::milliseconds pause{50};
  for (;;) {
    if (auto refreshed = client_.refresh_discovery(); !refreshed) {
      return StepOutcome::failed(refreshed.error().wrap("refresh discovery after applying CRDs"));
    }
    std::vector<std::pair<Item*, std::string>> absent;
    for (Item* item : crds) {
      const Observed* o = view_.find(item->id);
      if (o == nullptr || o->deleted) continue;
      const std::string group = string_at(o->object, {"spec", "group"});
      const std::string kind = string_at(o->object, {"spec", "names", "kind"});
      const nlohmann::json* versions = array_at(o->object, {"spec", "versions"});
      if (group.empty() || kind.empty() || versions == nullptr) continue;
      for (const auto& v : *versions) {
        if (!v.is_object() || (find_path(v, {"served"}) != nullptr && !bool_at(v, {"served"}))) continue;
        const std::string api_version = group + "/" + field(v, "name");
        if (!client_.resolve(api_version, kind)) absent.emplace_back(item, api_version + " " + kind);
      }
    }
    if (absent.empty()) return {};
    if (clock_.now() >= crd_deadline && crd_deadline == deadline) {
      StepOutcome out{Stop::timed_out};
      out.timeout = Reason{std::nullopt, "timed out waiting for discovery to list the kinds of the CRDs applied in " +
                                             std::string(phase_name(step.phase)) + " wave " + std::to_string(step.wave)};
      return out;
    }
    if (clock_.now() >= crd_deadline) {
      StepOutcome out{Stop::failed};
      for (const auto& [item, type] : absent) {
        if (item->state != ItemState::running) continue;
        out.reasons.push_back(fail_item(step, *item, "Established, but the API server's discovery did not list " +
                                                         type + " within " + format_duration(k_crd_established_timeout),
                                        EventType::health_changed));
      }
      return out;
    }
    StepOutcome waited = wait_until(std::min(crd_deadline, clock_.now() + pause), [] { return false; },
                                    [](const ObjectRef&) {});
    if (waited.stop != Stop::timed_out) return waited;
    pause = std::min(pause * 2, std::chrono::milliseconds(1000));
  }
}

std::optional<Reason> Syncer::evaluate(StepItems& step, Item& item) {
  if (item.state != ItemState::running) return std::nullopt;
  const Observed* o = view_.find(item.id);
  if (o == nullptr) return std::nullopt;  // not observed yet
  std::optional<health::Health> h;
  if (!o->deleted) {
    health::Options options{options_.conditions, item.hook ? health::Role::hook : health::Role::resource,
                            options_.health_scripts};
    h = health::assess(o->object, options);
    if (h && (!item.health || *item.health != *h)) {
      item.health = h;
      events_.emit(event(EventType::health_changed, &step, &item));
    }
  }
  const ItemVerdict verdict = judge_running(item.hook, o->deleted, h);
  switch (verdict.verdict) {
    case Verdict::waiting: return std::nullopt;
    case Verdict::done:
      item.state = ItemState::done;
      if (item.hook) events_.emit(event(EventType::hook_completed, &step, &item));
      return std::nullopt;
    case Verdict::failed:
      return fail_item(step, item, verdict.failure, item.hook ? EventType::hook_failed : EventType::health_changed);
  }
  return std::nullopt;
}

TimePoint Syncer::earliest_deadline(const std::vector<Item*>& items, ItemState state, TimePoint deadline,
                                    const Item** first) {
  *first = nullptr;
  for (const Item* item : items) {
    if (item->state != state || !item->deadline || *item->deadline >= deadline) continue;
    deadline = *item->deadline;
    *first = item;
  }
  return deadline;
}

Reason Syncer::object_timed_out(const Item& item) {
  return Reason{item.id, "timed out after " + format_duration(*item.planned->policy.timeout) + " (" +
                             k_annotation_timeout + ") waiting for " + item.id.str()};
}

StepOutcome Syncer::wait_healthy(StepItems& step, TimePoint deadline) {
  StepOutcome out;
  std::map<ObjectRef, Item*> by_id;
  std::vector<Item*> running;
  for (Item& item : step.items) {
    if (item.state != ItemState::running) continue;
    by_id[item.id] = &item;
    running.push_back(&item);
  }
  for (auto& [id, item] : by_id) {
    if (std::optional<Reason> failure = evaluate(step, *item)) out.reasons.push_back(std::move(*failure));
  }
  auto failed = [&] {
    return std::any_of(step.items.begin(), step.items.end(),
                       [](const Item& i) { return i.state == ItemState::failed; });
  };
  for (;;) {
    // An object's own timeout (wavesync.dev/timeout) may end the wait before the step's.
    const Item* first = nullptr;
    const TimePoint until = earliest_deadline(running, ItemState::running, deadline, &first);
    StepOutcome waited = wait_until(
        until,
        [&] {
          // Why the workloads still waited on are not ready; may fail one (--pod-failure-grace).
          for (Reason& failure : look_at_pods(step)) out.reasons.push_back(std::move(failure));
          if (failed()) return true;
          return std::none_of(step.items.begin(), step.items.end(),
                              [](const Item& i) { return i.state == ItemState::running; });
        },
        [&](const ObjectRef& id) {
          auto it = by_id.find(id);
          if (it == by_id.end()) return;
          if (std::optional<Reason> failure = evaluate(step, *it->second)) out.reasons.push_back(std::move(*failure));
        });
    if (waited.stop == Stop::timed_out && first != nullptr) {
      // A wait that timed out found no reasons of its own (outcome_of).
      if (first->state != ItemState::running) continue;  // ready just in time: wait on
      out.stop = Stop::timed_out;
      out.timeout = object_timed_out(*first);
      return out;
    }
    out.merge(std::move(waited));
    if (out.stop == Stop::none && failed()) out.stop = Stop::failed;
    return out;
  }
}

StepOutcome Syncer::run_step(StepItems& step, bool final) {
  const TimePoint step_start = clock_.now();
  TimePoint deadline = deadline_;
  if (options_.wave_timeout) deadline = std::min(deadline, step_start + *options_.wave_timeout);
  const bool whole = deadline == deadline_;
  StepOutcome out;
  // Adds what a part of the step decided; true when it stopped the step.
  auto stopped = [&](StepOutcome part) {
    out.merge(std::move(part));
    return out.stopped();
  };
  auto finish = [&](StepResult result) {
    // A part that knew more (an object's own timeout, the prunes) has said why already.
    if (out.stop == Stop::timed_out && !out.timeout) {
      out.timeout = Reason{std::nullopt, "timed out after " +
                                             format_duration(whole ? options_.timeout : *options_.wave_timeout) +
                                             " (" + (whole ? "--timeout" : "--wave-timeout") + ") waiting for " +
                                             std::string(phase_name(step.phase)) + " wave " + std::to_string(step.wave)};
    }
    if (out.stop == Stop::none) {
      // Objects without a health rule are settled once the step is: nothing reads their
      // state again (a retry applies and records them anew).
      std::vector<ObjectRef> settled;
      for (const Item& item : step.items)
        if (!item.watched && !item.hook && item.state == ItemState::done) settled.push_back(item.id);
      view_.forget(settled);
    }
    Event done = event(EventType::step_done, &step);
    done.step_result = result;
    done.duration = std::chrono::duration_cast<std::chrono::milliseconds>(clock_.now() - step_start);
    events_.emit(done);
    return std::move(out);
  };
  auto result_of = [](Stop stop) {
    switch (stop) {
      case Stop::failed: return StepResult::failed;
      case Stop::timed_out: return StepResult::timed_out;
      case Stop::interrupted: return StepResult::interrupted;
      case Stop::none: break;
    }
    return StepResult::healthy;
  };

  Event started = event(EventType::step_started, &step);
  started.count = step.items.size();
  events_.emit(started);
  for (Item& item : step.items)
    if (item.planned->policy.timeout) item.deadline = step_start + *item.planned->policy.timeout;

  // 0. Prunes are deleted first in their wave, and waited for only after its applies.
  std::vector<ObjectRef> pruning;
  if (stopped(start_prunes(step, pruning))) return finish(result_of(out.stop));

  // 1. Deletions before creation: BeforeHookCreation hooks and Replace=true,Force=true objects
  // (`kubectl replace --force`; never a CRD or a Namespace, whose contents would go with it).
  std::vector<Item*> deletions;
  for (Item& item : step.items) {
    bool bhc = item.hook && item.planned->hook->has_policy(DeletePolicy::before_hook_creation);
    bool replace = write_request(mode_of(item), item.id.api_version, item.id.kind, true) ==
                   WriteRequest::delete_and_create;
    if (!bhc && !replace) continue;
    out.merge(prepare(step, item));
    if (item.prepared) deletions.push_back(&item);
  }
  if (!deletions.empty()) {
    if (stopped(delete_before_create(step, deletions, deadline))) return finish(result_of(out.stop));
  }

  // 2. Applies in runs of the same kind: each run concurrently, the runs in order. A failed run
  // does not stop later runs of the same step (gitops-engine pkg/sync/sync_context.go runTasks).
  // Objects that wait for something outside the manifests (wavesync.dev/wait-for) are held back
  // and applied once it is there.
  std::vector<Item*> held;
  std::size_t i = 0;
  while (i < step.items.size()) {
    if (interrupted()) {
      out.stop = Stop::interrupted;
      return finish(StepResult::interrupted);
    }
    std::vector<Item*> run;
    const std::string& kind = step.items[i].id.kind;
    for (; i < step.items.size() && step.items[i].id.kind == kind; ++i) {
      if (step.items[i].state != ItemState::pending) continue;
      (step.items[i].planned->policy.wait_for.empty() ? run : held).push_back(&step.items[i]);
    }
    if (run.empty()) continue;
    if (stopped(apply_run(step, run, deadline))) return finish(result_of(out.stop));
  }
  if (!held.empty()) {
    if (stopped(wait_for_external(step, held, deadline))) return finish(result_of(out.stop));
    for (std::size_t from = 0; from < held.size();) {
      std::size_t to = from;
      while (to < held.size() && held[to]->id.kind == held[from]->id.kind) ++to;
      std::vector<Item*> run(held.begin() + static_cast<std::ptrdiff_t>(from), held.begin() + static_cast<std::ptrdiff_t>(to));
      if (stopped(apply_run(step, run, deadline))) return finish(result_of(out.stop));
      from = to;
    }
  }
  bool apply_failed = std::any_of(step.items.begin(), step.items.end(),
                                  [](const Item& item) { return item.state == ItemState::failed; });
  if (apply_failed) {
    out.stop = Stop::failed;
    return finish(StepResult::failed);
  }

  // 3. Waiting. Unlike Argo CD the final step is waited for too, so exit code 0 means healthy.
  if (final && options_.final_wait == FinalWait::skip) return finish(StepResult::applied);
  if (!final && options_.wave_delay.count() > 0) {
    // Other controllers get time to publish status; the watch keeps the picture current. The
    // pause ending at the deadline is not a timeout yet: the wait below says so.
    const TimePoint until = std::min(deadline, clock_.now() + options_.wave_delay);
    StepOutcome paused = wait_until(until, [] { return false; }, [](const ObjectRef&) {});
    if (paused.stop == Stop::interrupted || paused.stop == Stop::failed) {
      out.merge(std::move(paused));
      return finish(result_of(out.stop));
    }
  }
  if (!stopped(wait_healthy(step, deadline))) out.merge(wait_prunes(step, pruning, deadline));
  return finish(result_of(out.stop));
}

}  // namespace wavesync::engine::detail
