#include "wavesync/plan/plan.hpp"

namespace wavesync {

std::optional<nlohmann::json> managed_namespace(const Plan& plan, const std::string& name,
                                                const std::map<std::string, std::string>& labels,
                                                const std::map<std::string, std::string>& annotations) {
  if (name.empty()) return std::nullopt;
  // The manifests' own Namespace wins (gitops-engine autoCreateNamespace looks only at the
  // application's resources, not its hooks).
  for (const Step& step : plan.steps) {
    for (const PlannedResource& r : step.resources) {
      if (!r.hook && r.resource.kind() == "Namespace" && group_of(r.resource.api_version()).empty() &&
          r.resource.name() == name) {
        return std::nullopt;
      }
    }
  }
  nlohmann::json body{{"apiVersion", "v1"}, {"kind", "Namespace"}, {"metadata", {{"name", name}}}};
  if (!labels.empty()) body["metadata"]["labels"] = labels;
  if (!annotations.empty()) body["metadata"]["annotations"] = annotations;
  return body;
}

}  // namespace wavesync
