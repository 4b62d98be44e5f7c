#include "wavesync/plan/live_options.hpp"

#include <vector>

namespace wavesync {

SyncOptions live_sync_options(const nlohmann::json& live) {
  Resource resource;
  resource.set_object(live);
  std::vector<std::string> ignored;
  return parse_sync_options(resource, ignored);
}

WriteMode write_mode(const SyncOptions& manifest, const SyncOptions& live) {
  SyncOptions merged = manifest;
  for (const char* name : {"Replace", "Force"}) {
    if (live.has(name, "true")) merged.values[name] = "true";
  }
  return write_mode(merged);
}

bool delete_needs_confirmation(const nlohmann::json& live) {
  return live_sync_options(live).has("Delete", "confirm");
}

std::optional<std::string> kept_by_live_object(const nlohmann::json& live) {
  if (live_sync_options(live).has("Delete", "false")) return "Delete=false on the live object";
  Resource resource;
  resource.set_object(live);
  const std::string* policy = resource.annotation("helm.sh/resource-policy");
  if (policy != nullptr && *policy == "keep") return "helm.sh/resource-policy: keep on the live object";
  return std::nullopt;
}

}  // namespace wavesync
