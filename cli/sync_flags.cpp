#include "sync_flags.hpp"

#include <map>

namespace wavesync::cli {

namespace {

Result<std::map<std::string, std::string>> key_values(const std::string& flag, const std::vector<std::string>& items) {
  std::map<std::string, std::string> out;
  for (const std::string& item : items) {
    const auto eq = item.find('=');
    if (eq == std::string::npos || eq == 0) {
      return make_error(flag + " " + item + ": expected KEY=VALUE");
    }
    out[item.substr(0, eq)] = item.substr(eq + 1);
  }
  return out;
}

}  // namespace

void add_sync_flags(CLI::App* cmd, SyncFlags* flags) {
  cmd->add_flag("--create-namespace", flags->create_namespace,
                "Create the sync's namespace first when it is missing (CreateNamespace=true)");
  cmd->add_option("--namespace-label", flags->namespace_labels,
                  "KEY=VALUE label for the namespace --create-namespace manages (repeatable)");
  cmd->add_option("--namespace-annotation", flags->namespace_annotations,
                  "KEY=VALUE annotation for the namespace --create-namespace manages (repeatable)");
  cmd->add_flag("--apply-out-of-sync-only", flags->apply_out_of_sync_only,
                "Write only objects a server-side dry run shows changed (ApplyOutOfSyncOnly=true)");
  cmd->add_option("--sync-option", flags->sync_options,
                  "An Argo CD Application sync option, e.g. CreateNamespace=true (repeatable)");
}

Result<void> apply_sync_flags(SyncFlags flags, PruneFlags& prune, const Plan& plan, const std::string& sync_namespace,
                              engine::RunOptions& options) {
  auto parsed = parse_app_sync_options(flags.sync_options);
  if (!parsed) return parsed.error();
  if (parsed->create_namespace) flags.create_namespace = *parsed->create_namespace;
  if (parsed->apply_out_of_sync_only) flags.apply_out_of_sync_only = *parsed->apply_out_of_sync_only;
  if (parsed->prune_last) prune.prune_last = *parsed->prune_last;
  if (parsed->prune_propagation) prune.propagation = *parsed->prune_propagation;
  auto labels = key_values("--namespace-label", flags.namespace_labels);
  if (!labels) return labels.error();
  auto annotations = key_values("--namespace-annotation", flags.namespace_annotations);
  if (!annotations) return annotations.error();
  if (!flags.create_namespace && (!labels->empty() || !annotations->empty())) {
    return make_error("--namespace-label and --namespace-annotation need --create-namespace");
  }
  if (flags.create_namespace) {
    options.managed_namespace = managed_namespace(plan, sync_namespace, *labels, *annotations);
  }
  options.apply_out_of_sync_only = flags.apply_out_of_sync_only;
  return {};
}

}  // namespace wavesync::cli
