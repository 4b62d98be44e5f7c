// `wavesync delete`'s deletion hooks, run as Argo CD runs them when an Application is deleted
// (controller/hook.go executeHooks and cleanupHooks, appcontroller.go
// finalizeApplicationDeletion): PreDelete hooks are created before anything is deleted and must
// all end Healthy (a Degraded one is deleted, so the next attempt creates it afresh, and the
// delete fails); PostDelete hooks run the same way once everything is gone, then go when their
// delete policy says so. Helm's pre-delete and post-delete hooks count too. delete_hooks_of and
// format_delete_hooks are pure; the rest talks to the cluster.
#pragma once

#include "wavesync/engine/clock.hpp"
#include "wavesync/engine/events.hpp"
#include "wavesync/kube/client.hpp"
#include "wavesync/plan/plan.hpp"

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace wavesync::output {

enum class DeleteHookType { pre_delete, post_delete };
// `PreDelete`, `PostDelete`.
std::string_view delete_hook_type_name(DeleteHookType type);

struct DeleteHook {
  Resource resource;                   // the manifest, created as it is
  std::vector<DeletePolicy> policies;  // never empty: BeforeHookCreation by default
};

// The plan's hooks of `type` (hooks/ read_delete_hook), in manifest order: those that also run
// in a sync phase (`PreSync,PreDelete`) and those that never do (Plan::unapplied).
std::vector<DeleteHook> delete_hooks_of(const Plan& plan, DeleteHookType type);

// `PreDelete hooks: would create batch/v1 Job shop/backup (app.yaml:1)` lines for --dry-run.
std::string format_delete_hooks(const std::vector<DeleteHook>& hooks, DeleteHookType type);

struct DeleteHooksRun {
  // 0; 1 a hook failed or was refused; 3 timed out; 4 the cluster could not be reached.
  int exit_code = 0;
  std::vector<engine::ObjectId> hooks;  // as they exist on the server (generated names filled in)
  bool all_healthy = true;              // every hook ended Healthy (or has no health rule)
  std::vector<std::string> problems;    // one line each
};

// Creates every hook (all together, no waves; one that already exists is not created again but
// is waited for) and waits until none is Progressing or `deadline` passes. Degraded hooks are
// deleted and fail the run, naming every one of them. A kind with no health rule is Healthy.
DeleteHooksRun run_delete_hooks(const std::vector<DeleteHook>& hooks, DeleteHookType type, kube::Client& client,
                                engine::Clock& clock, engine::TimePoint deadline,
                                const std::function<void(const std::string&)>& log);

// Deletes `hooks` with `propagation` and waits until they are gone; exit 3 naming what is still
// there at `deadline`. Hooks already gone are fine.
DeleteHooksRun remove_delete_hooks(const std::vector<engine::ObjectId>& hooks, kube::Propagation propagation,
                                   kube::Client& client, engine::Clock& clock, engine::TimePoint deadline,
                                   const std::function<void(const std::string&)>& log);

// After run_delete_hooks succeeded: deletes the hooks whose policy is HookSucceeded when all of
// them ended Healthy (Argo CD judges the hooks of a type together; a hook with no policy is
// BeforeHookCreation and stays until it is next created) and waits until they are gone.
DeleteHooksRun clean_up_delete_hooks(const std::vector<DeleteHook>& hooks, const DeleteHooksRun& ran,
                                     kube::Client& client, engine::Clock& clock, engine::TimePoint deadline,
                                     const std::function<void(const std::string&)>& log);

}  // namespace wavesync::output
