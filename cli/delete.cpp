// `wavesync delete PATHS...`: runs the PreDelete hooks, deletes the objects of the manifests in
// reverse plan order, waiting (by watch) for each step to be gone before the next, then runs the
// PostDelete hooks, as Argo CD deletes an Application; reports finalizers when something is
// stuck. Keeps `Delete=false` and `helm.sh/resource-policy: keep` objects (manifest or live) and
// CRDs (unless --include-crds). `Delete=confirm` objects are asked about on a terminal, else
// need --confirm-delete. `--dry-run` lists what would go. Exit 0 done, 1 a delete was refused or
// a deletion hook failed, 2 manifest error, 3 timed out, 4 cluster access, 5 held for confirmation.
#include "cluster_flags.hpp"
#include "commands.hpp"
#include "common.hpp"
#include "confirm.hpp"

#include "wavesync/engine/clock.hpp"
#include "wavesync/model/duration.hpp"
#include "wavesync/output/delete_hooks.hpp"
#include "wavesync/output/deletion.hpp"
#include "wavesync/output/format.hpp"

#include <fmt/core.h>

#include <exception>
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
};

int run_delete(const DeleteArgs& args) {
  // Flags first: a bad --timeout is reported before anything is read or contacted.
  auto timeout = parse_duration("--timeout", args.timeout);
  if (!timeout) {
    print_error(timeout.error());
    return timeout.error().exit_code;
  }
  auto connected = connect_and_plan(args.cluster, args.manifests);
  if (!connected) {
    print_error(connected.error());
    return connected.error().exit_code;
  }
  const auto steps =
      output::plan_deletion(connected->plan, args.include_crds ? CrdDeletion::include : CrdDeletion::keep);
  const auto pre_hooks = output::delete_hooks_of(connected->plan, output::DeleteHookType::pre_delete);
  const auto post_hooks = output::delete_hooks_of(connected->plan, output::DeleteHookType::post_delete);
  if (args.dry_run) {
    fmt::print("{}{}{}", output::format_delete_hooks(pre_hooks, output::DeleteHookType::pre_delete),
               output::format_deletion_plan(steps),
               output::format_delete_hooks(post_hooks, output::DeleteHookType::post_delete));
    return exit_code::k_ok;
  }
  // Argo CD deletes nothing of an app while one of its objects waits for deletion confirmation.
  ConfirmRequest confirm{"Delete=confirm", "delete", "--confirm-delete", {}, args.confirm_delete,
                         !args.manifests.paths.empty() && args.manifests.paths[0] == "-"};
  for (const auto& step : steps)
    for (const auto& target : step.targets)
      if (target.needs_confirmation) confirm.objects.push_back(target.id.str());
  // Argo CD also asks when only the live object is marked Delete=confirm.
  auto live_confirm = output::confirmations_on_live_objects(steps, *connected->connection.client);
  if (!live_confirm) {
    print_error(live_confirm.error());
    return live_confirm.error().exit_code;
  }
  for (const auto& id : *live_confirm) confirm.objects.push_back(id.str());
  if (auto confirmed = confirm_deletion(confirm); !confirmed) {
    print_error(confirmed.error());
    return confirmed.error().exit_code;
  }
  engine::SystemClock clock;
  output::DeleteOptions options;
  const auto start = clock.now();
  const engine::TimePoint deadline = start + *timeout;
  kube::Client& client = *connected->connection.client;
  const auto log = [](const std::string& line) { fmt::print("{}\n", line); };
  auto failed = [](const output::DeleteHooksRun& run) {
    for (const std::string& p : run.problems) print_error(Error{p, run.exit_code});
    return run.exit_code;
  };
  // PreDelete hooks run before anything is deleted; one that fails stops the delete (Argo CD).
  const auto pre = output::run_delete_hooks(pre_hooks, output::DeleteHookType::pre_delete, client, clock, deadline, log);
  if (pre.exit_code != exit_code::k_ok) return failed(pre);
  options.timeout = *timeout;
  options.deadline = deadline;
  auto result = output::run_deletion(steps, client, clock, options, log);
  for (const std::string& p : result.problems) print_error(Error{p, result.exit_code});
  if (result.exit_code == exit_code::k_ok) {
    // The PreDelete hooks go with everything else (Argo CD's cascade deletes them too); then the
    // PostDelete hooks run, and go when their delete policy says so.
    auto done = output::remove_delete_hooks(pre.hooks, kube::Propagation::foreground, client, clock, deadline, log);
    if (done.exit_code == exit_code::k_ok) {
      const auto post =
          output::run_delete_hooks(post_hooks, output::DeleteHookType::post_delete, client, clock, deadline, log);
      done = post.exit_code == exit_code::k_ok ? output::clean_up_delete_hooks(post_hooks, post, client, clock, deadline, log)
                                               : post;
    }
    if (done.exit_code != exit_code::k_ok) result.exit_code = failed(done);
  }
  fmt::print("{} object{} deleted, {} already gone, in {}\n", result.deleted, result.deleted == 1 ? "" : "s",
             result.absent,
             output::format_duration(std::chrono::duration_cast<std::chrono::milliseconds>(clock.now() - start)));
  return result.exit_code;
}

}  // namespace

void setup_delete(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<DeleteArgs>();
  CLI::App* cmd = app.add_subcommand("delete", "Delete the manifests' objects in reverse wave order, waiting for each step");
  add_manifest_flags(cmd, &args->manifests);
  add_cluster_flags(cmd, &args->cluster);
  cmd->add_flag("--dry-run", args->dry_run, "Only list what would be deleted");
  cmd->add_flag("--include-crds", args->include_crds,
                "Also delete the manifests' CustomResourceDefinitions, and with them every custom resource of their kinds");
  cmd->add_flag("--confirm-delete", args->confirm_delete, "Delete objects marked Delete=confirm without asking");
  cmd->add_option("--timeout", args->timeout, "How long to wait for everything to be gone (exit code 3): 90s, 5m, 1m30s; a bare number is seconds")
      ->capture_default_str();
  cmd->footer("Example:\n  wavesync delete --dry-run ./manifests");
  cmd->callback([args, exit_code] { *exit_code = run_delete(*args); });
}

}  // namespace wavesync::cli
