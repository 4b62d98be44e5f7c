// Argo CD's hook finalizer (`argocd.argoproj.io/hook-finalizer`): Argo CD puts it on every hook
// it creates and takes it off before it re-runs or deletes a hook (gitops-engine
// sync_context.go removeHookFinalizer). Hooks Argo CD left behind still carry it; a delete of
// such a hook waits for it forever. This file only says what to send; engine/ sends it. Pure.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string_view>

namespace wavesync {

inline constexpr std::string_view k_hook_finalizer = "argocd.argoproj.io/hook-finalizer";

// The RFC 6902 JSON patch that takes the hook finalizer off `live`: a `test` that the entry is
// still where `live` has it, then its `remove`, so a list changed meanwhile is refused (and read
// again) rather than losing another finalizer. nullopt when `live` does not carry it.
std::optional<nlohmann::json> hook_finalizer_removal(const nlohmann::json& live);

}  // namespace wavesync
