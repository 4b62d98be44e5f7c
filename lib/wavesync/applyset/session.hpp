// One sync's ApplySet (KEP-3659), start to end. begin labels the plan's members, refuses
// objects of another ApplySet, reads the parent and plans the prunes; write_superset records
// what the parent holds while the sync runs; commit records the exact set after it. Talks to the
// API server through kube::Client and never prints: warnings come back as data. Not the prunes
// themselves (the engine deletes the targets) and not asking the user (the CLI does).
#pragma once

#include "wavesync/applyset/applyset.hpp"
#include "wavesync/applyset/prune_plan.hpp"
#include "wavesync/kube/client.hpp"
#include "wavesync/model/result.hpp"
#include "wavesync/plan/plan.hpp"

#include <optional>
#include <string>
#include <vector>

namespace wavesync::applyset {

enum class Pruning { off, on };  // on: --prune

struct SessionOptions {
  // The parent: --applyset's, or the one named after the manifests' directory. nullopt when the
  // manifests have no stable name (stdin, a temporary directory): no parent is read or written
  // (it would be litter no later run finds), nothing is pruned, and objects of any ApplySet are
  // still refused.
  std::optional<ParentRef> parent;
  std::string no_parent_reason;  // why `parent` is nullopt: `manifests read from stdin`
  Pruning pruning = Pruning::off;
  PruneLastMode prune_last = PruneLastMode::per_object;
  kube::DryRun dry_run = kube::DryRun::none;  // a dry run writes no parent
  std::string tooling;                        // `wavesync/v1.2.3`, recorded on the parent
};

struct Begun;
class Session;
Result<Begun> begin(kube::Client& client, Plan plan, SessionOptions options);

class Session {
 public:
  Session() = default;

  [[nodiscard]] const SessionOptions& options() const { return options_; }
  // False without a parent (see SessionOptions::parent).
  [[nodiscard]] bool recording() const { return options_.parent.has_value(); }
  // The inventory the parent held before this sync; nullopt when there was no parent yet (the
  // first deploy) or nothing is recorded.
  [[nodiscard]] const std::optional<Inventory>& previous() const { return previous_; }
  // What this sync applies.
  [[nodiscard]] const Inventory& applied() const { return applied_; }
  // The members no longer in the manifests and what becomes of them. Planned without --prune
  // too: its targets are what --prune would delete. The engine deletes them only with --prune.
  [[nodiscard]] const PrunePlan& prunes() const { return prunes_; }
  // With --prune, hands the targets to the engine that deletes them (commit and end_warnings
  // read them only without it): 50,000 targets are then held once, not twice. Empty without.
  [[nodiscard]] std::vector<PruneTarget> take_prune_targets() {
    if (options_.pruning != Pruning::on) return {};
    return std::move(prunes_.targets);
  }
  // One line each, for before the sync: kinds no longer served, unreadable sync-wave or
  // sync-options on live members, members that are not pruned and why.
  [[nodiscard]] const std::vector<std::string>& warnings() const { return warnings_; }
  // For after the sync: without --prune, the objects it would have deleted (one message, a
  // line per object); empty otherwise.
  [[nodiscard]] std::vector<std::string> end_warnings() const;

  // Records previous ∪ applied on the parent, so that an interrupted sync never loses track of
  // an object (KEP-3659). To be called once the dry run of the whole plan passed, before the
  // first write (engine::RunOptions::before_first_write). Writes nothing in a dry run, without a
  // parent, or while the parent's namespace does not exist yet (this sync creates it, and
  // commit writes the parent after). Fails when the parent cannot be written.
  [[nodiscard]] Result<void> write_superset(kube::Client& client) const;

  // Records the exact set: what was applied, plus the members still there on purpose
  // (Prune=false, hooks, and without --prune the objects it would have deleted). To be called
  // after a sync that succeeded; writes nothing in a dry run or without a parent.
  [[nodiscard]] Result<void> commit(kube::Client& client) const;

 private:
  friend Result<Begun> begin(kube::Client& client, Plan plan, SessionOptions options);
  SessionOptions options_;
  std::string id_;
  std::optional<Inventory> previous_;
  Inventory applied_;
  PrunePlan prunes_;
  std::vector<std::string> warnings_;
};

// What begin returns: the plan with its members labelled `part-of` this ApplySet, and the session.
struct Begun {
  Plan plan;
  Session session;
};

// Starts the ApplySet side of a sync over `plan`. Fails (exit 1) when an object of the plan is
// live with another ApplySet's part-of label, listing each; when --prune is asked without a
// parent (exit 2, naming `no_parent_reason`); when a manifest sets the part-of label itself;
// and when the parent cannot be read or belongs to someone else.
[[nodiscard]] Result<Begun> begin(kube::Client& client, Plan plan, SessionOptions options);

}  // namespace wavesync::applyset
