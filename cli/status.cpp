// `wavesync status PATHS...`: the live state of every object in the manifests, grouped by step
// (exists?, health and message, hook state), as text or JSON. Exit 0 when every object exists
// and is healthy, 1 otherwise, 2 for manifest errors, 4 when the cluster cannot be reached.
#include "cluster_flags.hpp"
#include "commands.hpp"
#include "common.hpp"
#include "health_sources.hpp"

#include "wavesync/engine/status.hpp"
#include "wavesync/output/live_status.hpp"

#include <fmt/core.h>

#include <memory>

namespace wavesync::cli {

namespace {

struct StatusArgs {
  ManifestFlags manifests;
  ClusterFlags cluster;
  std::string output = "text";
  bool all_conditions = false;
  HealthSourceFlags health_sources;  // --argocd-cm, --health-scripts
};

int run_status(const StatusArgs& args) {
  auto connected = connect_and_plan(args.cluster, args.manifests);
  if (!connected) {
    print_error(connected.error());
    return connected.error().exit_code;
  }
  auto scripts = load_health_scripts(args.health_sources, &*connected->connection.client);
  if (!scripts) {
    print_error(scripts.error());
    return scripts.error().exit_code;
  }
  auto report = engine::collect_status(connected->plan, *connected->connection.client,
                                       args.all_conditions ? health::ConditionsRule::all_custom_resources
                                                           : health::ConditionsRule::annotated_only,
                                       scripts->get());
  if (!report) {
    print_error(report.error());
    return report.error().exit_code;
  }
  if (args.output == "json") {
    fmt::print("{}\n", output::status_json(*report).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  } else {
    fmt::print("{}", output::format_status_text(*report));
  }
  return report->all_ok() ? exit_code::k_ok : exit_code::k_sync_failed;
}

}  // namespace

void setup_status(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<StatusArgs>();
  CLI::App* cmd = app.add_subcommand("status", "Show the live state of every object in the manifests, by step");
  add_manifest_flags(cmd, &args->manifests);
  add_cluster_flags(cmd, &args->cluster);
  cmd->add_option("-o,--output", args->output, "text or json")->check(CLI::IsMember({"text", "json"}))->capture_default_str();
  cmd->add_flag("--health-conditions", args->all_conditions,
                "Judge custom resources without an Argo CD rule by their Ready/Stalled conditions");
  add_health_source_flags(cmd, &args->health_sources);
  cmd->footer("Example:\n  wavesync status ./manifests     # exit 0 when everything exists and is healthy");
  cmd->callback([args, exit_code] { *exit_code = run_status(*args); });
}

}  // namespace wavesync::cli
