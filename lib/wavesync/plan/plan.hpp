// The sync plan: resources ordered into (phase, wave) steps exactly as Argo CD's sync
// engine orders its tasks. Pure: values in, values out.
// Semantics: gitops-engine pkg/sync/sync_tasks.go (syncTasks.Less, syncTasks.Sort), pkg/sync/
// syncwaves/waves.go, pkg/sync/sync_context.go getSyncTasks (hook names, prune waves) and the
// scenarios of sync_tasks_test.go and sync_context_test.go.
#pragma once

#include "wavesync/hooks/hook.hpp"
#include "wavesync/model/boxed.hpp"
#include "wavesync/model/resource.hpp"
#include "wavesync/model/result.hpp"
#include "wavesync/plan/failure_policy.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace wavesync {

// `argocd.argoproj.io/sync-options`, e.g. `Prune=false,ServerSideApply=true`.
struct SyncOptions {
  std::map<std::string, std::string> values;
  // True when option `name` is set to `value` (case-sensitive as in Argo CD).
  [[nodiscard]] bool has(const std::string& name, const std::string& value) const;
};

// Parses the `argocd.argoproj.io/sync-options` annotation (comma list of `Name=value`).
// An item without `=` is kept with an empty value and reported in `warnings`.
SyncOptions parse_sync_options(const Resource& resource, std::vector<std::string>& warnings);

// Sync options Argo CD reads from the Application (`spec.syncPolicy.syncOptions`) rather than
// from objects, given as `--sync-option NAME=VALUE` so an Application's list can be copied.
// Unset fields leave the matching flag's value alone.
struct AppSyncOptions {
  std::optional<bool> create_namespace;        // CreateNamespace=true|false
  std::optional<bool> apply_out_of_sync_only;  // ApplyOutOfSyncOnly=true|false
  std::optional<std::string> prune_propagation;  // PrunePropagationPolicy=foreground|background|orphan
  std::optional<bool> prune_last;              // PruneLast=true|false
};

// Parses `NAME=VALUE` items. `ServerSideApply=true` is accepted and changes nothing (wavesync
// always applies server-side). Anything else is an error naming the item and what is supported.
Result<AppSyncOptions> parse_app_sync_options(const std::vector<std::string>& items);

// The object's sync wave: `argocd.argoproj.io/sync-wave`, else `helm.sh/hook-weight`, else 0.
// A value that is not a Go `Atoi` integer counts as missing, with a warning (Argo CD is silent).
Wave read_wave(const Resource& resource, std::vector<std::string>& warnings);

// Argo CD's kind rank (-35 for Namespace ... -1 for APIService), 0 for every other kind.
int kind_rank(const std::string& kind);

struct PlannedResource {
  Resource resource;
  Phase phase = Phase::sync;
  Wave wave = 0;
  Boxed<HookSpec> hook;  // nullopt for ordinary resources (most objects: one pointer, not 88 bytes)
  SyncOptions sync_options;
  FailurePolicy policy;  // wavesync.dev/timeout, pod-failure-grace, wait-for
  // The name a hook with only `generateName` gets in this sync (generated_hook_name); it sorts
  // by it, as in Argo CD. Empty for every other object.
  std::string generated_name;
};

// One (phase, wave) step; resources in apply order.
struct Step {
  Phase phase = Phase::sync;
  Wave wave = 0;
  std::vector<PlannedResource> resources;
};

struct Plan {
  std::vector<Step> steps;            // PreSync, Sync, PostSync, then SyncFail steps
  std::vector<std::string> warnings;  // each starts with `file:line: `
  std::string revision;               // names generateName hooks (PlanOptions::revision)
  // Objects in the manifests that are never applied: `hook: Skip` alone, or a hook annotation
  // with no usable type. Argo CD neither applies nor prunes them; they stay managed.
  std::vector<Resource> unapplied;
};

enum class Strictness { lenient, strict };

struct PlanOptions {
  Strictness strictness = Strictness::lenient;  // strict: warnings become errors
  // The namespace Argo CD fills into every object without one before it sorts, cluster-scoped
  // ones included; it only matters for Namespace bubbling. Empty: no fill-in.
  std::string destination_namespace;
  // Stands in for Argo CD's revision in generated hook names; empty: run_id() of the manifests.
  std::string revision;
  // The sync's start (Unix seconds), the last part of generated hook names.
  std::int64_t started_at_unix = 0;
};

// CreateNamespace=true (`--create-namespace`): the Namespace `name` to create before anything
// else, with managedNamespaceMetadata's `labels` and `annotations` (Argo CD's syncNamespace),
// or nullopt when the manifests define that Namespace themselves (or `name` is empty).
std::optional<nlohmann::json> managed_namespace(const Plan& plan, const std::string& name,
                                                const std::map<std::string, std::string>& labels,
                                                const std::map<std::string, std::string>& annotations);

// Orders `resources` into steps. Fails in strict mode (a warning became an error) and on a
// wavesync.dev/ policy annotation that does not parse (read_failure_policy).
Result<Plan> make_plan(std::vector<Resource> resources, const PlanOptions& options);

// Keeps only the Helm hooks that run under `mode` in each phase (a `pre-install,post-upgrade`
// hook stays a PreSync hook on install and becomes only a PostSync one on upgrade); Argo CD
// hooks and ordinary resources stay. Steps left empty are dropped. `argo` changes nothing.
Plan select_helm_hooks(Plan plan, HelmHooks mode);

// Whether any hook in `plan` came from a `helm.sh/hook` annotation.
bool has_helm_hooks(const Plan& plan);

}  // namespace wavesync
