#include "wavesync/engine/diff.hpp"

namespace wavesync::engine {

Result<Comparison> compare_with_live(const Plan& plan, kube::Client& client) {
  Comparison out;
  kube::ApplyOptions dry_run;
  dry_run.dry_run = kube::DryRun::all;
  dry_run.force_conflicts = kube::ForceConflicts::yes;
  for (const Step& step : plan.steps) {
    for (const PlannedResource& planned : step.resources) {
      // Hooks are created afresh by each sync (delete policies), so their live copy says nothing.
      if (planned.hook) continue;
      ObjectComparison c;
      c.id = object_ref_of(planned.resource);
      auto live = client.get(c.id);
      if (!live) {
        if (live.error().exit_code == exit_code::k_cluster) return live.error();
        if (live.error().http_status != 404) {
          out.errors.push_back(live.error());
          continue;
        }
      } else {
        c.live = std::move(*live);
      }
      auto applied = client.apply({planned.resource.object()}, dry_run);
      if (!applied.empty() && applied[0]) {
        c.desired = std::move(applied[0]->object);
      } else {
        const Error error = applied.empty() ? make_error("no answer") : applied[0].error();
        if (error.exit_code == exit_code::k_cluster) return error;
        if (error.http_status != 404) {
          out.errors.push_back(error);
          continue;
        }
        c.desired = planned.resource.object();
        c.note = "compared with the manifest, not a server dry run: " + error.message;
      }
      out.objects.push_back(std::move(c));
    }
  }
  return out;
}

}  // namespace wavesync::engine
