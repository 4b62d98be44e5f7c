#include "wavesync/plan/live_options.hpp"

#include <vector>

namespace wavesync {

namespace {

// A live object as a Resource for its annotations: type, name and annotations only. The whole
// object (managedFields, data) would be written out as text for every answer of the whole-plan
// dry run just to read one annotation.
Resource annotations_of(const nlohmann::json& live) {
  nlohmann::json head = nlohmann::json::object();
  for (const char* field : {"apiVersion", "kind"})
    if (auto it = live.find(field); it != live.end()) head[field] = *it;
  if (auto meta = live.find("metadata"); meta != live.end() && meta->is_object()) {
    nlohmann::json& kept = head["metadata"] = nlohmann::json::object();
    for (const char* field : {"name", "namespace", "annotations"})
      if (auto it = meta->find(field); it != meta->end()) kept[field] = *it;
  }
  return Resource(head);
}

}  // namespace

SyncOptions live_sync_options(const nlohmann::json& live) {
  Resource resource = annotations_of(live);
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
  const Resource resource = annotations_of(live);
  const std::string* policy = resource.annotation("helm.sh/resource-policy");
  if (policy != nullptr && *policy == "keep") return "helm.sh/resource-policy: keep on the live object";
  return std::nullopt;
}

}  // namespace wavesync
