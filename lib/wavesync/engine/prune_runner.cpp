// Prunes of one Sync wave, as Argo CD's runTasks runs them (gitops-engine sync_context.go):
// deleted first in their wave, all at once and without waiting, then the wave's applies; the
// next step starts only when every pruned object is really gone (a foreground deletion's
// dependents and an object's finalizers are waited for too). So renaming `web-v1` to `web-v2`
// in one wave creates the new object before the old one has finished going.
#include "wavesync/engine/syncer.hpp"

#include "wavesync/engine/delete_wait.hpp"

#include <algorithm>

namespace wavesync::engine::detail {

namespace {

ObjectRef id_of(const applyset::PruneTarget& target) {
  return ObjectRef{target.api_version, target.key.kind, target.key.namespace_name, target.key.name};
}

}  // namespace

void Syncer::add_prune_steps(std::size_t from) {
  // A prune wave with no Sync step of its own (among the steps not run yet) gets an empty one,
  // in wave order among the Sync steps (after PreSync, before PostSync). A wave that moved below
  // the step just run comes next.
  for (const auto& target : pending_prunes_) {
    const auto first = steps_.begin() + static_cast<std::ptrdiff_t>(from);
    auto same = std::find_if(first, steps_.end(), [&](const StepItems& s) {
      return s.phase == Phase::sync && s.wave == target.wave;
    });
    if (same != steps_.end()) continue;
    auto after = std::find_if(first, steps_.end(), [&](const StepItems& s) {
      return s.phase == Phase::post_sync || (s.phase == Phase::sync && s.wave > target.wave);
    });
    steps_.insert(after, StepItems{Phase::sync, target.wave, {}});
  }
}

void Syncer::rewave_prunes(std::size_t done) {
  // Argo CD builds its tasks again on every Sync() call from what is live, so the mirror is
  // taken over the prunes still there: once the highest-wave ones are gone, the rest move
  // earlier (gitops-engine sync_context.go getSyncTasks).
  if (options_.prunes.empty()) return;
  applyset::assign_prune_waves(pending_prunes_, options_.prune_disabled_waves, options_.prune_last_sync_wave);
  // Steps that only existed for prunes are placed again for the new waves.
  steps_.erase(std::remove_if(steps_.begin() + static_cast<std::ptrdiff_t>(done) + 1, steps_.end(),
                              [](const StepItems& s) { return s.phase == Phase::sync && s.items.empty(); }),
               steps_.end());
  add_prune_steps(done + 1);
}

Event Syncer::prune_event(EventType type, const StepItems& step, const ObjectRef& id, std::string message) {
  Event e = event(type, &step);
  e.resource = id;
  e.prune = true;
  e.message = std::move(message);
  return e;
}

void Syncer::announce_prunes(const StepItems& step) {
  if (step.phase != Phase::sync) return;
  for (const auto& target : options_.prunes) {
    if (target.wave == step.wave) events_.emit(prune_event(EventType::deleting, step, id_of(target), "would be pruned"));
  }
}

StepOutcome Syncer::start_prunes(StepItems& step, std::vector<ObjectRef>& waiting) {
  StepOutcome out;
  if (step.phase != Phase::sync) return out;
  std::vector<DeleteRequest> requests;
  const auto in_wave = [&](const PendingPrune& p) { return p.wave == step.wave; };
  for (const PendingPrune& p : pending_prunes_) {
    if (in_wave(p)) {
      requests.push_back(DeleteRequest{id_of(*p.target), options_.prune_propagation, HookFinalizer::keep, LiveKeep::ignore});
    }
  }
  // One pass: erasing each in turn moved the rest of 50,000 targets once per deletion.
  std::erase_if(pending_prunes_, in_wave);
  if (requests.empty()) return out;
  auto started = start_deletions(client_, view_, requests, options_.interrupt);
  if (!started) return StepOutcome::failed(started.error());
  const std::string propagation(propagation_name(options_.prune_propagation));
  bool failed = false;
  for (const DeleteStarted& d : started->objects) {
    std::string message;
    switch (d.state) {
      case DeleteStart::gone:
        events_.emit(prune_event(EventType::deleting, step, d.id, "pruned (already gone)"));
        continue;
      case DeleteStart::failed:
      case DeleteStart::refused:
        out.note(d.error);
        out.reasons.push_back(Reason{d.id, "prune " + d.id.str() + ": " + d.error.message});
        events_.emit(prune_event(EventType::apply_failed, step, d.id, "prune: " + d.error.message));
        failed = true;
        continue;
      case DeleteStart::kept: continue;
      case DeleteStart::deleting: message = "pruning (" + propagation + ")"; break;
      case DeleteStart::already_deleting: message = "pruning: already being deleted"; break;
    }
    if (!d.finalizers.empty()) message += "; finalizers: " + finalizers_text(d.finalizers);
    events_.emit(prune_event(EventType::deleting, step, d.id, message));
    waiting.push_back(d.id);
  }
  if (started->interrupted) {
    out.stop = Stop::interrupted;
  } else if (failed) {
    // A failed prune fails the wave before anything of it is applied (runTasks returns before
    // its applies when a prune task failed).
    out.stop = Stop::failed;
  }
  return out;
}

StepOutcome Syncer::wait_prunes(StepItems& step, const std::vector<ObjectRef>& waiting, TimePoint deadline) {
  if (waiting.empty()) return {};
  StepOutcome out = wait_gone(waiting, deadline, [&](const ObjectRef& id) {
    events_.emit(prune_event(EventType::deleting, step, id, "pruned"));
  });
  // Gone, and never applied again in this sync (they are not in the manifests): the live view
  // and the watch filter let go of them, so a prune of 50,000 objects does not keep 50,000 entries.
  if (out.stop == Stop::none) view_.forget(waiting);
  if (out.stop == Stop::timed_out) {
    std::string held;
    for (const ObjectRef& id : waiting) {
      const Observed* o = view_.find(id);
      if (o == nullptr || o->deleted) continue;
      const std::string finalizers = finalizers_text(blocking_finalizers(o->object));
      held += (held.empty() ? "" : ", ") + id.str() + (finalizers.empty() ? "" : " (finalizers: " + finalizers + ")");
    }
    out.timeout = Reason{std::nullopt, "timed out waiting for the deletion of " + held};
  }
  return out;
}

}  // namespace wavesync::engine::detail
