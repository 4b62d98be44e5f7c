#include "wavesync/plan/plan_json.hpp"

namespace wavesync {
namespace {

nlohmann::json string_or_null(const std::string& s) { return s.empty() ? nlohmann::json() : nlohmann::json(s); }

nlohmann::json resource_to_json(const PlannedResource& planned) {
  const Resource& r = planned.resource;
  nlohmann::json hook;  // null for ordinary resources
  if (planned.hook) {
    nlohmann::json phases = nlohmann::json::array();
    for (Phase p : planned.hook->phases) phases.push_back(std::string(phase_name(p)));
    nlohmann::json policies = nlohmann::json::array();
    for (DeletePolicy p : planned.hook->delete_policies) policies.push_back(std::string(delete_policy_name(p)));
    hook = {{"phases", std::move(phases)}, {"deletePolicies", std::move(policies)}};
  }
  return {{"apiVersion", r.api_version()},
          {"kind", r.kind()},
          {"namespace", string_or_null(r.namespace_name())},
          {"name", string_or_null(r.name())},
          {"generateName", string_or_null(r.generate_name())},
          {"hook", std::move(hook)},
          {"source", r.source.file_line()},
          {"object", r.object}};
}

}  // namespace

nlohmann::json plan_to_json(const Plan& plan) {
  nlohmann::json steps = nlohmann::json::array();
  for (const Step& step : plan.steps) {
    nlohmann::json resources = nlohmann::json::array();
    for (const PlannedResource& planned : step.resources) resources.push_back(resource_to_json(planned));
    steps.push_back({{"phase", std::string(phase_name(step.phase))}, {"wave", step.wave}, {"resources", std::move(resources)}});
  }
  return {{"steps", std::move(steps)}, {"warnings", plan.warnings}};
}

}  // namespace wavesync
