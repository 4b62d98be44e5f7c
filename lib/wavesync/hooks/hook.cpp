#include "wavesync/hooks/hook.hpp"

#include <algorithm>

namespace wavesync {

std::string_view phase_name(Phase phase) {
  switch (phase) {
    case Phase::pre_sync: return "PreSync";
    case Phase::sync: return "Sync";
    case Phase::post_sync: return "PostSync";
    case Phase::sync_fail: return "SyncFail";
    case Phase::pre_delete: return "PreDelete";
    case Phase::post_delete: return "PostDelete";
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

std::string_view helm_hook_name(HelmHook type) {
  switch (type) {
    case HelmHook::pre_install: return "pre-install";
    case HelmHook::pre_upgrade: return "pre-upgrade";
    case HelmHook::post_install: return "post-install";
    case HelmHook::post_upgrade: return "post-upgrade";
  }
  return "pre-install";
}

Phase helm_hook_phase(HelmHook type) {
  return type == HelmHook::pre_install || type == HelmHook::pre_upgrade ? Phase::pre_sync : Phase::post_sync;
}

bool helm_hook_runs(HelmHook type, HelmHooks mode) {
  switch (mode) {
    case HelmHooks::argo: return true;
    case HelmHooks::install: return type == HelmHook::pre_install || type == HelmHook::post_install;
    case HelmHooks::upgrade: return type == HelmHook::pre_upgrade || type == HelmHook::post_upgrade;
  }
  return true;
}

bool HookSpec::has_policy(DeletePolicy p) const {
  return std::find(delete_policies.begin(), delete_policies.end(), p) != delete_policies.end();
}

}  // namespace wavesync
