// `wavesync diff PATHS...`: a server-side dry-run apply of each object compared with the live
// object, printed as a unified diff in plan order, without server-managed fields and with every
// Secret value redacted. Exit codes as `kubectl diff`: 0 no differences, 1 differences, 2 usage
// or manifest error (also an object the server rejects), 4 cluster access.
#include "cluster_flags.hpp"
#include "commands.hpp"
#include "common.hpp"
#include "prune_flags.hpp"

#include "wavesync/output/object_diff.hpp"
#include "wavesync/output/run_record.hpp"
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

std::string label_of(const engine::ObjectId& id) {
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
  bool differs = false;
  int error_exit = 0;
  kube::ApplyOptions dry_run;
  dry_run.dry_run = kube::DryRun::all;
  // A diff must not fail on fields another manager owns; the apply itself decides about those.
  dry_run.force_conflicts = kube::ForceConflicts::yes;
  for (const Step& step : connected->plan.steps) {
    for (const PlannedResource& planned : step.resources) {
      // Hooks are created afresh by each sync (delete policies), so their live copy says nothing.
      if (planned.hook) continue;
      const engine::ObjectId id = output::id_of(planned);
      auto live = client.get(kube::ObjectRef{id.api_version, id.kind, id.namespace_name, id.name});
      std::optional<nlohmann::json> live_object;
      if (!live) {
        if (live.error().exit_code == exit_code::k_cluster) {
          print_error(live.error());
          return exit_code::k_cluster;
        }
        if (live.error().http_status != 404) {
          print_error(live.error());
          error_exit = exit_code::k_usage;
          continue;
        }
      } else {
        live_object = *live;
      }
      std::optional<nlohmann::json> desired;
      std::string note;
      auto applied = client.apply({planned.resource.object}, dry_run);
      if (!applied.empty() && applied[0]) {
        desired = applied[0]->object;
      } else {
        const Error error = applied.empty() ? make_error("no answer") : applied[0].error();
        if (error.exit_code == exit_code::k_cluster) {
          print_error(error);
          return exit_code::k_cluster;
        }
        if (error.http_status != 404) {
          print_error(error);
          error_exit = exit_code::k_usage;
          continue;
        }
        // Its namespace or kind comes with an earlier wave: the server cannot dry-run it yet, so
        // the manifest itself stands in for the result.
        desired = planned.resource.object;
        note = "# " + id.str() + ": compared with the manifest, not a server dry run: " + error.message + "\n";
      }
      if (const auto& app = args.manifests.inputs.app) {
        if (live_object) live_object = render::without_ignored_fields(*live_object, app->ignore_differences);
        if (desired) desired = render::without_ignored_fields(*desired, app->ignore_differences);
      }
      const std::string diff = output::object_diff(live_object, desired, label_of(id));
      if (diff.empty()) continue;
      differs = true;
      fmt::print("{}{}", note, diff);
    }
  }
  for (const std::string& line : applyset::describe_prunes(*prunes)) {
    differs = true;
    fmt::print("# prune: {}\n", line);
  }
  if (error_exit != 0) return error_exit;
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
