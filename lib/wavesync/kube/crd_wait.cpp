// Why poll discovery after Established: the API server publishes the new resource in
// discovery slightly later, and HA servers lag further (kubernetes#62725, #63068, #125471).
#include "wavesync/kube/crd_wait.hpp"
#include "wavesync/kube/server_json.hpp"

#include <thread>

namespace wavesync::kube {
namespace {

std::string condition(const nlohmann::json& object, const std::string& type) {
  const auto status = object.find("status");
  if (status == object.end() || !status->is_object()) return {};
  const auto* conditions = array_at(*status, "conditions");
  if (conditions == nullptr) return {};
  for (const auto& c : *conditions) {
    if (text_at(c, "type") == type) return text_at(c, "status");
  }
  return {};
}

}  // namespace

Result<void> wait_for_crd(Client& client, const nlohmann::json& crd,
                          std::chrono::milliseconds timeout,
                          std::chrono::milliseconds poll_interval) {
  const ObjectRef ref = ref_of(crd);
  const std::string context = "wait for CustomResourceDefinition " + ref.name;
  static const nlohmann::json k_none = nlohmann::json::object();
  const auto* spec_found = object_at(crd, "spec");
  const nlohmann::json& spec = spec_found != nullptr ? *spec_found : k_none;
  const std::string group = text_at(spec, "group");
  const auto* names = object_at(spec, "names");
  const std::string kind = names != nullptr ? text_at(*names, "kind") : std::string();
  std::vector<std::string> versions;
  if (const auto* listed = array_at(spec, "versions")) {
    for (const auto& v : *listed) {
      const bool served = !(v.is_object() && v.contains("served") && v["served"].is_boolean() && !v["served"].get<bool>());
      if (served) versions.push_back(group + "/" + text_at(v, "name"));
    }
  }
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::string missing = "condition Established";
  bool established = false;
  while (true) {
    if (!established) {
      auto live = client.get(ref);
      if (!live) return live.error().wrap(context);
      if (*live) {
        if (condition(**live, "NamesAccepted") == "False") {
          return make_error(context + ": names not accepted: check spec.names for clashes",
                            exit_code::k_sync_failed);
        }
        established = condition(**live, "Established") == "True";
      }
    }
    if (established) {
      missing.clear();
      for (const auto& api_version : versions) {
        if (!client.resolve(api_version, kind)) {
          missing = "kind " + kind + " in " + api_version + " in discovery";
          break;
        }
      }
      if (missing.empty()) return {};
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      return make_error(context + ": timed out waiting for " + missing, exit_code::k_timeout);
    }
    std::this_thread::sleep_for(poll_interval);
    if (established) {
      if (auto r = client.refresh_discovery(); !r) return r.error().wrap(context);
    }
  }
}

}  // namespace wavesync::kube
