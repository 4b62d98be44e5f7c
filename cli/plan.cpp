// `wavesync plan [PATHS...]`: an offline preview of the order in which `wavesync apply`
// would apply the manifests, as text (one block per phase and wave) or as JSON (a stable
// contract documented in the README).
#include "commands.hpp"
#include "common.hpp"

#include "wavesync/plan/plan_json.hpp"
#include "wavesync/plan/plan_text.hpp"

#include <fmt/core.h>

#include <memory>

namespace wavesync::cli {

namespace {

struct PlanArgs {
  ManifestFlags manifests;
  std::string output = "text";
};

int run_plan(const PlanArgs& args) {
  auto plan = load_plan(args.manifests, resolve_namespace(args.manifests.namespace_name, ""));
  if (!plan) {
    print_error(plan.error());
    return plan.error().exit_code;
  }
  if (args.output == "json") {
    fmt::print("{}", plan_to_json_text(*plan));
    return exit_code::k_ok;
  }
  for (const std::string& warning : plan->warnings) print_warning(warning);
  fmt::print("{}", plan_to_text(*plan));
  return exit_code::k_ok;
}

}  // namespace

void setup_plan(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<PlanArgs>();
  CLI::App* cmd = app.add_subcommand("plan", "Show the phases and waves manifests would be applied in (offline)");
  add_manifest_flags(cmd, &args->manifests);
  cmd->add_option("-o,--output", args->output, "Output format: text or json")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  cmd->footer("Example:\n  wavesync plan ./manifests -o json");
  cmd->callback([args, exit_code] { *exit_code = run_plan(*args); });
}

}  // namespace wavesync::cli
