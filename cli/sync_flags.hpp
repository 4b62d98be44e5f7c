// `wavesync apply`'s flags for Argo CD's Application-level sync options: --create-namespace
// (with managed namespace labels and annotations), --apply-out-of-sync-only, and
// --sync-option NAME=VALUE to take an Application's `syncOptions` list as it is.
#pragma once

#include "prune_flags.hpp"

#include "wavesync/engine/sync.hpp"
#include "wavesync/model/result.hpp"
#include "wavesync/plan/plan.hpp"

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

namespace wavesync::cli {

struct SyncFlags {
  bool create_namespace = false;
  bool apply_out_of_sync_only = false;
  std::vector<std::string> namespace_labels;       // KEY=VALUE
  std::vector<std::string> namespace_annotations;  // KEY=VALUE
  std::vector<std::string> sync_options;           // NAME=VALUE
};

void add_sync_flags(CLI::App* cmd, SyncFlags* flags);

// Folds --sync-option items into `flags` and `prune`, then sets `options` for a sync of `plan`
// into `sync_namespace`. A usage error (exit 2) for a malformed item.
Result<void> apply_sync_flags(SyncFlags flags, PruneFlags& prune, const Plan& plan, const std::string& sync_namespace,
                              engine::RunOptions& options);

}  // namespace wavesync::cli
