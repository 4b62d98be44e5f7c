// What `wavesync delete` will do, decided from the plan alone: the objects in reverse plan order,
// one step at a time, with what is kept (`Delete=false`, `helm.sh/resource-policy: keep`, CRDs
// unless asked, manifest-side; plan/object_policy.hpp delete_verdict), and the PreDelete and
// PostDelete hooks to run around it (Argo CD's controller/hook.go). Pure: engine/delete_run.hpp
// carries it out, output/ formats it for --dry-run.
#pragma once

#include "wavesync/engine/events.hpp"
#include "wavesync/plan/object_policy.hpp"
#include "wavesync/plan/plan.hpp"

#include <string>
#include <vector>

namespace wavesync::engine {

struct DeleteTarget {
  ObjectRef id;
  SourceLocation source;
  bool needs_confirmation = false;  // Delete=confirm
};

struct KeptObject {
  ObjectRef id;
  SourceLocation source;
  std::string reason;  // `Delete=false`, `helm.sh/resource-policy: keep`, `a CRD, ...`
};

struct DeleteStep {
  Phase phase = Phase::sync;
  Wave wave = 0;
  std::vector<DeleteTarget> targets;  // in deletion order
  std::vector<KeptObject> kept;
};

// Steps last-to-first, objects last-to-first within a step; SyncFail steps are skipped (they
// hold only hooks). Steps with nothing to delete and nothing kept are dropped. A hook named only
// by generateName has no name to delete and is left out.
std::vector<DeleteStep> plan_deletion(const Plan& plan, CrdDeletion crds = CrdDeletion::keep);

struct DeleteHook {
  Resource resource;                   // the manifest, created as it is
  std::vector<DeletePolicy> policies;  // never empty: BeforeHookCreation by default
};

// The plan's hooks of `phase` (Phase::pre_delete or Phase::post_delete; hooks/ read_delete_hook,
// Helm's pre-delete and post-delete included), in manifest order: those that also run in a
// sync phase (`PreSync,PreDelete`) and those that never do (Plan::unapplied).
std::vector<DeleteHook> delete_hooks_of(const Plan& plan, Phase phase);

// `batch/v1 Job shop/backup`, or `... shop/backup-` for a generateName hook.
ObjectRef planned_id(const DeleteHook& hook);

struct DeletePlan {
  std::vector<DeleteHook> pre_delete;
  std::vector<DeleteStep> steps;
  std::vector<DeleteHook> post_delete;
};

// plan_deletion and both hook lists.
DeletePlan plan_delete(const Plan& plan, CrdDeletion crds);

}  // namespace wavesync::engine
