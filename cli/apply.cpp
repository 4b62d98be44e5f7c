// `wavesync apply [PATHS...]`: loads manifests, plans the waves and runs the sync engine against
// the cluster, reporting events to stderr (text) or stdout (`-o json`, one JSON object per line).
// Wires the real implementations: kube client, system clock, signal flag, reporters.
#include "apply_output.hpp"
#include "cluster_flags.hpp"
#include "commands.hpp"
#include "health_sources.hpp"
#include "prune_flags.hpp"
#include "sync_flags.hpp"
#include "common.hpp"
#include "run_deadline.hpp"
#include "signals.hpp"

#include "wavesync/engine/clock.hpp"
#include "wavesync/engine/sync.hpp"
#include "wavesync/kube/make_client.hpp"
#include "wavesync/model/duration.hpp"
#include "wavesync/plan/plan.hpp"

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <unistd.h>
#include <vector>

namespace wavesync::cli {

namespace {

// --retry's range; an Application's retry.limit above it is cut to it (a CI run that retries
// more than this is better off failing).
constexpr std::int64_t k_max_retries = 100;

struct ApplyArgs {
  ManifestFlags manifests;
  ClusterFlags cluster;
  std::string timeout = "10m";
  std::string wave_timeout;
  std::string wave_delay = "0s";
  bool no_wait = false;
  bool dry_run = false;
  bool force_conflicts = true;  // Argo CD forces conflicts whenever it applies server-side
  std::string health_conditions = "annotated";
  std::string pod_failure_grace;  // empty: off
  int retry = 0;
  bool retry_given = false;  // --retry on the command line (it wins over an Application's retry)
  std::string retry_backoff = "5s";
  std::int64_t retry_factor = 2;
  std::string retry_max = "3m";
  std::string helm_hooks = "auto";
  HealthSourceFlags health_sources;  // --argocd-cm, --health-scripts
  OutputFlags output;  // -o, --color, --report, --junit, --timeline
  PruneFlags prune;    // --prune, --prune-last, --prune-propagation, --applyset, --applyset-namespace
  SyncFlags sync;      // --create-namespace, --apply-out-of-sync-only, --sync-option, ...
};

// After Ctrl-C the engine stops starting work and ends the run as interrupted; a request or
// wait that does not return within this is cut short (the report files are still written).
constexpr std::chrono::seconds k_interrupt_grace{5};

int run_apply(const ApplyArgs& args) {
  auto fail = [](const Error& error) {
    print_error(error);
    return error.exit_code;
  };
  engine::RunOptions options;
  auto timeout = parse_duration("--timeout", args.timeout);
  if (!timeout) return fail(timeout.error());
  options.timeout = *timeout;
  if (!args.wave_timeout.empty()) {
    auto wave_timeout = parse_duration("--wave-timeout", args.wave_timeout);
    if (!wave_timeout) return fail(wave_timeout.error());
    options.wave_timeout = *wave_timeout;
  }
  auto wave_delay = parse_duration("--wave-delay", args.wave_delay);
  if (!wave_delay) return fail(wave_delay.error());
  options.wave_delay = *wave_delay;
  options.final_wait = args.no_wait ? engine::FinalWait::skip : engine::FinalWait::wait;
  options.dry_run = args.dry_run ? kube::DryRun::all : kube::DryRun::none;
  options.force_conflicts = args.force_conflicts ? kube::ForceConflicts::yes : kube::ForceConflicts::no;
  options.conditions = args.health_conditions == "all" ? health::ConditionsRule::all_custom_resources
                                                       : health::ConditionsRule::annotated_only;
  if (!args.pod_failure_grace.empty()) {
    auto grace = parse_duration("--pod-failure-grace", args.pod_failure_grace);
    if (!grace) return fail(grace.error());
    options.pod_failure_grace = *grace;
  }
  options.retry.limit = args.retry;
  options.retry.factor = args.retry_factor;
  auto backoff = parse_duration("--retry-backoff", args.retry_backoff);
  if (!backoff) return fail(backoff.error());
  options.retry.backoff = *backoff;
  auto retry_max = parse_duration("--retry-max", args.retry_max);
  if (!retry_max) return fail(retry_max.error());
  options.retry.max = *retry_max;
  if (!args.retry_given && args.manifests.inputs.app && args.manifests.inputs.app->retry) {
    // The Application's syncPolicy.retry, with Argo CD's defaults for what it leaves out.
    const render::RetrySpec& spec = *args.manifests.inputs.app->retry;
    options.retry = engine::RetryPolicy{};
    options.retry.limit = static_cast<int>(std::clamp<std::int64_t>(spec.limit, 0, k_max_retries));
    if (spec.backoff) options.retry.backoff = *spec.backoff;
    if (spec.factor) options.retry.factor = *spec.factor;
    if (spec.max_backoff) options.retry.max = *spec.max_backoff;
  }
  // Every attempt, the SyncFail hooks after a timeout and the pauses between attempts.
  // Lowered once the plan is known to have no SyncFail hooks (no SyncFail time after a timeout).
  RunDeadline deadline(engine::longest_run(options, engine::SyncFailHooks::some) + k_run_deadline_grace);

  if (args.manifests.input_error) return fail(*args.manifests.input_error);
  PruneFlags prune = args.prune;
  apply_input_prune_settings(args.manifests.inputs, prune);

  auto connection = connect(args.cluster, args.manifests.namespace_name);
  if (!connection) return fail(connection.error());
  auto health_scripts = load_health_scripts(args.health_sources, &*connection->client);
  if (!health_scripts) return fail(health_scripts.error());
  options.health_scripts = health_scripts->get();

  // A namespaced object's namespace: the manifest's, else --namespace, else the context's.
  auto plan = load_plan(args.manifests, connection->namespace_name);
  if (!plan) return fail(plan.error());
  for (const std::string& warning : plan->warnings) print_warning(warning);
  SyncFlags sync = args.sync;
  if (args.manifests.inputs.app) apply_app_sync_settings(*args.manifests.inputs.app, sync);
  if (auto synced = apply_sync_flags(sync, prune, *plan, connection->namespace_name, options); !synced) {
    return fail(synced.error());
  }
  auto applyset_options = session_options(prune, args.manifests.paths, connection->namespace_name, options.dry_run);
  if (!applyset_options) return fail(applyset_options.error());
  auto begun = applyset::begin(*connection->client, std::move(*plan), std::move(*applyset_options));
  if (!begun) return fail(begun.error());
  *plan = std::move(begun->plan);
  applyset::Session& session = begun->session;
  std::vector<std::string> warnings = session.warnings();
  // Helm hooks as `helm upgrade --install` runs them: install hooks when the ApplySet has no
  // parent yet (the first deploy), upgrade hooks after that. Without an ApplySet (stdin, a
  // temporary directory) every run would look like a first deploy, so Argo CD's mapping is kept.
  HelmHooks helm_hooks = args.helm_hooks == "argo" ? HelmHooks::argo
                         : session.previous()     ? HelmHooks::upgrade
                                                  : HelmHooks::install;
  if (args.helm_hooks == "auto" && !session.recording()) {
    helm_hooks = HelmHooks::argo;
    if (has_helm_hooks(*plan)) {
      warnings.push_back("these manifests have no ApplySet (stdin or a temporary directory), so install and "
                         "upgrade cannot be told apart: Helm install and upgrade hooks both run, as in Argo CD; "
                         "pass --applyset NAME for --helm-hooks auto");
    }
  }
  *plan = select_helm_hooks(std::move(*plan), helm_hooks);
  const bool sync_fail_hooks = std::any_of(plan->steps.begin(), plan->steps.end(),
                                           [](const Step& step) { return step.phase == Phase::sync_fail; });
  if (!sync_fail_hooks) {
    deadline.lower_to(engine::longest_run(options, engine::SyncFailHooks::none) + k_run_deadline_grace);
  }

  // Hooks are deleted with this policy too, with or without --prune (as Argo CD).
  options.prune_propagation = prune_propagation(prune);
  if (prune.prune) {
    options.prune_disabled_waves = session.prunes().disabled_live_waves;
    options.prune_last_sync_wave = session.prunes().last_sync_wave;
  }
  kube::Client& client = *connection->client;
  options.before_first_write = [&session, &client] { return session.write_superset(client); };

  engine::SystemClock clock;
  ApplyOutput reporting(args.output, &*plan, clock);
  for (const std::string& warning : warnings) reporting.warn(warning);
  if (auto confirmed = confirm_prunes(prune, args.manifests.paths, session); !confirmed) return fail(confirmed.error());
  if (prune.prune) options.prunes = session.take_prune_targets();
  options.interrupt = install_signal_handlers();
  // The report files are written however the run ends: below, or by the signal watcher or the
  // run deadline when the engine does not stop in time.
  set_abort_action([&reporting] { reporting.write_files(); });
  set_interrupt_grace(k_interrupt_grace);
  engine::SyncResult result = engine::run_sync(*plan, client, clock, reporting.sink(), options);
  for (const std::string& warning : session.end_warnings()) reporting.warn(warning);
  int exit = result.exit_code;
  if (exit == exit_code::k_ok) {
    if (auto committed = session.commit(client); !committed) {
      print_error(committed.error());
      exit = exit_code::k_sync_failed;
    }
  }
  const bool written = reporting.write_files();
  set_abort_action({});
  if (!written && exit == exit_code::k_ok) return exit_code::k_usage;
  return exit;
}

}  // namespace

void setup_apply(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<ApplyArgs>();
  CLI::App* cmd = app.add_subcommand("apply", "Apply manifests wave by wave, waiting on health between waves");
  add_manifest_flags(cmd, &args->manifests);
  add_cluster_flags(cmd, &args->cluster);
  cmd->add_option("--timeout", args->timeout, "Give up on the whole sync after this long (exit code 3)")
      ->capture_default_str();
  cmd->add_option("--wave-timeout", args->wave_timeout, "Give up on any one step after this long (exit code 3)");
  cmd->add_option("--wave-delay", args->wave_delay, "Pause after applying each non-final step")->capture_default_str();
  cmd->add_flag("--no-wait", args->no_wait, "Do not wait for the final step to become healthy");
  cmd->add_flag("--dry-run", args->dry_run, "Server-side dry run of every object; no hooks run");
  cmd->add_flag("--force-conflicts,!--no-force-conflicts", args->force_conflicts,
                "Take over fields owned by other field managers (default); --no-force-conflicts refuses instead");
  cmd->add_option("--health-conditions", args->health_conditions,
                  "Judge custom resources by their conditions: annotated (only those annotated) or all")
      ->check(CLI::IsMember({"annotated", "all"}))
      ->capture_default_str();
  cmd->add_option("--pod-failure-grace", args->pod_failure_grace,
                  "Fail a workload whose pods stay this long in CreateContainerConfigError, ImagePullBackOff, "
                  "CrashLoopBackOff, ... (default: wait for its progress deadline, as Argo CD)");
  cmd->add_option("--retry", args->retry,
                  "Retry a failed sync this many times (not a timed-out one); default: an --argocd-app's "
                  "syncPolicy.retry, else 0")
      ->check(CLI::Range(0, static_cast<int>(k_max_retries)))
      ->each([args](const std::string&) { args->retry_given = true; })
      ->capture_default_str();
  cmd->add_option("--retry-backoff", args->retry_backoff, "Wait before the first retry")->capture_default_str();
  cmd->add_option("--retry-factor", args->retry_factor, "Multiply the wait by this for each further retry")
      ->check(CLI::Range(1, 100))
      ->capture_default_str();
  cmd->add_option("--retry-max", args->retry_max, "Wait at most this long between retries")->capture_default_str();
  cmd->add_option("--helm-hooks", args->helm_hooks,
                  "Helm hooks: auto (install hooks on the first deploy, upgrade hooks later) or argo "
                  "(both on every sync, as Argo CD)")
      ->check(CLI::IsMember({"auto", "argo"}))
      ->capture_default_str();
  add_health_source_flags(cmd, &args->health_sources);
  add_output_flags(cmd, &args->output);
  add_prune_flags(cmd, &args->prune);
  add_sync_flags(cmd, &args->sync);
  cmd->footer("Example:\n  wavesync apply ./manifests --timeout 5m --junit report.xml --timeline run.svg");
  cmd->callback([args, exit_code] { *exit_code = run_apply(*args); });
}

}  // namespace wavesync::cli
