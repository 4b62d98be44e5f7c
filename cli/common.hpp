// Helpers shared by the subcommands that read manifests (plan, apply, diff, status,
// delete): the common manifest flags, loading plus planning, and message printing.
#pragma once

#include "inputs.hpp"

#include "wavesync/model/result.hpp"
#include "wavesync/plan/plan.hpp"

#include <CLI/CLI.hpp>

#include <optional>
#include <string>
#include <vector>

namespace wavesync::cli {

struct ManifestFlags {
  std::vector<std::string> paths;
  std::string namespace_name;  // --namespace; empty when not given
  std::vector<std::string> excludes;
  bool strict = false;
  bool follow_symlinks = false;
  bool namespace_strict = false;
  InputFlags inputs;  // -k, --values, --set, --set-string, --release-name, --argocd-app, --repo
  // Set after parsing when the input flags are wrong or the Application cannot be read;
  // load_plan returns it.
  std::optional<Error> input_error;
};

// Adds PATHS..., -n/--namespace, --exclude, --strict, --follow-symlinks, --namespace-strict
// and the input flags to `cmd`. `flags` must outlive the parse. After parsing, reads
// --argocd-app and takes its destination namespace unless -n was given.
void add_manifest_flags(CLI::App* cmd, ManifestFlags* flags);

// The namespace for objects that name none: --namespace, else the kubeconfig context's
// namespace (empty when unknown or offline), else `default`.
std::string resolve_namespace(const std::string& flag, const std::string& context_namespace);

// Loads the manifests (`-` reads stdin; kustomizations and charts rendered, or the
// Application's sources) and orders them. Loader warnings, then what the Application asks and
// wavesync does not do, come first in the plan's warnings; with --strict any warning is an error.
Result<Plan> load_plan(const ManifestFlags& flags, const std::string& default_namespace);

// `wavesync: error: <message>` and `wavesync: warning: <message>` on stderr.
void print_error(const Error& error);
void print_warning(const std::string& message);

}  // namespace wavesync::cli
