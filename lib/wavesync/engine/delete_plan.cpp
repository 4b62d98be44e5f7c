#include "wavesync/engine/delete_plan.hpp"

#include "wavesync/hooks/hook_annotations.hpp"

#include <algorithm>

namespace wavesync::engine {

std::vector<DeleteStep> plan_deletion(const Plan& plan, CrdDeletion crds) {
  std::vector<DeleteStep> out;
  for (auto step = plan.steps.rbegin(); step != plan.steps.rend(); ++step) {
    if (step->phase == Phase::sync_fail) continue;
    DeleteStep d{step->phase, step->wave, {}, {}};
    for (auto r = step->resources.rbegin(); r != step->resources.rend(); ++r) {
      // A hook with only generateName has a new name every sync: there is no name to delete.
      if (r->resource.name().empty()) continue;
      const Resource& res = r->resource;
      const ObjectRef id{res.api_version(), res.kind(), res.namespace_name(), res.name()};
      const DeleteVerdict verdict = delete_verdict(*r, crds);
      if (verdict.decision == DeleteDecision::keep) {
        d.kept.push_back({id, res.source, verdict.reason});
      } else {
        d.targets.push_back({id, res.source, verdict.decision == DeleteDecision::confirm});
      }
    }
    if (!d.targets.empty() || !d.kept.empty()) out.push_back(std::move(d));
  }
  return out;
}

ObjectRef planned_id(const DeleteHook& hook) {
  const Resource& r = hook.resource;
  return ObjectRef{r.api_version(), r.kind(), r.namespace_name(), r.name().empty() ? r.generate_name() : r.name()};
}

std::vector<DeleteHook> delete_hooks_of(const Plan& plan, Phase phase) {
  std::vector<const Resource*> found;
  auto consider = [&](const Resource& r) {
    const DeleteHookTypes types = read_delete_hook(r);
    if (!(phase == Phase::pre_delete ? types.pre_delete : phase == Phase::post_delete && types.post_delete)) return;
    // A hook of several sync phases sits in the plan once per phase.
    const auto same = [&](const Resource* f) { return f->key() == r.key() && f->generate_name() == r.generate_name(); };
    if (std::find_if(found.begin(), found.end(), same) == found.end()) found.push_back(&r);
  };
  for (const Step& step : plan.steps)
    for (const PlannedResource& p : step.resources) consider(p.resource);
  for (const Resource& r : plan.unapplied) consider(r);
  std::stable_sort(found.begin(), found.end(), [](const Resource* a, const Resource* b) {
    return a->source < b->source;
  });
  std::vector<DeleteHook> out;
  for (const Resource* r : found) {
    HookReading reading = read_hook(*r);
    std::vector<DeletePolicy> policies;
    if (reading.hook) policies = reading.hook->delete_policies;
    if (policies.empty()) policies.push_back(DeletePolicy::before_hook_creation);
    out.push_back(DeleteHook{*r, std::move(policies)});
  }
  return out;
}

DeletePlan plan_delete(const Plan& plan, CrdDeletion crds) {
  return DeletePlan{delete_hooks_of(plan, Phase::pre_delete), plan_deletion(plan, crds),
                    delete_hooks_of(plan, Phase::post_delete)};
}

}  // namespace wavesync::engine
