// `wavesync apply`'s ApplySet and prune flags, and the two calls that wrap a sync with them:
// prepare_prune (before: label members, refuse foreign objects, write the superset, plan the
// prunes) and finish_prune (after: write the exact set, report what was left alone).
#pragma once

#include "wavesync/applyset/applyset.hpp"
#include "wavesync/applyset/prune_plan.hpp"
#include "wavesync/engine/sync.hpp"
#include "wavesync/kube/client.hpp"

#include <CLI/CLI.hpp>

#include <optional>
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

struct PruneSession {
  applyset::ParentRef parent;
  std::string id;
  std::optional<applyset::Inventory> previous;  // the parent as found; nullopt: none yet
  applyset::Inventory applied;                  // what this sync applies
  applyset::PrunePlan prunes;
  // False when the manifests have no stable name (stdin, a temporary directory) and no
  // --applyset was given: no parent is read or written, nothing is pruned.
  bool recording = true;
};

// Before the sync. Fills `options.prunes` (only with --prune) and labels `plan`'s members.
Result<PruneSession> prepare_prune(const PruneFlags& flags, const std::vector<std::string>& paths,
                                   const std::string& sync_namespace, Plan& plan, kube::Client& client,
                                   engine::RunOptions& options);

// For `wavesync diff`: labels `plan`'s members as apply would and returns what `--prune` would
// delete. Writes nothing.
Result<applyset::PrunePlan> preview_prunes(const PruneFlags& flags, const std::vector<std::string>& paths,
                                           const std::string& sync_namespace, Plan& plan, kube::Client& client);

// After the sync: on success records the exact set; prints the prune warnings. Returns the
// exit code to end with (`sync_exit` unless recording the set failed).
int finish_prune(const PruneFlags& flags, PruneSession& session, kube::Client& client,
                 const engine::RunOptions& options, int sync_exit);

}  // namespace wavesync::cli
