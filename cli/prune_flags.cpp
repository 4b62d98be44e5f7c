#include "prune_flags.hpp"

#include "common.hpp"
#include "confirm.hpp"
#include "version.hpp"

#include "wavesync/applyset/inventory.hpp"

#include <filesystem>
#include <optional>

namespace wavesync::cli {

namespace {

std::string tooling() { return std::string(applyset::k_tooling_name) + "/v" + WAVESYNC_VERSION; }

bool under(const std::filesystem::path& path, const std::filesystem::path& dir) {
  if (dir.empty()) return false;
  auto rel = path.lexically_relative(dir);
  return !rel.empty() && *rel.begin() != "..";
}

// A directory whose name says nothing stable: mktemp's and pytest's (under $TMPDIR, /tmp, /var/tmp).
bool temporary(const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::path tmp = std::filesystem::temp_directory_path(ec);
  if (!ec) tmp = std::filesystem::weakly_canonical(tmp, ec);
  for (const std::filesystem::path& t : {tmp, std::filesystem::path("/tmp"), std::filesystem::path("/var/tmp"),
                                         std::filesystem::path("/dev/shm")})
    if (under(dir, t)) return true;
  return false;
}

// The default ApplySet name, or why there is none. Inside a git work tree: the repository
// directory's name and the path below it (`shop-deploy-manifests`), the same on every checkout
// and different between projects whose manifests both live in `manifests/`; else the directory's
// name.
struct DefaultName {
  std::optional<std::string> name;
  std::string why_none;  // `manifests read from stdin`, `/tmp/x is a temporary directory`
};

DefaultName default_name(const std::vector<std::string>& paths) {
  if (paths.empty() || paths[0] == "-") return {std::nullopt, "manifests read from stdin"};
  std::error_code ec;
  std::filesystem::path path = std::filesystem::weakly_canonical(std::filesystem::absolute(paths[0], ec), ec);
  if (!std::filesystem::is_directory(path, ec)) path = path.parent_path();
  if (temporary(path)) return {std::nullopt, path.string() + " is a temporary directory"};
  for (std::filesystem::path root = path; root.has_relative_path(); root = root.parent_path()) {
    if (std::filesystem::exists(root / ".git", ec)) {
      const std::filesystem::path below = path.lexically_relative(root);
      const std::string text = below == "." ? root.filename().string() : (root.filename() / below).string();
      return {applyset::default_parent_name(text), ""};
    }
  }
  return {applyset::default_parent_name(path.filename().string()), ""};
}

std::string subject(const std::string& api_version, const ResourceKey& key) {
  return api_version + " " + key.kind + " " + (key.namespace_name.empty() ? "" : key.namespace_name + "/") + key.name;
}

}  // namespace

void add_applyset_flags(CLI::App* cmd, PruneFlags* flags) {
  cmd->add_option("--applyset", flags->applyset,
                  "ApplySet parent: NAME, secrets/NAME or configmaps/NAME (default: the git repository's name and the "
                  "manifests' path in it, else the directory's name; none for stdin or a temporary directory)");
  cmd->add_option("--applyset-namespace", flags->applyset_namespace,
                  "Namespace of the ApplySet parent (default: the sync's namespace)");
}

Result<applyset::PrunePlan> preview_prunes(const PruneFlags& flags, const std::vector<std::string>& paths,
                                           const std::string& sync_namespace, Plan& plan, kube::Client& client) {
  engine::RunOptions options;
  options.dry_run = kube::DryRun::all;  // prepare_prune writes nothing in a dry run
  PruneFlags preview = flags;
  // Without a stable name there is no inventory, so nothing would be pruned.
  preview.prune = !flags.applyset.empty() || default_name(paths).name.has_value();
  auto session = prepare_prune(preview, paths, sync_namespace, plan, client, options);
  if (!session) return session.error();
  return std::move(session->prunes);
}

void add_prune_flags(CLI::App* cmd, PruneFlags* flags) {
  cmd->add_flag("--prune", flags->prune,
                "Delete objects of the ApplySet whose manifests are gone, in reverse wave order");
  cmd->add_flag("--prune-last", flags->prune_last, "Prune after every Sync wave (PruneLast=true for all)");
  cmd->add_flag("--confirm-prune", flags->confirm_prune, "Prune objects marked Prune=confirm without asking");
  cmd->add_option("--prune-propagation", flags->propagation, "Deletion propagation for prunes")
      ->check(CLI::IsMember({"foreground", "background", "orphan"}))
      ->capture_default_str();
  cmd->add_option("--applyset", flags->applyset,
                  "ApplySet parent: NAME, secrets/NAME or configmaps/NAME (default: the git repository's name and the "
                  "manifests' path in it, else the directory's name; none for stdin or a temporary directory)");
  cmd->add_option("--applyset-namespace", flags->applyset_namespace,
                  "Namespace of the ApplySet parent (default: the sync's namespace)");
}

Result<PruneSession> prepare_prune(const PruneFlags& flags, const std::vector<std::string>& paths,
                                   const std::string& sync_namespace, Plan& plan, kube::Client& client,
                                   engine::RunOptions& options) {
  PruneSession session;
  std::string spec = flags.applyset;
  if (spec.empty()) {
    DefaultName name = default_name(paths);
    if (!name.name) {
      // No stable name: no parent is written (it would be litter no later run finds), so there
      // is nothing to prune from, and objects of any ApplySet are still refused.
      if (flags.prune) {
        return make_error("--prune needs an ApplySet name to know what was deployed before: " + name.why_none +
                          "; pass --applyset NAME");
      }
      session.recording = false;
      auto foreign = applyset::foreign_members(client, plan, "");
      if (!foreign) return foreign.error();
      if (!foreign->empty()) {
        std::string message = "refusing to apply over objects of another ApplySet:";
        for (const auto& line : *foreign) message += "\n  " + line;
        return make_error(message, exit_code::k_sync_failed);
      }
      return session;
    }
    spec = *name.name;
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
    // KEP-3659: record the superset before applying, so an interrupted sync never loses track;
    // but only once the dry run of the whole plan passed, so a refused sync writes nothing.
    const applyset::Inventory superset =
        session.previous ? applyset::superset(*session.previous, session.applied) : session.applied;
    options.before_first_write = [&client, parent = session.parent, superset]() -> Result<void> {
      auto ns = client.get(kube::ObjectRef{"v1", "Namespace", "", parent.namespace_name});
      if (!ns) return ns.error().wrap("applyset parent " + parent.str());
      if (!ns->has_value()) return {};  // created by this sync; the exact set is written after it
      return applyset::write_inventory(client, parent, superset, tooling(), kube::DryRun::none);
    };
  }

  applyset::PruneInput input;
  input.plan = &plan;
  for (const auto& [key, api_version] : session.applied.members) input.keep.insert(key);
  for (const auto& step : plan.steps) {
    for (const auto& planned : step.resources) {
      input.keep.insert(applyset::server_key(client, planned.resource.api_version(), planned.resource.key()));
    }
  }
  for (const Resource& unapplied : plan.unapplied) {
    input.unapplied.insert(applyset::server_key(client, unapplied.api_version(), unapplied.key()));
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
    // Hooks and Skip objects are left alone on purpose, every run: nothing to warn about.
    if (skipped.reason == applyset::SkipReason::hook) continue;
    print_warning(subject(skipped.api_version, skipped.key) + ": " + skipped.message);
  }
  // Hooks are deleted with this policy too, with or without --prune (as Argo CD).
  options.prune_propagation = flags.propagation == "background" ? kube::Propagation::background
                              : flags.propagation == "orphan"   ? kube::Propagation::orphan
                                                                : kube::Propagation::foreground;
  if (flags.prune) {
    ConfirmRequest confirm{"Prune=confirm", "prune", "--confirm-prune", {}, flags.confirm_prune,
                           !paths.empty() && paths[0] == "-"};
    for (const auto& t : session.prunes.targets)
      if (t.needs_confirmation) confirm.objects.push_back(subject(t.api_version, t.key));
    // A dry run deletes nothing, so it only lists them.
    if (options.dry_run == kube::DryRun::none) {
      if (auto confirmed = confirm_deletion(confirm); !confirmed) return confirmed.error();
    }
    options.prunes = session.prunes.targets;
    options.prune_disabled_waves = session.prunes.disabled_live_waves;
    options.prune_last_sync_wave = session.prunes.last_sync_wave;
  }
  return session;
}

int finish_prune(const PruneFlags& flags, PruneSession& session, kube::Client& client,
                 const engine::RunOptions& options, int sync_exit) {
  if (!session.recording) return sync_exit;
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
    if (skipped.reason == applyset::SkipReason::prune_disabled || skipped.reason == applyset::SkipReason::hook) {
      kept[skipped.key] = skipped.api_version;
    }
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
