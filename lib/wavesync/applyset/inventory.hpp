// Reads and writes the ApplySet parent and finds the live members of the set, through
// kube::Client. The decisions (what to prune, in which order) are in prune_plan.hpp; this file
// only talks to the API server. Blocking; no retries beyond kubectl's forced parent re-apply.
#pragma once

#include "wavesync/applyset/applyset.hpp"
#include "wavesync/applyset/prune_plan.hpp"
#include "wavesync/kube/client.hpp"

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace wavesync::applyset {

// The inventory the live parent records; nullopt when there is no parent yet. Fails when the
// parent cannot be read or belongs to someone else (see read_parent).
Result<std::optional<Inventory>> fetch_inventory(kube::Client& client, const ParentRef& parent);

// Server-side applies the parent with `inventory` (field manager `wavesync-applyset`). A
// field-manager conflict is retried with force, as kubectl does for its parents.
Result<void> write_inventory(kube::Client& client, const ParentRef& parent, const Inventory& inventory,
                             const std::string& tooling, kube::DryRun dry_run);

// The members a plan applies (every non-hook resource) keyed as the server names them: a kind
// discovery knows as cluster-scoped loses its namespace. Value: the apiVersion.
std::map<ResourceKey, std::string> plan_members(kube::Client& client, const Plan& plan);

// `key` with its namespace dropped when discovery says the kind is cluster-scoped.
ResourceKey server_key(kube::Client& client, const std::string& api_version, ResourceKey key);

// Live objects that may have to go: every object labelled `part-of=<id>` in the kinds and
// namespaces `inventory` names, and every recorded member that exists, labelled or not.
// Kinds the server no longer serves are skipped with a warning (their objects went with them).
// Objects in `keep` (the manifests' own, which are never pruned) are left out, so a re-apply of
// 10,000 objects does not hold 10,000 live copies. Items carry only what deciding a prune reads:
// apiVersion, kind, name, namespace, the part-of label, Argo CD / Helm / wavesync annotations,
// finalizers and deletionTimestamp.
Result<std::vector<LiveObject>> find_candidates(kube::Client& client, const Inventory& inventory,
                                                const std::string& id, std::vector<std::string>& warnings,
                                                const std::set<ResourceKey>& keep = {});

// One message per object the plan would apply over that carries another ApplySet's part-of
// label: wavesync never adopts such an object.
Result<std::vector<std::string>> foreign_members(kube::Client& client, const Plan& plan,
                                                 const std::string& id);

}  // namespace wavesync::applyset
