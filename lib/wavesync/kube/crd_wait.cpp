// Why poll discovery after Established: the API server publishes the new resource in
// discovery slightly later, and HA servers lag further (kubernetes#62725, #63068, #125471).
#include "wavesync/kube/crd_wait.hpp"

#include <thread>

namespace wavesync::kube {
namespace {

std::string condition(const nlohmann::json& object, const std::string& type) {
  const auto status = object.find("status");
  if (status == object.end() || !status->is_object()) return {};
  for (const auto& c : status->value("conditions", nlohmann::json::array())) {
    if (c.value("type", "") == type) return c.value("status", "");
  }
  return {};
}

}  // namespace

Result<void> wait_for_crd(Client& client, const nlohmann::json& crd,
                          std::chrono::milliseconds timeout,
                          std::chrono::milliseconds poll_interval) {
  const ObjectRef ref = ref_of(crd);
  const std::string context = "wait for CustomResourceDefinition " + ref.name;
  const auto spec = crd.value("spec", nlohmann::json::object());
  const std::string group = spec.value("group", "");
  const std::string kind = spec.value("names", nlohmann::json::object()).value("kind", "");
  std::vector<std::string> versions;
  for (const auto& v : spec.value("versions", nlohmann::json::array())) {
    if (v.value("served", true)) versions.push_back(group + "/" + v.value("name", ""));
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
