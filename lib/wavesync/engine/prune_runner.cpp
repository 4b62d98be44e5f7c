// Prunes of one Sync wave, as Argo CD's runTasks runs them (gitops-engine sync_context.go):
// deleted first in their wave, all at once and without waiting, then the wave's applies; the
// next step starts only when every pruned object is really gone (a foreground deletion's
// dependents and an object's finalizers are waited for too). So renaming `web-v1` to `web-v2`
// in one wave creates the new object before the old one has finished going.
#include "wavesync/engine/syncer.hpp"

#include <algorithm>

namespace wavesync::engine::detail {

namespace {

ObjectId id_of(const applyset::PruneTarget& target) {
  return ObjectId{target.api_version, target.key.kind, target.key.namespace_name, target.key.name};
}

kube::ObjectRef ref_of(const ObjectId& id) {
  return kube::ObjectRef{id.api_version, id.kind, id.namespace_name, id.name};
}

std::string finalizers_of(const nlohmann::json& object) {
  std::string out;
  const auto meta = object.value("metadata", nlohmann::json::object());
  for (const auto& f : meta.value("finalizers", nlohmann::json::array())) {
    if (f.is_string()) out += (out.empty() ? "" : ", ") + f.get<std::string>();
  }
  return out;
}

const char* propagation_name(kube::Propagation p) {
  switch (p) {
    case kube::Propagation::foreground: return "foreground";
    case kube::Propagation::background: return "background";
    case kube::Propagation::orphan: return "orphan";
  }
  return "foreground";
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

Event Syncer::prune_event(EventType type, const StepItems& step, const ObjectId& id, std::string message) {
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

Stop Syncer::start_prunes(StepItems& step, std::vector<ObjectId>& waiting) {
  if (step.phase != Phase::sync) return Stop::none;
  std::vector<ObjectId> ids;
  for (auto it = pending_prunes_.begin(); it != pending_prunes_.end();) {
    if (it->wave != step.wave) {
      ++it;
      continue;
    }
    ids.push_back(id_of(*it));
    it = pending_prunes_.erase(it);
  }
  if (ids.empty()) return Stop::none;
  // Watch first, then delete: a deletion that finishes at once cannot be missed.
  if (auto covered = view_.cover(ids); !covered) {
    reasons_.push_back(covered.error().message);
    return Stop::failed;
  }
  const char* propagation = propagation_name(options_.prune_propagation);
  bool failed = false;
  for (const ObjectId& id : ids) {
    if (interrupted()) return Stop::interrupted;
    auto live = client_.get(ref_of(id));
    if (live && !live->has_value()) {
      view_.record_gone(id);
      events_.emit(prune_event(EventType::deleting, step, id, "pruned (already gone)"));
      continue;
    }
    Result<void> removed;
    std::string message;
    if (live) {
      view_.record(id, **live);
      const auto meta = (**live).value("metadata", nlohmann::json::object());
      const bool deleting = meta.contains("deletionTimestamp") && !meta["deletionTimestamp"].is_null();
      // Argo CD issues no second DELETE for an object that is already being deleted.
      if (!deleting) removed = client_.remove(ref_of(id), options_.prune_propagation);
      message = deleting ? "pruning: already being deleted" : std::string("pruning (") + propagation + ")";
      const std::string finalizers = finalizers_of(**live);
      if (!finalizers.empty()) message += "; finalizers: " + finalizers;
    }
    if (!live || !removed) {
      const Error& error = live ? removed.error() : live.error();
      if (error.exit_code == exit_code::k_cluster) cluster_error_exit_ = exit_code::k_cluster;
      reasons_.push_back("prune " + id.str() + ": " + error.message);
      events_.emit(prune_event(EventType::apply_failed, step, id, "prune: " + error.message));
      failed = true;
      continue;
    }
    events_.emit(prune_event(EventType::deleting, step, id, message));
    waiting.push_back(id);
  }
  // A failed prune fails the wave before anything of it is applied (runTasks returns before
  // its applies when a prune task failed).
  return failed ? Stop::failed : Stop::none;
}

Stop Syncer::wait_prunes(StepItems& step, const std::vector<ObjectId>& waiting, TimePoint deadline) {
  if (waiting.empty()) return Stop::none;
  std::vector<ObjectId> reported;
  auto gone = [&](const ObjectId& id) {
    const Observed* o = view_.find(id);
    return o == nullptr || o->deleted;
  };
  auto report_gone = [&](const ObjectId& id) {
    if (!gone(id) || std::find(reported.begin(), reported.end(), id) != reported.end()) return;
    reported.push_back(id);
    events_.emit(prune_event(EventType::deleting, step, id, "pruned"));
  };
  Stop stop = wait_until(
      deadline, [&] { return std::all_of(waiting.begin(), waiting.end(), gone); },
      [&](const ObjectId& changed) {
        if (std::find(waiting.begin(), waiting.end(), changed) != waiting.end()) report_gone(changed);
      });
  for (const ObjectId& id : waiting) report_gone(id);
  if (stop == Stop::timed_out && timeout_reason_.empty()) {
    std::string held;
    for (const ObjectId& id : waiting) {
      if (gone(id)) continue;
      const Observed* o = view_.find(id);
      const std::string finalizers = o != nullptr ? finalizers_of(o->object) : "";
      held += (held.empty() ? "" : ", ") + id.str() + (finalizers.empty() ? "" : " (finalizers: " + finalizers + ")");
    }
    timeout_reason_ = "timed out waiting for the deletion of " + held;
  }
  return stop;
}

}  // namespace wavesync::engine::detail
