#include "inputs.hpp"

#include "prune_flags.hpp"

#include "wavesync/applyset/applyset.hpp"
#include "wavesync/manifest/loader.hpp"

#include <filesystem>
#include <sstream>

namespace wavesync::cli {

namespace {

namespace fs = std::filesystem;

Result<std::pair<std::string, std::string>> key_value(const std::string& flag, const std::string& text) {
  const std::size_t eq = text.find('=');
  if (eq == std::string::npos || eq == 0) return make_error(flag + " \"" + text + "\": expected key=value");
  return std::make_pair(text.substr(0, eq), text.substr(eq + 1));
}

Result<render::Application> read_app_file(const InputFlags& flags) {
  manifest::LoadOptions load;
  std::istringstream no_stdin;
  auto loaded = manifest::load_manifests({flags.argocd_app}, load, no_stdin);
  if (!loaded) return loaded.error().wrap("--argocd-app");
  if (loaded->resources.size() != 1)
    return make_error("--argocd-app " + flags.argocd_app + ": expected one Argo CD Application, found " +
                      std::to_string(loaded->resources.size()) + " objects");
  std::string repo = flags.repo;
  if (repo.empty()) {
    std::error_code ec;
    repo = render::find_git_root(fs::absolute(flags.argocd_app, ec).parent_path().string());
  } else {
    std::error_code ec;
    if (!fs::is_directory(repo, ec)) return make_error("--repo " + repo + ": not a directory");
  }
  return render::read_application(loaded->resources.front(), repo);
}

}  // namespace

void add_input_flags(CLI::App* cmd, InputFlags* flags) {
  // One value per occurrence (as kubectl's -k and helm's --set), so `-k DIR PATH` leaves PATH a path.
  cmd->add_option("-k,--kustomize", flags->kustomize_dirs, "Render this kustomization directory (repeatable)")
      ->allow_extra_args(false);
  cmd->add_option("--values", flags->values, "Helm values file for chart directories (repeatable)")
      ->allow_extra_args(false);
  cmd->add_option("--set", flags->set, "Helm value key=value for chart directories (repeatable)")
      ->allow_extra_args(false);
  cmd->add_option("--set-string", flags->set_string, "Helm string value key=value for chart directories (repeatable)")
      ->allow_extra_args(false);
  cmd->add_option("--release-name", flags->release_name, "Helm release name (default: the chart directory's name)");
  cmd->add_option("--argocd-app", flags->argocd_app, "Render and sync this Argo CD Application from a local checkout");
  cmd->add_option("--repo", flags->repo,
                  "The checkout the Application's source paths are in (default: the git top level of its file)");
}

Result<render::HelmOptions> helm_options(const InputFlags& flags) {
  render::HelmOptions helm;
  helm.release_name = flags.release_name;
  helm.value_files = flags.values;
  for (const std::string& s : flags.set) {
    auto kv = key_value("--set", s);
    if (!kv) return kv.error();
    helm.set.push_back(*kv);
  }
  for (const std::string& s : flags.set_string) {
    auto kv = key_value("--set-string", s);
    if (!kv) return kv.error();
    helm.set_string.push_back(*kv);
  }
  return helm;
}

Result<void> resolve_inputs(InputFlags& flags, const std::vector<std::string>& paths, std::string& namespace_flag) {
  if (flags.argocd_app.empty()) {
    if (paths.empty() && flags.kustomize_dirs.empty())
      return make_error("nothing to read: give manifest PATHS, -k DIR or --argocd-app FILE");
    if (!flags.repo.empty()) return make_error("--repo: only used with --argocd-app");
    auto helm = helm_options(flags);
    if (!helm) return helm.error();
    return {};
  }
  if (!paths.empty() || !flags.kustomize_dirs.empty())
    return make_error("--argocd-app: the Application names its sources: give no PATHS or -k with it");
  if (!flags.values.empty() || !flags.set.empty() || !flags.set_string.empty() || !flags.release_name.empty())
    return make_error("--argocd-app: --values, --set, --set-string and --release-name are for chart directories; "
                      "the Application's spec.source.helm sets them");
  auto app = read_app_file(flags);
  if (!app) return app.error();
  if (auto policy = app->sync_option("PrunePropagationPolicy");
      policy && *policy != "foreground" && *policy != "background" && *policy != "orphan")
    return make_error(app->file + ": spec.syncPolicy.syncOptions PrunePropagationPolicy=" + *policy +
                      ": expected foreground, background or orphan");
  if (namespace_flag.empty()) namespace_flag = app->destination_namespace;
  flags.app = std::move(*app);
  return {};
}

std::vector<std::string> application_warnings(const render::Application& app) {
  std::vector<std::string> out;
  auto note = [&](const std::string& text) { out.push_back(app.file + ": " + text); };
  for (const std::string& n : app.notes) note(n);
  for (const auto& [name, value] : app.sync_options) {
    const std::string field = "spec.syncPolicy.syncOptions " + name + "=" + value;
    // Honoured: the prune settings (apply_input_prune_settings) and server-side apply, which
    // wavesync always uses. Options whose value is Argo CD's default change nothing.
    if (name == "PruneLast" || name == "PrunePropagationPolicy") continue;
    if (name == "ServerSideApply") {
      if (value != "true") note(field + ": not honoured: wavesync always applies server-side");
      continue;
    }
    const bool default_value = (name == "Validate" && value == "true") ||
                               (name != "Validate" && value == "false");
    if (default_value) continue;
    if (name == "Replace" || name == "Validate") continue;  // every object's (apply_app_sync_options)
    if (name == "CreateNamespace" || name == "ApplyOutOfSyncOnly") continue;  // apply_app_sync_settings
    if (name == "RespectIgnoreDifferences")
      note(field + ": not yet honoured");
    else note(field + ": not honoured (unknown to wavesync)");
  }
  if (app.retry && app.retry->limit < 0)
    note("spec.syncPolicy.retry.limit " + std::to_string(app.retry->limit) +
         ": Argo CD retries without end; wavesync does not retry (give --retry N)");
  else if (app.retry && app.retry->limit > 100)
    note("spec.syncPolicy.retry.limit " + std::to_string(app.retry->limit) + ": wavesync retries at most 100 times");
  // jsonPointers are left out of `wavesync diff`; the rest of ignoreDifferences is not applied.
  for (std::size_t i = 0; i < app.ignore_differences.size(); ++i) {
    const nlohmann::json& entry = app.ignore_differences[i];
    for (const char* key : {"jqPathExpressions", "managedFieldsManagers"})
      if (entry.is_object() && entry.contains(key))
        note("spec.ignoreDifferences[" + std::to_string(i) + "]." + key + ": not yet honoured: diff compares those fields");
  }
  return out;
}

void apply_app_sync_settings(const render::Application& app, SyncFlags& sync) {
  std::vector<std::string> items;
  for (const auto& [name, value] : app.sync_options)
    if (name == "CreateNamespace" || name == "ApplyOutOfSyncOnly") items.push_back(name + "=" + value);
  // The command line's --sync-option items come after the Application's, so they win.
  sync.sync_options.insert(sync.sync_options.begin(), items.begin(), items.end());
  if (app.sync_option("CreateNamespace") != "true" && !sync.create_namespace) return;
  // managedNamespaceMetadata only means something for the namespace CreateNamespace manages.
  for (const auto& [k, v] : app.namespace_labels) sync.namespace_labels.insert(sync.namespace_labels.begin(), k + "=" + v);
  for (const auto& [k, v] : app.namespace_annotations)
    sync.namespace_annotations.insert(sync.namespace_annotations.begin(), k + "=" + v);
}

void apply_app_sync_options(const render::Application& app, Plan& plan) {
  // sync_context.go applyObject: `sc.replace || <object's Replace=true>` and
  // `sc.validate && !<object's Validate=false>`: the Application's option holds for every
  // object, and an object cannot turn it off.
  const bool replace = app.sync_option("Replace") == "true";
  const bool no_validation = app.sync_option("Validate") == "false";
  if (!replace && !no_validation) return;
  for (Step& step : plan.steps) {
    for (PlannedResource& r : step.resources) {
      if (replace) r.sync_options.values["Replace"] = "true";
      if (no_validation) r.sync_options.values["Validate"] = "false";
    }
  }
}

void apply_input_prune_settings(const InputFlags& flags, PruneFlags& prune) {
  if (flags.app) {
    const render::Application& app = *flags.app;
    if (prune.applyset.empty()) prune.applyset = applyset::default_parent_name(app.name);
    if (app.automated_prune) prune.prune = true;
    if (app.sync_option("PruneLast") == "true") prune.prune_last = true;
    if (auto policy = app.sync_option("PrunePropagationPolicy"); policy && prune.propagation == "foreground")
      prune.propagation = *policy;
    return;
  }
  if (prune.applyset.empty() && !flags.kustomize_dirs.empty()) {
    std::error_code ec;
    fs::path dir = fs::weakly_canonical(fs::absolute(flags.kustomize_dirs.front(), ec), ec);
    prune.applyset = applyset::default_parent_name(dir.filename().string());
  }
}

}  // namespace wavesync::cli
