// What the whole-plan dry run (validation.hpp) learns about the live objects, kept for the writes
// that follow: the sync options a live object carries that its manifest does not. Argo CD's
// applyObject honours Replace=true and Force=true set on the live object as if the manifest said
// so; the dry-run answers (the live object with the manifest applied over it) carry them without
// another read.
#pragma once

#include "wavesync/engine/validation.hpp"

#include <map>

namespace wavesync::engine {

struct DryRunAnswers {
  // Objects whose live `argocd.argoproj.io/sync-options` differ from their manifest's: read
  // from the dry-run answer, or (after a 422, which carries no answer) from the live object.
  std::map<const PlannedResource*, SyncOptions> live_sync_options;
};

// validate_plan, also filling `answers`. A 422 for an object the live options make Force=true
// (recreated by the real write, as Argo CD does) is not a failure.
ValidationReport validate_plan(const Plan& plan, kube::Client& client, const ValidationOptions& options,
                               DryRunAnswers& answers);

}  // namespace wavesync::engine
