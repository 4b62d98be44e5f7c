// The sync plan: resources ordered into (phase, wave) steps exactly as Argo CD's sync
// engine orders its tasks. Pure: values in, values out.
// Semantics: ../shared/research/argocd-semantics.md sections 1, 2.1-2.2 and 7.
#pragma once

#include "wavesync/hooks/hook.hpp"
#include "wavesync/model/resource.hpp"
#include "wavesync/model/result.hpp"
#include "wavesync/plan/failure_policy.hpp"

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

// The object's sync wave: `argocd.argoproj.io/sync-wave`, else `helm.sh/hook-weight`, else 0.
// A value that is not a Go `Atoi` integer counts as missing, with a warning (Argo CD is silent).
int read_wave(const Resource& resource, std::vector<std::string>& warnings);

// Argo CD's kind rank (-35 for Namespace ... -1 for APIService), 0 for every other kind.
int kind_rank(const std::string& kind);

struct PlannedResource {
  Resource resource;
  Phase phase = Phase::sync;
  int wave = 0;
  std::optional<HookSpec> hook;  // nullopt for ordinary resources
  SyncOptions sync_options;
  FailurePolicy policy;  // wavesync.dev/timeout, pod-failure-grace, wait-for
};

// One (phase, wave) step; resources in apply order.
struct Step {
  Phase phase = Phase::sync;
  int wave = 0;
  std::vector<PlannedResource> resources;
};

struct Plan {
  std::vector<Step> steps;            // PreSync, Sync, PostSync, then SyncFail steps
  std::vector<std::string> warnings;  // each starts with `file:line: `
};

enum class Strictness { lenient, strict };

struct PlanOptions {
  Strictness strictness = Strictness::lenient;  // strict: warnings become errors
  // The namespace Argo CD fills into every object without one before it sorts, cluster-scoped
  // ones included; it only matters for Namespace bubbling. Empty: no fill-in.
  std::string destination_namespace;
};

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
