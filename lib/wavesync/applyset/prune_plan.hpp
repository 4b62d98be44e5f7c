// Which live objects a sync prunes, which it leaves alone and why, and in which wave each
// prune runs: Argo CD's order (gitops-engine sync_context.go getSyncTasks) — prunes take the
// mirrored wave of the live object, PruneLast ones run after every Sync wave, Prune=false
// skips, hooks and Skip objects are never pruned. The waves are recomputed from what is still
// live after every step (assign_prune_waves). Pure: the live objects are handed in; finding
// them is inventory.hpp.
#pragma once

#include "wavesync/model/json_text.hpp"
#include "wavesync/model/resource.hpp"
#include "wavesync/plan/plan.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace wavesync::applyset {

enum class PruneLastMode { per_object, all };  // all: --prune-last

// One object to delete, in the Sync phase at `wave`.
struct PruneTarget {
  std::string api_version;
  ResourceKey key;         // namespace empty for cluster-scoped objects
  Wave live_wave = 0;      // the live object's sync wave
  Wave wave = 0;           // the wave the prune runs in (mirrored, or the PruneLast wave)
  bool prune_last = false;
  std::vector<std::string> finalizers;  // the live object's, for messages
  bool deleting = false;  // already has a deletionTimestamp: wait, do not delete again
  bool needs_confirmation = false;  // Prune=confirm on the live object
};

enum class SkipReason {
  prune_disabled,  // Prune=false on the live object
  hook,            // a hook or `hook: Skip` (live or in the manifests): never pruned, stays managed
  other_applyset,  // carries another ApplySet's part-of label
  not_labelled,    // recorded as a member, but the live object has no part-of label
};

struct SkippedPrune {
  std::string api_version;
  ResourceKey key;
  SkipReason reason = SkipReason::prune_disabled;
  std::string message;  // `not pruned: ...`
};

struct PrunePlan {
  std::vector<PruneTarget> targets;  // by wave, then reverse kind rank, then name
  std::vector<SkippedPrune> skipped;
  std::vector<std::string> warnings;  // unreadable sync-wave/sync-options on live objects
  // Live waves of the Prune=false objects: they are not deleted but take part in the mirror.
  std::vector<Wave> disabled_live_waves;
  Wave last_sync_wave = 0;  // the plan's last Sync-phase wave (0 when none is higher)

  // The distinct waves that have prunes, ascending.
  [[nodiscard]] std::vector<Wave> waves() const;
  [[nodiscard]] std::vector<PruneTarget> in_wave(Wave wave) const;
};

// A candidate live object, kept as compact JSON text: a prune of 50,000 objects holds every
// candidate at once, and a tree of even its trimmed metadata is about 1.2 KB. plan_prunes reads
// one tree at a time.
class LiveObject {
 public:
  LiveObject(const nlohmann::json& object) : text_(dump_compact(object)) {}  // NOLINT(google-explicit-constructor)
  [[nodiscard]] nlohmann::json object() const { return nlohmann::json::parse(text_); }

 private:
  std::string text_;
};

struct PruneInput {
  const Plan* plan = nullptr;      // the sync's plan: its Sync-phase waves place PruneLast
  std::set<ResourceKey> keep;      // every object the plan applies
  std::vector<LiveObject> live;    // candidate live objects: members found by label or by record
  std::string applyset_id;
  PruneLastMode prune_last = PruneLastMode::per_object;
  std::set<ResourceKey> unapplied;  // manifest objects never applied (Skip): kept, not pruned
};

// The key a live object is matched by (namespace empty for cluster-scoped objects).
ResourceKey live_key(const nlohmann::json& object);

// Decides the prunes. Objects in `keep` and objects without a name are ignored.
PrunePlan plan_prunes(const PruneInput& input);

// Sets each target's `wave` as Argo CD does on every Sync() call: the distinct live waves of
// the prunes still live (`targets` plus `disabled_live_waves`) are mirrored, w_i takes
// w_(n-1-i); then PruneLast ones run at one past the last Sync wave (the plan's, or a prune's
// after the mirror, whichever is higher). Pass only the targets not yet gone. `Prune` is
// PruneTarget or anything else with its live_wave, wave and prune_last (the engine keeps a
// lighter record of each prune still to run).
template <typename Prune>
void assign_prune_waves(std::vector<Prune>& targets, const std::vector<Wave>& disabled_live_waves,
                        Wave last_sync_wave) {
  // Symmetric swap over the distinct prune waves: w0 < ... < wn-1, wi takes w(n-1-i).
  std::vector<Wave> waves = disabled_live_waves;
  for (const auto& t : targets) waves.push_back(t.live_wave);
  std::sort(waves.begin(), waves.end());
  waves.erase(std::unique(waves.begin(), waves.end()), waves.end());
  std::map<Wave, Wave> mirrored;
  for (std::size_t i = 0; i < waves.size(); ++i) mirrored[waves[i]] = waves[waves.size() - 1 - i];
  for (auto& t : targets) t.wave = mirrored[t.live_wave];

  // PruneLast: one past the last Sync-phase wave, prunes (after the swap, Prune=false ones
  // included) counted, never below 1.
  Wave last_wave = std::max<Wave>(last_sync_wave, 0);
  for (Wave w : disabled_live_waves) last_wave = std::max(last_wave, mirrored[w]);
  for (const auto& t : targets) last_wave = std::max(last_wave, t.wave);
  for (auto& t : targets) {
    if (t.prune_last) t.wave = last_wave + 1;
  }
}

// `- v1 ConfigMap shop/old (wave 3)` lines for the end-of-sync warning and for `diff`.
std::vector<std::string> describe_prunes(const PrunePlan& plan);

}  // namespace wavesync::applyset
