#include "wavesync/hooks/hook.hpp"

#include <algorithm>

namespace wavesync {

std::string_view phase_name(Phase phase) {
  switch (phase) {
    case Phase::pre_sync: return "PreSync";
    case Phase::sync: return "Sync";
    case Phase::post_sync: return "PostSync";
    case Phase::sync_fail: return "SyncFail";
  }
  return "Sync";
}

std::string_view delete_policy_name(DeletePolicy policy) {
  switch (policy) {
    case DeletePolicy::before_hook_creation: return "BeforeHookCreation";
    case DeletePolicy::hook_succeeded: return "HookSucceeded";
    case DeletePolicy::hook_failed: return "HookFailed";
  }
  return "BeforeHookCreation";
}

bool HookSpec::has_policy(DeletePolicy p) const {
  return std::find(delete_policies.begin(), delete_policies.end(), p) != delete_policies.end();
}

}  // namespace wavesync
