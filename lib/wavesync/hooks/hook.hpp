// Hook phases and delete policies, read from Argo CD and Helm annotations. Pure: no I/O.
// Semantics: gitops-engine pkg/sync/hook (hook.go, delete_policy.go), pkg/sync/hook/helm and
// the hook handling of pkg/sync/sync_context.go.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wavesync {

// Sync phases in the order they run. SyncFail runs only when the sync failed. PreDelete and
// PostDelete are never in a sync's plan: `wavesync delete` runs them before and after it deletes
// (Argo CD's PreDelete and PostDelete hook types).
enum class Phase { pre_sync, sync, post_sync, sync_fail, pre_delete, post_delete };

// `PreSync`, `Sync`, `PostSync`, `SyncFail`, `PreDelete`, `PostDelete`.
std::string_view phase_name(Phase phase);

enum class DeletePolicy { before_hook_creation, hook_succeeded, hook_failed };

// `BeforeHookCreation`, `HookSucceeded`, `HookFailed`.
std::string_view delete_policy_name(DeletePolicy policy);

// Helm's hook types that a sync runs. Argo CD maps pre-install and pre-upgrade to PreSync and
// post-install and post-upgrade to PostSync alike (gitops-engine pkg/sync/hook/helm/type.go).
enum class HelmHook { pre_install, pre_upgrade, post_install, post_upgrade };

// `pre-install`, `pre-upgrade`, `post-install`, `post-upgrade`.
std::string_view helm_hook_name(HelmHook type);
// PreSync for pre-*, PostSync for post-*.
Phase helm_hook_phase(HelmHook type);

// Which Helm hooks a sync runs (`--helm-hooks`): `argo` runs install and upgrade hooks alike, as
// Argo CD does; `install` only the *-install ones (the first deploy), `upgrade` only the
// *-upgrade ones (every later deploy), as `helm upgrade --install` does.
enum class HelmHooks { argo, install, upgrade };
// Whether a hook of this type runs under `mode`.
bool helm_hook_runs(HelmHook type, HelmHooks mode);

// What a hook annotation asks for. `phases` is empty when the object is only `Skip`ped.
struct HookSpec {
  std::vector<Phase> phases;
  std::vector<DeletePolicy> delete_policies;  // never empty: defaults to BeforeHookCreation
  bool skip = false;                          // `argocd.argoproj.io/hook: Skip`
  // The Helm types `phases` came from; empty when an Argo CD hook type decided them.
  std::vector<HelmHook> helm;

  [[nodiscard]] bool has_policy(DeletePolicy p) const;
};

}  // namespace wavesync
