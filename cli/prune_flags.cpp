#include "prune_flags.hpp"

#include "common.hpp"
#include "confirm.hpp"
#include "version.hpp"

#include "wavesync/applyset/applyset.hpp"

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

void add_prune_flags(CLI::App* cmd, PruneFlags* flags) {
  cmd->add_flag("--prune", flags->prune,
                "Delete objects of the ApplySet whose manifests are gone, in reverse wave order");
  cmd->add_flag("--prune-last", flags->prune_last, "Prune after every Sync wave (PruneLast=true for all)");
  cmd->add_flag("--confirm-prune", flags->confirm_prune, "Prune objects marked Prune=confirm without asking");
  cmd->add_option("--prune-propagation", flags->propagation, "Deletion propagation for prunes")
      ->check(CLI::IsMember({"foreground", "background", "orphan"}))
      ->capture_default_str();
  add_applyset_flags(cmd, flags);
}

Result<applyset::SessionOptions> session_options(const PruneFlags& flags, const std::vector<std::string>& paths,
                                                 const std::string& sync_namespace, kube::DryRun dry_run) {
  applyset::SessionOptions options;
  options.pruning = flags.prune ? applyset::Pruning::on : applyset::Pruning::off;
  options.prune_last = flags.prune_last ? applyset::PruneLastMode::all : applyset::PruneLastMode::per_object;
  options.dry_run = dry_run;
  options.tooling = tooling();
  std::string spec = flags.applyset;
  if (spec.empty()) {
    DefaultName name = default_name(paths);
    if (!name.name) {
      options.no_parent_reason = name.why_none;
      return options;
    }
    spec = *name.name;
  }
  auto parent = applyset::parse_parent(spec, flags.applyset_namespace.empty() ? sync_namespace : flags.applyset_namespace);
  if (!parent) return parent.error();
  options.parent = *parent;
  return options;
}

kube::Propagation prune_propagation(const PruneFlags& flags) {
  return flags.propagation == "background" ? kube::Propagation::background
         : flags.propagation == "orphan"   ? kube::Propagation::orphan
                                           : kube::Propagation::foreground;
}

Result<void> confirm_prunes(const PruneFlags& flags, const std::vector<std::string>& paths,
                            const applyset::Session& session) {
  // A dry run deletes nothing, so it only lists them.
  if (!flags.prune || session.options().dry_run != kube::DryRun::none) return {};
  ConfirmRequest confirm{"Prune=confirm", "prune", "--confirm-prune", {}, flags.confirm_prune,
                         !paths.empty() && paths[0] == "-"};
  for (const auto& t : session.prunes().targets)
    if (t.needs_confirmation) confirm.objects.push_back(subject(t.api_version, t.key));
  return confirm_deletion(confirm);
}

Result<applyset::PrunePlan> preview_prunes(const PruneFlags& flags, const std::vector<std::string>& paths,
                                           const std::string& sync_namespace, Plan& plan, kube::Client& client) {
  auto options = session_options(flags, paths, sync_namespace, kube::DryRun::all);
  if (!options) return options.error();
  // Without a stable name there is no inventory, so nothing would be pruned.
  options->pruning = options->parent ? applyset::Pruning::on : applyset::Pruning::off;
  auto begun = applyset::begin(client, std::move(plan), std::move(*options));
  if (!begun) return begun.error();
  plan = std::move(begun->plan);
  for (const std::string& warning : begun->session.warnings()) print_warning(warning);
  return begun->session.prunes();
}

}  // namespace wavesync::cli
