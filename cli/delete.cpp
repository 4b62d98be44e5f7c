// `wavesync delete PATHS...`: runs the PreDelete hooks, deletes the objects of the manifests in
// reverse plan order, waiting (by watch) for each step to be gone before the next, then runs the
// PostDelete hooks, as Argo CD deletes an Application; reports finalizers when something is
// stuck. Keeps `Delete=false` and `helm.sh/resource-policy: keep` objects (manifest or live) and
// CRDs (unless --include-crds). `Delete=confirm` objects are asked about on a terminal, else
// need --confirm-delete. `--dry-run` lists what would go (with -o json: as events). The run is
// the engine's (engine/delete_run.hpp); it is shown like apply's: text, live, GitHub or -o json.
// Exit 0 done, 1 a delete was refused or a deletion hook failed, 2 manifest error, 3 timed out,
// 4 cluster access, 5 held for confirmation.
#include "apply_output.hpp"
#include "cluster_flags.hpp"
#include "commands.hpp"
#include "common.hpp"
#include "confirm.hpp"

#include "wavesync/engine/clock.hpp"
#include "wavesync/engine/delete_run.hpp"
#include "wavesync/model/duration.hpp"
#include "wavesync/output/delete_plan_text.hpp"

#include <fmt/core.h>

#include <memory>

namespace wavesync::cli {

namespace {

struct DeleteArgs {
  ManifestFlags manifests;
  ClusterFlags cluster;
  bool dry_run = false;
  bool include_crds = false;
  bool confirm_delete = false;
  std::string timeout = "5m";
  OutputFlags output;  // -o, --color
};

int run_delete(const DeleteArgs& args) {
  auto fail = [](const Error& error) {
    print_error(error);
    return error.exit_code;
  };
  // Flags first: a bad --timeout is reported before anything is read or contacted.
  engine::DeleteRunOptions options;
  auto timeout = parse_duration("--timeout", args.timeout);
  if (!timeout) return fail(timeout.error());
  options.timeout = *timeout;
  options.dry_run = args.dry_run;
  auto connected = connect_and_plan(args.cluster, args.manifests);
  if (!connected) return fail(connected.error());
  const engine::DeletePlan plan =
      engine::plan_delete(connected->plan, args.include_crds ? CrdDeletion::include : CrdDeletion::keep);
  if (args.dry_run && args.output.output == "text") {
    fmt::print("{}", output::format_delete_plan(plan));
    return exit_code::k_ok;
  }
  kube::Client& client = *connected->connection.client;
  if (!args.dry_run) {
    // Argo CD deletes nothing of an app while one of its objects waits for deletion confirmation.
    ConfirmRequest confirm{"Delete=confirm", "delete", "--confirm-delete", {}, args.confirm_delete,
                           !args.manifests.paths.empty() && args.manifests.paths[0] == "-"};
    for (const auto& step : plan.steps)
      for (const auto& target : step.targets)
        if (target.needs_confirmation) confirm.objects.push_back(target.id.str());
    // Argo CD also asks when only the live object is marked Delete=confirm.
    auto live_confirm = engine::live_confirmations(plan.steps, client);
    if (!live_confirm) return fail(live_confirm.error());
    for (const auto& id : *live_confirm) confirm.objects.push_back(id.str());
    if (auto confirmed = confirm_deletion(confirm); !confirmed) return fail(confirmed.error());
  }
  engine::SystemClock clock;
  ApplyOutput reporting(args.output, nullptr, clock);
  const engine::DeleteRunResult result = engine::run_delete(plan, client, clock, reporting.sink(), options);
  return result.exit_code;
}

}  // namespace

void setup_delete(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<DeleteArgs>();
  CLI::App* cmd = app.add_subcommand("delete", "Delete the manifests' objects in reverse wave order, waiting for each step");
  add_manifest_flags(cmd, &args->manifests);
  add_cluster_flags(cmd, &args->cluster);
  cmd->add_flag("--dry-run", args->dry_run, "Only list what would be deleted (with -o json: as events)");
  cmd->add_flag("--include-crds", args->include_crds,
                "Also delete the manifests' CustomResourceDefinitions, and with them every custom resource of their kinds");
  cmd->add_flag("--confirm-delete", args->confirm_delete, "Delete objects marked Delete=confirm without asking");
  cmd->add_option("--timeout", args->timeout, "How long to wait for everything to be gone (exit code 3): 90s, 5m, 1m30s; a bare number is seconds")
      ->capture_default_str();
  add_output_format_flags(cmd, &args->output);
  cmd->footer("Example:\n  wavesync delete --dry-run ./manifests\n  wavesync delete ./manifests -o json");
  cmd->callback([args, exit_code] { *exit_code = run_delete(*args); });
}

}  // namespace wavesync::cli
