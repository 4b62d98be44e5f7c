// `wavesync apply`'s and `wavesync diff`'s ApplySet and prune flags, and what they map to: the
// options of the ApplySet session (applyset/session.hpp), the prune propagation, and the
// question before deleting Prune=confirm objects.
#pragma once

#include "wavesync/applyset/prune_plan.hpp"
#include "wavesync/applyset/session.hpp"
#include "wavesync/plan/plan.hpp"
#include "wavesync/kube/client.hpp"

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

namespace wavesync::cli {

struct PruneFlags {
  bool prune = false;
  bool prune_last = false;
  bool confirm_prune = false;  // --confirm-prune: Prune=confirm objects go without asking
  std::string propagation = "foreground";
  std::string applyset;            // empty: derived from the first path
  std::string applyset_namespace;  // empty: the sync's namespace
};

// Adds --prune, --prune-last, --prune-propagation, --applyset and --applyset-namespace.
void add_prune_flags(CLI::App* cmd, PruneFlags* flags);
// Adds only --applyset and --applyset-namespace (for `wavesync diff`).
void add_applyset_flags(CLI::App* cmd, PruneFlags* flags);

// The ApplySet session the flags ask for: the parent --applyset names (in --applyset-namespace,
// else `sync_namespace`), else the one named after the manifests' directory (`paths`), else none.
Result<applyset::SessionOptions> session_options(const PruneFlags& flags, const std::vector<std::string>& paths,
                                                 const std::string& sync_namespace, kube::DryRun dry_run);

// --prune-propagation.
kube::Propagation prune_propagation(const PruneFlags& flags);

// With --prune and outside a dry run: asks before deleting the Prune=confirm objects of the
// session's prunes (unless --confirm-prune); an error (exit 5) when no one may answer yes.
Result<void> confirm_prunes(const PruneFlags& flags, const std::vector<std::string>& paths,
                            const applyset::Session& session);

// For `wavesync diff`: labels `plan`'s members as apply would and returns what `--prune` would
// delete. Writes nothing; prints the session's warnings.
Result<applyset::PrunePlan> preview_prunes(const PruneFlags& flags, const std::vector<std::string>& paths,
                                           const std::string& sync_namespace, Plan& plan, kube::Client& client);

}  // namespace wavesync::cli
