#include "wavesync/engine/delete_run.hpp"

#include "wavesync/engine/delete_wait.hpp"
#include "wavesync/engine/live_view.hpp"
#include "wavesync/health/health.hpp"
#include "wavesync/model/duration.hpp"
#include "wavesync/plan/live_options.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <tuple>

namespace wavesync::engine {

namespace {

int exit_of(const Error& error) {
  return error.exit_code == exit_code::k_cluster ? exit_code::k_cluster : exit_code::k_sync_failed;
}

ObjectRef id_of_object(const nlohmann::json& object) {
  const nlohmann::json meta = object.value("metadata", nlohmann::json::object());
  return ObjectRef{object.value("apiVersion", ""), object.value("kind", ""), meta.value("namespace", ""),
                  meta.value("name", "")};
}

// A hook as it exists on the server, with where it came from.
struct RunningHook {
  ObjectRef id;
  const DeleteHook* hook = nullptr;
  std::optional<health::Status> ended;  // the status it ended with, once it did
};

// The state of one run_delete call.
class DeleteRun {
 public:
  DeleteRun(const DeletePlan& plan, kube::Client& client, Clock& clock, EventSink& events,
            const DeleteRunOptions& options)
      : plan_(plan), client_(client), clock_(clock), events_(events), options_(options) {}

  DeleteRunResult run() {
    start_ = clock_.now();
    deadline_ = start_ + options_.timeout;
    Event started = event(EventType::sync_started);
    started.count = plan_.steps.size();
    events_.emit(started);
    if (options_.dry_run) {
      dry_run();
      return finish();
    }
    // PreDelete hooks run before anything is deleted; one that fails stops the delete (Argo CD).
    std::vector<RunningHook> pre = run_hooks(plan_.pre_delete, Phase::pre_delete);
    if (result_.exit_code != exit_code::k_ok) return finish();
    for (const DeleteStep& step : plan_.steps) {
      if (!run_step(step)) return finish();
    }
    // A refused delete does not stop the later steps, but the hooks after it do not run.
    if (result_.exit_code != exit_code::k_ok) return finish();
    // The PreDelete hooks go with everything else (Argo CD's cascade deletes them too); then the
    // PostDelete hooks run, and go when their delete policy says so.
    if (!remove_hooks(pre, kube::Propagation::foreground, "deleting with the application (foreground)")) return finish();
    std::vector<RunningHook> post = run_hooks(plan_.post_delete, Phase::post_delete);
    if (result_.exit_code != exit_code::k_ok) return finish();
    clean_up_hooks(post);
    return finish();
  }

 private:
  Event event(EventType type, std::optional<Phase> phase = std::nullopt, Wave wave = 0) {
    Event e;
    e.type = type;
    e.time = clock_.now();
    e.phase = phase;
    e.wave = wave;
    e.dry_run = options_.dry_run;
    e.deletion = true;
    return e;
  }
  Event object_event(EventType type, const DeleteStep& step, const ObjectRef& id, const SourceLocation& source,
                     std::string message) {
    Event e = event(type, step.phase, step.wave);
    e.resource = id;
    e.source = source;
    e.message = std::move(message);
    return e;
  }
  Event hook_event(EventType type, std::optional<Phase> phase, const RunningHook& hook, std::string message) {
    Event e = event(type, phase, 0);
    e.resource = hook.id;
    e.source = hook.hook->resource.source;
    e.hook = true;
    e.message = std::move(message);
    return e;
  }
  void fail(int exit, std::string reason) {
    // The first cluster error or timeout decides; a refused delete only when nothing worse came.
    if (result_.exit_code == exit_code::k_ok || exit == exit_code::k_cluster || exit == exit_code::k_timeout)
      result_.exit_code = exit;
    result_.reasons.push_back(std::move(reason));
  }
  void step_done(const DeleteStep* step, Phase phase, TimePoint began, StepResult result) {
    Event done = event(EventType::step_done, step != nullptr ? step->phase : phase, step != nullptr ? step->wave : 0);
    done.step_result = result;
    done.duration = std::chrono::duration_cast<std::chrono::milliseconds>(clock_.now() - began);
    events_.emit(done);
  }
  WaitLimits limits() const { return WaitLimits{deadline_, options_.check_interval, nullptr}; }
  std::string still_present(const LiveView& view, const ObjectRef& id) {
    return id.str() + " is still present after " + format_duration(options_.timeout) +
           " (--timeout): " + still_there_reason(view.find(id));
  }

  DeleteRunResult finish() {
    result_.duration = std::chrono::duration_cast<std::chrono::milliseconds>(clock_.now() - start_);
    result_.outcome = result_.exit_code == exit_code::k_ok        ? SyncOutcome::succeeded
                      : result_.exit_code == exit_code::k_timeout ? SyncOutcome::timed_out
                                                                  : SyncOutcome::failed;
    Event done = event(EventType::sync_done);
    done.sync_outcome = result_.outcome;
    done.exit_code = result_.exit_code;
    done.reasons = result_.reasons;
    done.duration = result_.duration;
    done.count = result_.deleted;
    events_.emit(done);
    return result_;
  }

  void dry_run() {
    auto hooks = [&](const std::vector<DeleteHook>& list, Phase phase) {
      if (list.empty()) return;
      const TimePoint began = clock_.now();
      Event started = event(EventType::step_started, phase);
      started.count = list.size();
      events_.emit(started);
      for (const DeleteHook& h : list) events_.emit(hook_event(EventType::hook_started, phase, {planned_id(h), &h, {}}, "would be created"));
      step_done(nullptr, phase, began, StepResult::applied);
    };
    hooks(plan_.pre_delete, Phase::pre_delete);
    for (const DeleteStep& step : plan_.steps) {
      const TimePoint began = clock_.now();
      Event started = event(EventType::step_started, step.phase, step.wave);
      started.count = step.targets.size() + step.kept.size();
      events_.emit(started);
      for (const DeleteTarget& t : step.targets)
        events_.emit(object_event(EventType::deleting, step, t.id, t.source, "would be deleted"));
      for (const KeptObject& k : step.kept)
        events_.emit(object_event(EventType::deleting, step, k.id, k.source, "kept: " + k.reason));
      step_done(&step, step.phase, began, StepResult::applied);
    }
    hooks(plan_.post_delete, Phase::post_delete);
  }

  // False when the run must stop here (timed out, the cluster could not be reached).
  bool run_step(const DeleteStep& step) {
    const TimePoint began = clock_.now();
    Event started = event(EventType::step_started, step.phase, step.wave);
    started.count = step.targets.size() + step.kept.size();
    events_.emit(started);
    for (const KeptObject& k : step.kept)
      events_.emit(object_event(EventType::deleting, step, k.id, k.source, "kept: " + k.reason));
    // Foreground: an object stays until its dependents (a Deployment's Pods) are gone, so the
    // step is really empty when the next one starts. Argo CD's hook finalizer is taken off
    // whatever carries it (a hook Argo CD left), else it would hold the deletion forever.
    std::vector<DeleteRequest> requests;
    for (const DeleteTarget& t : step.targets)
      requests.push_back(DeleteRequest{t.id, kube::Propagation::foreground, HookFinalizer::release, LiveKeep::honour});
    // A watch of this step's collections only: a kind whose CRD an earlier step deleted is no
    // longer served, and a watch that still named it would fail.
    LiveView view(client_);
    auto deletes = start_deletions(client_, view, requests);
    if (!deletes) {
      fail(exit_of(deletes.error()), deletes.error().message);
      step_done(&step, step.phase, began, StepResult::failed);
      return false;
    }
    bool refused = false;
    std::vector<ObjectRef> waiting;
    for (std::size_t i = 0; i < deletes->objects.size(); ++i) {
      const DeleteStarted& d = deletes->objects[i];
      const DeleteTarget& t = step.targets[i];
      switch (d.state) {
        case DeleteStart::gone:
          ++result_.absent;
          events_.emit(object_event(EventType::deleting, step, t.id, t.source, "not found"));
          continue;
        case DeleteStart::kept:
          events_.emit(object_event(EventType::deleting, step, t.id, t.source, "kept: " + d.kept));
          continue;
        case DeleteStart::failed:
        case DeleteStart::refused:
          events_.emit(object_event(EventType::apply_failed, step, t.id, t.source, d.error.message));
          fail(exit_of(d.error), d.error.message);
          refused = true;
          if (result_.exit_code == exit_code::k_cluster) {
            step_done(&step, step.phase, began, StepResult::failed);
            return false;
          }
          continue;
        case DeleteStart::deleting:
          events_.emit(object_event(EventType::deleting, step, t.id, t.source, "deleting (foreground)"));
          waiting.push_back(t.id);
          continue;
        case DeleteStart::already_deleting:
          events_.emit(object_event(EventType::deleting, step, t.id, t.source, "already being deleted"));
          waiting.push_back(t.id);
          continue;
      }
    }
    auto source_of = [&](const ObjectRef& id) {
      for (const DeleteTarget& t : step.targets)
        if (t.id == id) return t.source;
      return SourceLocation{};
    };
    auto gone = wait_until_gone(view, clock_, waiting, limits(), [&](const ObjectRef& id) {
      ++result_.deleted;
      events_.emit(object_event(EventType::deleting, step, id, source_of(id), "gone"));
    });
    if (!gone) {
      fail(exit_of(gone.error()), "watch: " + gone.error().message);
      step_done(&step, step.phase, began, StepResult::failed);
      return false;
    }
    if (gone->end != WaitEnd::satisfied) {
      for (const ObjectRef& id : gone->left) fail(exit_code::k_timeout, still_present(view, id));
      step_done(&step, step.phase, began, StepResult::timed_out);
      return false;
    }
    step_done(&step, step.phase, began, refused ? StepResult::failed : StepResult::healthy);
    return true;
  }

  // Creates every hook (all together, no waves; one that already exists is not created again but
  // is waited for) and waits until none is Progressing. Argo CD counts only Progressing hooks as
  // unfinished: Degraded fails (the hook is deleted so the next attempt creates it afresh), any
  // other status passes; a kind with no health rule is Healthy.
  std::vector<RunningHook> run_hooks(const std::vector<DeleteHook>& hooks, Phase phase) {
    std::vector<RunningHook> running;
    if (hooks.empty()) return running;
    const std::string type(phase_name(phase));
    const TimePoint began = clock_.now();
    Event started = event(EventType::step_started, phase);
    started.count = hooks.size();
    events_.emit(started);
    LiveView view(client_);
    auto failed_step = [&](const Error& error, const std::string& label) {
      fail(exit_of(error), type + " hook " + label + ": " + error.message);
      step_done(nullptr, phase, began, StepResult::failed);
      return running;
    };
    for (const DeleteHook& hook : hooks) {
      nlohmann::json body = hook.resource.object();
      const std::string label = planned_id(hook).str();
      auto kind = client_.resolve(hook.resource.api_version(), hook.resource.kind());
      if (!kind) return failed_step(kind.error(), label);
      if (!kind->namespaced && body.contains("metadata") && body["metadata"].is_object())
        body["metadata"].erase("namespace");
      // Argo CD creates (never applies) deletion hooks; one that already exists is left as it is.
      auto created = client_.create(body, kube::DryRun::none);
      if (created) {
        running.push_back(RunningHook{id_of_object(created->object), &hook, {}});
        view.record(running.back().id, created->object);
        events_.emit(hook_event(EventType::hook_started, phase, running.back(), "created"));
        continue;
      }
      if (created.error().http_status == 409 && !hook.resource.name().empty()) {
        running.push_back(RunningHook{id_of_object(body), &hook, {}});
        events_.emit(hook_event(EventType::hook_started, phase, running.back(), "exists, not created again"));
        continue;
      }
      return failed_step(created.error(), label);
    }
    std::vector<ObjectRef> ids;
    for (const RunningHook& h : running) ids.push_back(h.id);
    if (auto covered = view.cover(ids); !covered) return failed_step(covered.error(), "watch");
    // The hooks that were not created here are read once; the watch keeps them all current.
    for (const RunningHook& h : running) {
      if (view.find(h.id) != nullptr) continue;
      auto live = client_.get(h.id);
      if (!live) return failed_step(live.error(), h.id.str());
      if (*live) view.record(h.id, **live);
      else view.record_gone(h.id);
    }

    const health::Options options{health::ConditionsRule::annotated_only, health::Role::hook};
    auto status_of = [&](const RunningHook& h) -> std::optional<health::Health> {
      const Observed* o = view.find(h.id);
      if (o == nullptr || o->deleted) return std::nullopt;  // gone (a TTL after finishing): not waited for
      return health::assess(o->object, options).value_or(health::Health{health::Status::healthy, ""});
    };
    // Reports each hook's end once; true when none is Progressing or one is Degraded.
    auto settled = [&] {
      bool progressing = false;
      bool degraded = false;
      for (RunningHook& h : running) {
        const std::optional<health::Health> health = status_of(h);
        const health::Status status = health ? health->status : health::Status::healthy;
        if (status == health::Status::progressing) {
          progressing = true;
          continue;
        }
        degraded = degraded || status == health::Status::degraded;
        if (h.ended) continue;
        h.ended = status;
        Event e = hook_event(status == health::Status::degraded ? EventType::hook_failed : EventType::hook_completed,
                             phase, h, "");
        e.health = health;
        events_.emit(e);
      }
      return degraded || !progressing;
    };
    auto end = wait_on(view, clock_, limits(), settled, [](const ObjectRef&) {});
    if (!end) return failed_step(end.error(), "watch");
    std::vector<ObjectRef> failed;
    for (const RunningHook& h : running)
      if (h.ended == health::Status::degraded) failed.push_back(h.id);
    if (!failed.empty()) {
      std::string names;
      for (const ObjectRef& id : failed)
        names += (names.empty() ? "" : ", ") + id.namespace_name + (id.namespace_name.empty() ? "" : "/") + id.name;
      // Deleted so that the next attempt creates it again, with whatever was fixed; not waited for.
      std::vector<DeleteRequest> requests;
      for (const ObjectRef& id : failed)
        requests.push_back(DeleteRequest{id, kube::Propagation::background, HookFinalizer::release, LiveKeep::ignore});
      auto deletes = start_deletions(client_, view, requests);
      for (const RunningHook& h : running) {
        if (h.ended != health::Status::degraded) continue;
        std::string message = "Degraded: deleted so that the next attempt creates it afresh";
        if (!deletes) message = "delete failed: " + deletes.error().message;
        else
          for (const DeleteStarted& d : deletes->objects)
            if (d.id == h.id && (d.state == DeleteStart::failed || d.state == DeleteStart::refused))
              message = "delete failed: " + d.error.message;
        events_.emit(hook_event(EventType::hook_deleted, phase, h, message));
      }
      fail(exit_code::k_sync_failed, type + " hook(s) failed: " + names);
      step_done(nullptr, phase, began, StepResult::failed);
      return running;
    }
    if (*end != WaitEnd::satisfied) {
      for (const RunningHook& h : running) {
        const std::optional<health::Health> health = status_of(h);
        if (!health || health->status != health::Status::progressing) continue;
        fail(exit_code::k_timeout, type + " hook " + h.id.str() + (health->message.empty() ? "" : ": " + health->message) +
                                       " is still Progressing (--timeout)");
      }
      step_done(nullptr, phase, began, StepResult::timed_out);
      return running;
    }
    step_done(nullptr, phase, began, StepResult::healthy);
    return running;
  }

  // Deletes `hooks` with `propagation` and waits until they are gone; false (exit 3 naming what
  // is still there, or 1/4) when they are not.
  bool remove_hooks(const std::vector<RunningHook>& hooks, kube::Propagation propagation, const std::string& message) {
    if (hooks.empty()) return true;
    std::vector<DeleteRequest> requests;
    for (const RunningHook& h : hooks) requests.push_back(DeleteRequest{h.id, propagation, HookFinalizer::release, LiveKeep::ignore});
    LiveView view(client_);
    auto deletes = start_deletions(client_, view, requests);
    if (!deletes) {
      fail(exit_of(deletes.error()), deletes.error().message);
      return false;
    }
    std::vector<ObjectRef> waiting;
    bool ok = true;
    for (std::size_t i = 0; i < deletes->objects.size(); ++i) {
      const DeleteStarted& d = deletes->objects[i];
      switch (d.state) {
        case DeleteStart::gone:
        case DeleteStart::kept: continue;
        case DeleteStart::failed:
        case DeleteStart::refused:
          events_.emit(hook_event(EventType::hook_deleted, std::nullopt, hooks[i], "delete failed: " + d.error.message));
          fail(exit_of(d.error), d.error.message);
          ok = false;
          continue;
        case DeleteStart::deleting:
        case DeleteStart::already_deleting:
          events_.emit(hook_event(EventType::hook_deleted, std::nullopt, hooks[i], message));
          waiting.push_back(d.id);
          continue;
      }
    }
    if (!ok) return false;
    auto gone = wait_until_gone(view, clock_, waiting, limits(), {});
    if (!gone) {
      fail(exit_of(gone.error()), "watch: " + gone.error().message);
      return false;
    }
    for (const ObjectRef& id : gone->left) fail(exit_code::k_timeout, still_present(view, id));
    return gone->left.empty();
  }

  // After the hooks of a type succeeded: deletes those whose policy is HookSucceeded when all of
  // them ended Healthy (Argo CD judges the hooks of a type together; a hook with no policy is
  // BeforeHookCreation and stays until it is next created) and waits until they are gone.
  void clean_up_hooks(const std::vector<RunningHook>& hooks) {
    const bool all_healthy = std::all_of(hooks.begin(), hooks.end(), [](const RunningHook& h) {
      return !h.ended || *h.ended == health::Status::healthy;
    });
    if (!all_healthy) return;
    std::vector<RunningHook> deleting;
    for (const RunningHook& h : hooks) {
      const auto& policies = h.hook->policies;
      if (std::find(policies.begin(), policies.end(), DeletePolicy::hook_succeeded) != policies.end())
        deleting.push_back(h);
    }
    // Argo CD sends no propagation policy here; background is the API's default for most kinds
    // and, unlike a Job's default (orphan), takes the hook's Pods with it.
    remove_hooks(deleting, kube::Propagation::background, std::string(delete_policy_name(DeletePolicy::hook_succeeded)));
  }

  const DeletePlan& plan_;
  kube::Client& client_;
  Clock& clock_;
  EventSink& events_;
  DeleteRunOptions options_;
  TimePoint start_;
  TimePoint deadline_;
  DeleteRunResult result_;
};

}  // namespace

Result<std::vector<ObjectRef>> live_confirmations(const std::vector<DeleteStep>& steps, kube::Client& client) {
  using Collection = std::tuple<std::string, std::string, std::string>;
  std::map<Collection, std::set<std::string>> asking;  // collection -> names
  std::set<Collection> listed;
  std::vector<ObjectRef> out;
  for (const DeleteStep& step : steps) {
    for (const DeleteTarget& t : step.targets) {
      if (t.needs_confirmation) continue;
      const Collection collection{t.id.api_version, t.id.kind, t.id.namespace_name};
      if (listed.insert(collection).second) {
        kube::WatchRequest request = collection_of(t.id);
        request.metadata_only = true;
        auto items = client.list(request);
        if (!items) return items.error();
        const auto found = items->find("items");
        if (found != items->end() && found->is_array()) {
          for (const nlohmann::json& item : *found) {
            if (!delete_needs_confirmation(item)) continue;
            const auto meta = item.find("metadata");
            if (meta != item.end() && meta->is_object()) asking[collection].insert(meta->value("name", ""));
          }
        }
      }
      if (asking[collection].count(t.id.name) != 0) out.push_back(t.id);
    }
  }
  return out;
}

DeleteRunResult run_delete(const DeletePlan& plan, kube::Client& client, Clock& clock, EventSink& events,
                           const DeleteRunOptions& options) {
  return DeleteRun(plan, client, clock, events, options).run();
}

}  // namespace wavesync::engine
