// The input flags every manifest-reading subcommand shares: `-k DIR` (a kustomization), the
// Helm flags for chart directories (--values, --set, --set-string, --release-name) and
// `--argocd-app FILE` with `--repo DIR`; reading the Application; and which of its sync
// settings wavesync honours (the rest are one warning line each).
#pragma once

#include "sync_flags.hpp"

#include "wavesync/model/result.hpp"
#include "wavesync/plan/plan.hpp"
#include "wavesync/render/application.hpp"
#include "wavesync/render/request.hpp"

#include <CLI/CLI.hpp>

#include <optional>
#include <string>
#include <vector>

namespace wavesync::cli {

struct PruneFlags;

struct InputFlags {
  std::vector<std::string> kustomize_dirs;  // -k, --kustomize
  std::vector<std::string> values;          // --values FILE
  std::vector<std::string> set;             // --set key=value
  std::vector<std::string> set_string;      // --set-string key=value
  std::string release_name;                 // --release-name
  std::string argocd_app;                   // --argocd-app FILE
  std::string repo;                         // --repo DIR
  // Filled after parsing by resolve_inputs.
  std::optional<render::Application> app;
};

void add_input_flags(CLI::App* cmd, InputFlags* flags);

// Checks the input flags and reads --argocd-app. `paths` are the positional arguments;
// `namespace_flag` (-n) is set to the Application's destination namespace when empty.
Result<void> resolve_inputs(InputFlags& flags, const std::vector<std::string>& paths, std::string& namespace_flag);

// --values/--set/--set-string/--release-name as helm template options.
Result<render::HelmOptions> helm_options(const InputFlags& flags);

// Warnings for what the Application asks and wavesync does not do (each `FILE: field: why`).
std::vector<std::string> application_warnings(const render::Application& app);

// What the Application decides for `wavesync apply` and `diff` unless the command line says
// otherwise: the ApplySet (inventory) name (the Application's name, or the -k directory's),
// --prune from automated.prune, PruneLast and PrunePropagationPolicy.
void apply_input_prune_settings(const InputFlags& flags, PruneFlags& prune);

// The Application's syncOptions Replace=true and Validate=false, which Argo CD applies to every
// object as if each carried it, put on each planned object.
void apply_app_sync_options(const render::Application& app, Plan& plan);

// The Application's CreateNamespace and ApplyOutOfSyncOnly options and managedNamespaceMetadata,
// put in front of the command line's own (which win): what `apply --sync-option` would do.
void apply_app_sync_settings(const render::Application& app, SyncFlags& sync);

}  // namespace wavesync::cli
