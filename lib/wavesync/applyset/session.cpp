#include "wavesync/applyset/session.hpp"

#include "wavesync/applyset/inventory.hpp"

#include <map>
#include <utility>

namespace wavesync::applyset {

namespace {

std::string subject(const std::string& api_version, const ResourceKey& key) {
  return api_version + " " + key.kind + " " + (key.namespace_name.empty() ? "" : key.namespace_name + "/") + key.name;
}

Result<void> refuse_foreign(kube::Client& client, const Plan& plan, const std::string& id) {
  auto foreign = foreign_members(client, plan, id);
  if (!foreign) return foreign.error();
  if (foreign->empty()) return {};
  std::string message = "refusing to apply over objects of another ApplySet:";
  for (const auto& line : *foreign) message += "\n  " + line;
  return make_error(message, exit_code::k_sync_failed);
}

}  // namespace

Result<Begun> begin(kube::Client& client, Plan plan, SessionOptions options) {
  Begun begun;
  Session& session = begun.session;
  if (!options.parent) {
    if (options.pruning == Pruning::on) {
      return make_error("--prune needs an ApplySet name to know what was deployed before: " +
                        options.no_parent_reason + "; pass --applyset NAME");
    }
    if (auto refused = refuse_foreign(client, plan, ""); !refused) return refused.error();
    session.options_ = std::move(options);
    begun.plan = std::move(plan);
    return begun;
  }
  session.id_ = applyset_id(*options.parent);
  if (auto labelled = label_members(plan, session.id_); !labelled) return labelled.error();
  if (auto refused = refuse_foreign(client, plan, session.id_); !refused) return refused.error();

  auto previous = fetch_inventory(client, *options.parent);
  if (!previous) return previous.error();
  session.previous_ = std::move(*previous);
  session.applied_ = inventory_of(plan_members(client, plan));

  PruneInput input;
  input.plan = &plan;
  for (const auto& [key, api_version] : session.applied_.members) input.keep.insert(key);
  for (const auto& step : plan.steps) {
    for (const auto& planned : step.resources) {
      input.keep.insert(server_key(client, planned.resource.api_version(), planned.resource.key()));
    }
  }
  for (const Resource& unapplied : plan.unapplied) {
    input.unapplied.insert(server_key(client, unapplied.api_version(), unapplied.key()));
  }
  if (session.previous_) {
    auto found = find_candidates(client, *session.previous_, session.id_, session.warnings_, input.keep);
    if (!found) return found.error();
    input.live = std::move(*found);
  }
  input.applyset_id = session.id_;
  input.prune_last = options.prune_last;
  session.prunes_ = plan_prunes(input);
  for (const auto& w : session.prunes_.warnings) session.warnings_.push_back(w);
  for (const auto& skipped : session.prunes_.skipped) {
    // Hooks and Skip objects are left alone on purpose, every run: nothing to warn about.
    if (skipped.reason == SkipReason::hook) continue;
    session.warnings_.push_back(subject(skipped.api_version, skipped.key) + ": " + skipped.message);
  }
  session.options_ = std::move(options);
  begun.plan = std::move(plan);
  return begun;
}

std::vector<std::string> Session::end_warnings() const {
  if (!recording() || options_.pruning == Pruning::on || prunes_.targets.empty()) return {};
  std::string message = "these objects are no longer in the manifests; --prune would delete them:";
  for (const auto& line : describe_prunes(prunes_)) message += "\n  " + line;
  return {message};
}

Result<void> Session::write_superset(kube::Client& client) const {
  if (!recording() || options_.dry_run != kube::DryRun::none) return {};
  const ParentRef& parent = *options_.parent;
  auto ns = client.get(kube::ObjectRef{"v1", "Namespace", "", parent.namespace_name});
  if (!ns) return ns.error().wrap("applyset parent " + parent.str());
  if (!ns->has_value()) return {};
  const Inventory all = previous_ ? superset(*previous_, applied_) : applied_;
  return write_inventory(client, parent, all, options_.tooling, kube::DryRun::none);
}

Result<void> Session::commit(kube::Client& client) const {
  if (!recording() || options_.dry_run != kube::DryRun::none) return {};
  std::map<ResourceKey, std::string> members = applied_.members.to_map();
  for (const auto& skipped : prunes_.skipped) {
    if (skipped.reason == SkipReason::prune_disabled || skipped.reason == SkipReason::hook) {
      members[skipped.key] = skipped.api_version;
    }
  }
  if (options_.pruning == Pruning::off) {
    for (const auto& t : prunes_.targets) members[t.key] = t.api_version;
  }
  return write_inventory(client, *options_.parent, inventory_of(members), options_.tooling, kube::DryRun::none);
}

}  // namespace wavesync::applyset
