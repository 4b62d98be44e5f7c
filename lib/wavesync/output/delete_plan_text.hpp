// `wavesync delete --dry-run`'s listing of a DeletePlan (engine/delete_plan.hpp): the PreDelete
// hooks that would be created, the objects that would be deleted step by step and those kept,
// then the PostDelete hooks. Pure formatting.
#pragma once

#include "wavesync/engine/delete_plan.hpp"

#include <string>
#include <vector>

namespace wavesync::output {

// `Sync wave 1` headers with `  would delete v1 ConfigMap shop/a (manifests/a.yaml:1)` and
// `  keep ... (reason)` lines, then `3 objects would be deleted (dry run)`.
std::string format_deletion_plan(const std::vector<engine::DeleteStep>& steps);

// `PreDelete hooks` with `  would create batch/v1 Job shop/backup (app.yaml:1)` lines; empty
// when there are none. `phase` is Phase::pre_delete or Phase::post_delete.
std::string format_delete_hooks(const std::vector<engine::DeleteHook>& hooks, Phase phase);

// The whole listing: PreDelete hooks, the steps, PostDelete hooks.
std::string format_delete_plan(const engine::DeletePlan& plan);

}  // namespace wavesync::output
