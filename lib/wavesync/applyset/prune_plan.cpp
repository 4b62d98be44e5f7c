#include "wavesync/applyset/prune_plan.hpp"
#include "wavesync/model/json_fields.hpp"

#include "wavesync/plan/object_policy.hpp"

#include "wavesync/applyset/applyset.hpp"
#include "wavesync/hooks/hook_annotations.hpp"

#include <algorithm>
#include <map>

namespace wavesync::applyset {

namespace {

// A live object seen through the same readers as a manifest; its "source" names it.
Resource as_resource(const nlohmann::json& live) {
  Resource resource;
  resource.set_object(live);
  const ResourceKey key = live_key(live);
  resource.source.file = "live " + live.value("apiVersion", "") + " " + key.kind + " " +
                         (key.namespace_name.empty() ? "" : key.namespace_name + "/") + key.name;
  return resource;
}

bool order_in_wave(const PruneTarget& a, const PruneTarget& b) {
  if (a.wave != b.wave) return a.wave < b.wave;
  // Argo CD deletes a wave's prunes in parallel; reverse kind rank makes the order we report
  // (and delete in) the mirror of creation: custom resources before Deployments before
  // Namespaces.
  int ra = kind_rank(a.key.kind);
  int rb = kind_rank(b.key.kind);
  if (ra != rb) return ra > rb;
  return a.key < b.key;
}

}  // namespace

std::vector<Wave> PrunePlan::waves() const {
  std::vector<Wave> out;
  for (const auto& t : targets) {
    if (std::find(out.begin(), out.end(), t.wave) == out.end()) out.push_back(t.wave);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<PruneTarget> PrunePlan::in_wave(Wave wave) const {
  std::vector<PruneTarget> out;
  for (const auto& t : targets) {
    if (t.wave == wave) out.push_back(t);
  }
  return out;
}

ResourceKey live_key(const nlohmann::json& object) {
  return ResourceKey{group_of(object.value("apiVersion", "")), object.value("kind", ""),
                     string_at(object, {"metadata", "namespace"}), string_at(object, {"metadata", "name"})};
}

PrunePlan plan_prunes(const PruneInput& input) {
  PrunePlan result;
  // Argo CD's prune tasks: every tracked live object without a target, Prune=false ones
  // included (they are skipped only when the task runs, but take part in the wave swap).
  struct Task : PruneTarget {
    bool disabled = false;
  };
  std::vector<Task> tasks;
  std::set<ResourceKey> seen;
  for (const LiveObject& candidate : input.live) {
    const nlohmann::json live = candidate.object();
    ResourceKey key = live_key(live);
    if (key.name.empty() || input.keep.count(key) != 0 || !seen.insert(key).second) continue;
    Resource resource = as_resource(live);
    const std::string owner = part_of(live);
    const std::string api_version = live.value("apiVersion", "");
    // Argo CD makes no prune task for a live hook (hook.IsHook, any annotation value) nor for
    // `hook: Skip` (syncPhases is empty), and none for an object whose manifest says Skip.
    if (input.unapplied.count(key) != 0 || has_hook_annotation(resource)) {
      if (owner == input.applyset_id) {
        result.skipped.push_back(SkippedPrune{api_version, key, SkipReason::hook,
                                              "not pruned: it is a hook or marked argocd.argoproj.io/hook: Skip"});
      }
      continue;
    }
    if (owner != input.applyset_id) {
      SkippedPrune skipped{api_version, key,
                           owner.empty() ? SkipReason::not_labelled : SkipReason::other_applyset, ""};
      skipped.message = owner.empty()
                            ? std::string("not pruned: it exists without the ") + k_part_of_label +
                                  " label, so wavesync did not create it"
                            : "not pruned: it belongs to ApplySet " + owner;
      result.skipped.push_back(std::move(skipped));
      continue;
    }
    Task task;
    task.api_version = api_version;
    task.key = key;
    task.live_wave = read_wave(resource, result.warnings);
    SyncOptions options = parse_sync_options(resource, result.warnings);
    task.disabled = options.has("Prune", "false");
    task.prune_last =
        input.prune_last == PruneLastMode::all || options.has("PruneLast", "true");
    task.needs_confirmation = prune_needs_confirmation(options);
    task.wave = task.live_wave;
    auto meta = live.find("metadata");
    if (meta != live.end() && meta->is_object()) {
      task.deleting = meta->contains("deletionTimestamp") && !(*meta)["deletionTimestamp"].is_null();
      auto finalizers = meta->find("finalizers");
      if (finalizers != meta->end() && finalizers->is_array()) {
        for (const auto& f : *finalizers) {
          if (f.is_string()) task.finalizers.push_back(f.get<std::string>());
        }
      }
    }
    tasks.push_back(std::move(task));
  }

  if (input.plan != nullptr) {
    for (const auto& step : input.plan->steps) {
      if (step.phase == Phase::sync) result.last_sync_wave = std::max(result.last_sync_wave, step.wave);
    }
  }
  for (const auto& t : tasks) {
    if (t.disabled) result.disabled_live_waves.push_back(t.live_wave);
  }
  assign_prune_waves(tasks, {}, result.last_sync_wave);

  result.targets.reserve(tasks.size());
  for (auto& t : tasks) {
    if (t.disabled) {
      result.skipped.push_back(SkippedPrune{t.api_version, t.key, SkipReason::prune_disabled, "not pruned: Prune=false"});
    } else {
      result.targets.push_back(std::move(static_cast<PruneTarget&>(t)));
    }
  }
  std::sort(result.targets.begin(), result.targets.end(), order_in_wave);
  std::sort(result.skipped.begin(), result.skipped.end(),
            [](const SkippedPrune& a, const SkippedPrune& b) { return a.key < b.key; });
  return result;
}

std::vector<std::string> describe_prunes(const PrunePlan& plan) {
  std::vector<std::string> lines;
  for (const auto& t : plan.targets) {
    std::string line = t.api_version + " " + t.key.kind + " " +
                       (t.key.namespace_name.empty() ? "" : t.key.namespace_name + "/") + t.key.name +
                       " (wave " + std::to_string(t.wave) + (t.prune_last ? ", PruneLast" : "") + ")";
    lines.push_back(std::move(line));
  }
  return lines;
}

}  // namespace wavesync::applyset
