// `wavesync diff PATHS...`: a server-side dry-run apply of each object compared with the live
// object, printed as a unified diff in plan order, without server-managed fields and with every
// Secret value redacted. Exit codes as `kubectl diff`: 0 no differences, 1 differences, 2 usage
// or manifest error (also an object the server rejects), 4 cluster access.
#include "cluster_flags.hpp"
#include "commands.hpp"
#include "common.hpp"
#include "prune_flags.hpp"

#include "wavesync/engine/diff.hpp"
#include "wavesync/output/object_diff.hpp"
#include "wavesync/render/ignore_differences.hpp"

#include <fmt/core.h>

#include <memory>

namespace wavesync::cli {

namespace {

struct DiffArgs {
  ManifestFlags manifests;
  ClusterFlags cluster;
  PruneFlags applyset;  // --applyset, --applyset-namespace: which inventory the prunes come from
};

std::string label_of(const ObjectRef& id) {
  return id.api_version + "/" + id.kind + "/" + (id.namespace_name.empty() ? "" : id.namespace_name + "/") + id.name;
}

int run_diff(const DiffArgs& args) {
  auto connected = connect_and_plan(args.cluster, args.manifests);
  if (!connected) {
    print_error(connected.error());
    return connected.error().exit_code;
  }
  kube::Client& client = *connected->connection.client;
  PruneFlags applyset_flags = args.applyset;
  apply_input_prune_settings(args.manifests.inputs, applyset_flags);
  // Labels the plan's members as apply does (else every object would differ by its part-of
  // label) and finds what `apply --prune` would delete.
  auto prunes = preview_prunes(applyset_flags, args.manifests.paths, connected->default_namespace, connected->plan, client);
  if (!prunes) {
    print_error(prunes.error());
    return prunes.error().exit_code;
  }
  auto comparison = engine::compare_with_live(connected->plan, client);
  if (!comparison) {
    print_error(comparison.error());
    return comparison.error().exit_code;
  }
  for (const Error& error : comparison->errors) print_error(error);
  bool differs = false;
  for (engine::ObjectComparison& c : comparison->objects) {
    if (const auto& app = args.manifests.inputs.app) {
      if (c.live) c.live = render::without_ignored_fields(*c.live, app->ignore_differences);
      c.desired = render::without_ignored_fields(c.desired, app->ignore_differences);
    }
    const std::string diff = output::object_diff(std::move(c.live), std::move(c.desired), label_of(c.id));
    if (diff.empty()) continue;
    differs = true;
    if (!c.note.empty()) fmt::print("# {}: {}\n", c.id.str(), c.note);
    fmt::print("{}", diff);
  }
  for (const std::string& line : applyset::describe_prunes(*prunes)) {
    differs = true;
    fmt::print("# prune: {}\n", line);
  }
  if (!comparison->errors.empty()) return exit_code::k_usage;
  return differs ? exit_code::k_sync_failed : exit_code::k_ok;
}

}  // namespace

void setup_diff(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<DiffArgs>();
  CLI::App* cmd = app.add_subcommand("diff", "Show what apply would change: live objects against a server-side dry run");
  add_manifest_flags(cmd, &args->manifests);
  add_cluster_flags(cmd, &args->cluster);
  add_applyset_flags(cmd, &args->applyset);
  cmd->footer("Exit codes: 0 no differences, 1 differences, 2 or more an error.\n"
              "Example:\n  wavesync diff ./manifests | less");
  cmd->callback([args, exit_code] { *exit_code = run_diff(*args); });
}

}  // namespace wavesync::cli
