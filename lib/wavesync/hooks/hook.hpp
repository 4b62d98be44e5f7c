// Hook phases and delete policies, read from Argo CD and Helm annotations. Pure: no I/O.
// Semantics: ../shared/research/argocd-semantics.md sections 1.5 and 2.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wavesync {

// Sync phases in the order they run. SyncFail runs only when the sync failed.
enum class Phase { pre_sync, sync, post_sync, sync_fail };

// `PreSync`, `Sync`, `PostSync`, `SyncFail`.
std::string_view phase_name(Phase phase);

enum class DeletePolicy { before_hook_creation, hook_succeeded, hook_failed };

// `BeforeHookCreation`, `HookSucceeded`, `HookFailed`.
std::string_view delete_policy_name(DeletePolicy policy);

// What a hook annotation asks for. `phases` is empty when the object is only `Skip`ped.
struct HookSpec {
  std::vector<Phase> phases;
  std::vector<DeletePolicy> delete_policies;  // never empty: defaults to BeforeHookCreation
  bool skip = false;                          // `argocd.argoproj.io/hook: Skip`

  [[nodiscard]] bool has_policy(DeletePolicy p) const;
};

}  // namespace wavesync
