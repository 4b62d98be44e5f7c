#include "prune_flags.hpp"

#include "common.hpp"
#include "version.hpp"

#include "wavesync/applyset/inventory.hpp"

#include <filesystem>

namespace wavesync::cli {

namespace {

std::string tooling() { return std::string(applyset::k_tooling_name) + "/v" + WAVESYNC_VERSION; }

// The manifests directory's name: the first path if it is a directory, else its parent's.
Result<std::string> default_name(const std::vector<std::string>& paths) {
  if (paths.empty() || paths[0] == "-") {
    return make_error("--applyset: manifests read from stdin need an ApplySet name (--applyset NAME)");
  }
  std::error_code ec;
  std::filesystem::path path = std::filesystem::weakly_canonical(std::filesystem::absolute(paths[0], ec), ec);
  if (!std::filesystem::is_directory(path, ec)) path = path.parent_path();
  return applyset::default_parent_name(path.filename().string());
}

std::string subject(const std::string& api_version, const ResourceKey& key) {
  return api_version + " " + key.kind + " " + (key.namespace_name.empty() ? "" : key.namespace_name + "/") + key.name;
}

}  // namespace

void add_applyset_flags(CLI::App* cmd, PruneFlags* flags) {
  cmd->add_option("--applyset", flags->applyset,
                  "ApplySet parent: NAME, secrets/NAME or configmaps/NAME (default: the manifests directory name)");
  cmd->add_option("--applyset-namespace", flags->applyset_namespace,
                  "Namespace of the ApplySet parent (default: the sync's namespace)");
}

Result<applyset::PrunePlan> preview_prunes(const PruneFlags& flags, const std::vector<std::string>& paths,
                                           const std::string& sync_namespace, Plan& plan, kube::Client& client) {
  engine::RunOptions options;
  options.dry_run = kube::DryRun::all;  // prepare_prune writes nothing in a dry run
  PruneFlags preview = flags;
  preview.prune = true;
  auto session = prepare_prune(preview, paths, sync_namespace, plan, client, options);
  if (!session) return session.error();
  return std::move(session->prunes);
}

void add_prune_flags(CLI::App* cmd, PruneFlags* flags) {
  cmd->add_flag("--prune", flags->prune,
                "Delete objects of the ApplySet whose manifests are gone, in reverse wave order");
  cmd->add_flag("--prune-last", flags->prune_last, "Prune after every Sync wave (PruneLast=true for all)");
  cmd->add_option("--prune-propagation", flags->propagation, "Deletion propagation for prunes")
      ->check(CLI::IsMember({"foreground", "background", "orphan"}))
      ->capture_default_str();
  cmd->add_option("--applyset", flags->applyset,
                  "ApplySet parent: NAME, secrets/NAME or configmaps/NAME (default: the manifests directory name)");
  cmd->add_option("--applyset-namespace", flags->applyset_namespace,
                  "Namespace of the ApplySet parent (default: the sync's namespace)");
}

Result<PruneSession> prepare_prune(const PruneFlags& flags, const std::vector<std::string>& paths,
                                   const std::string& sync_namespace, Plan& plan, kube::Client& client,
                                   engine::RunOptions& options) {
  PruneSession session;
  std::string spec = flags.applyset;
  if (spec.empty()) {
    auto name = default_name(paths);
    if (!name) return name.error();
    spec = *name;
  }
  auto parent = applyset::parse_parent(
      spec, flags.applyset_namespace.empty() ? sync_namespace : flags.applyset_namespace);
  if (!parent) return parent.error();
  session.parent = *parent;
  session.id = applyset::applyset_id(session.parent);
  if (auto labelled = applyset::label_members(plan, session.id); !labelled) return labelled.error();

  auto foreign = applyset::foreign_members(client, plan, session.id);
  if (!foreign) return foreign.error();
  if (!foreign->empty()) {
    std::string message = "refusing to apply over objects of another ApplySet:";
    for (const auto& line : *foreign) message += "\n  " + line;
    return make_error(message, exit_code::k_sync_failed);
  }

  auto previous = applyset::fetch_inventory(client, session.parent);
  if (!previous) return previous.error();
  session.previous = *previous;
  session.applied = applyset::inventory_of(applyset::plan_members(client, plan));

  if (options.dry_run == kube::DryRun::none) {
    auto ns = client.get(kube::ObjectRef{"v1", "Namespace", "", session.parent.namespace_name});
    if (!ns) return ns.error().wrap("applyset parent " + session.parent.str());
    if (ns->has_value()) {
      // KEP-3659: record the superset before applying, so an interrupted sync never loses track.
      const applyset::Inventory superset =
          session.previous ? applyset::superset(*session.previous, session.applied) : session.applied;
      if (auto written = applyset::write_inventory(client, session.parent, superset, tooling(), kube::DryRun::none);
          !written) {
        return written.error();
      }
      session.parent_written = true;
    }
  }

  applyset::PruneInput input;
  input.plan = &plan;
  for (const auto& [key, api_version] : session.applied.members) input.keep.insert(key);
  for (const auto& step : plan.steps) {
    for (const auto& planned : step.resources) {
      input.keep.insert(applyset::server_key(client, planned.resource.api_version(), planned.resource.key()));
    }
  }
  if (session.previous) {
    std::vector<std::string> warnings;
    auto found = applyset::find_candidates(client, *session.previous, session.id, warnings, input.keep);
    if (!found) return found.error();
    for (const auto& w : warnings) print_warning(w);
    input.live = std::move(*found);
  }
  input.applyset_id = session.id;
  input.prune_last = flags.prune_last ? applyset::PruneLastMode::all : applyset::PruneLastMode::per_object;
  session.prunes = applyset::plan_prunes(input);
  for (const auto& w : session.prunes.warnings) print_warning(w);
  for (const auto& skipped : session.prunes.skipped) {
    print_warning(subject(skipped.api_version, skipped.key) + ": " + skipped.message);
  }
  if (flags.prune) {
    options.prunes = session.prunes.targets;
    options.prune_propagation = flags.propagation == "background" ? kube::Propagation::background
                                : flags.propagation == "orphan"   ? kube::Propagation::orphan
                                                                  : kube::Propagation::foreground;
  }
  return session;
}

int finish_prune(const PruneFlags& flags, PruneSession& session, kube::Client& client,
                 const engine::RunOptions& options, int sync_exit) {
  if (!flags.prune && !session.prunes.targets.empty()) {
    print_warning("these objects are no longer in the manifests; --prune would delete them:");
    for (const auto& line : applyset::describe_prunes(session.prunes)) print_warning("  " + line);
  }
  if (sync_exit != 0 || options.dry_run != kube::DryRun::none) return sync_exit;
  // The exact set: what was applied, plus members that are still there on purpose
  // (Prune=false, or not pruned because --prune was not given).
  applyset::Inventory exact = session.applied;
  std::map<ResourceKey, std::string> kept;
  for (const auto& skipped : session.prunes.skipped) {
    if (skipped.reason == applyset::SkipReason::prune_disabled) kept[skipped.key] = skipped.api_version;
  }
  if (!flags.prune) {
    for (const auto& t : session.prunes.targets) kept[t.key] = t.api_version;
  }
  for (const auto& [key, api_version] : kept) exact.members[key] = api_version;
  exact = applyset::inventory_of(exact.members);
  if (auto written = applyset::write_inventory(client, session.parent, exact, tooling(), kube::DryRun::none);
      !written) {
    print_error(written.error());
    return exit_code::k_sync_failed;
  }
  return sync_exit;
}

}  // namespace wavesync::cli
