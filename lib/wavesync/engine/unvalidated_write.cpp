#include "wavesync/engine/unvalidated_write.hpp"

#include "wavesync/kube/server_json.hpp"

#include <utility>

namespace wavesync::engine {

namespace {

// Adds to `patch` a null for every field `owned` (a managedFields fieldsV1 map level) names
// that `manifest` (the same level) does not have; descends where both still have a map.
void remove_dropped(const nlohmann::json& owned, const nlohmann::json& manifest, nlohmann::json& patch) {
  if (!owned.is_object() || !manifest.is_object()) return;
  for (const auto& [key, below] : owned.items()) {
    if (key.size() < 3 || key.compare(0, 2, "f:") != 0) continue;  // ".", k:/v:/i: list items
    const std::string field = key.substr(2);
    const auto kept = manifest.find(field);
    if (kept == manifest.end()) {
      patch[field] = nullptr;
    } else if (kept->is_object() && below.is_object()) {
      nlohmann::json& sub = patch[field];
      if (!sub.is_object()) sub = nlohmann::json::object();
      remove_dropped(below, *kept, sub);
    }
  }
}

}  // namespace

nlohmann::json unvalidated_merge_patch(const nlohmann::json& manifest, const nlohmann::json& live,
                                       const std::string& field_manager) {
  nlohmann::json patch = manifest;
  const auto meta = live.find("metadata");
  if (meta == live.end() || !meta->is_object()) return patch;
  const auto entries = meta->find("managedFields");
  if (entries == meta->end() || !entries->is_array()) return patch;
  for (const nlohmann::json& entry : *entries) {
    if (!entry.is_object()) continue;
    const auto manager = entry.find("manager");
    if (manager == entry.end() || !manager->is_string() || *manager != field_manager) continue;
    const auto subresource = entry.find("subresource");
    if (subresource != entry.end() && subresource->is_string() && !subresource->get<std::string>().empty()) continue;
    const auto fields = entry.find("fieldsV1");
    if (fields != entry.end()) remove_dropped(*fields, manifest, patch);
  }
  return patch;
}

Result<UnvalidatedWrite> write_unvalidated(kube::Client& client, const nlohmann::json& object, kube::DryRun dry_run,
                                           const std::string& field_manager) {
  const kube::ObjectRef ref = object_ref_of(object);
  auto live = client.get(ref);
  if (!live) return live.error();
  UnvalidatedWrite out;
  if (!live->has_value()) {
    auto created = client.create(object, dry_run, kube::FieldValidation::ignore);
    if (!created) return created.error();
    out.written = std::move(*created);
    out.created = true;
    out.changed = true;
    return out;
  }
  kube::ApplyOptions options{dry_run, kube::ForceConflicts::no, field_manager, kube::FieldValidation::ignore};
  auto patched = client.merge_patch(ref, unvalidated_merge_patch(object, **live, field_manager), options);
  if (!patched) return patched.error();
  out.changed = string_at(patched->object, {"metadata", "resourceVersion"}) != string_at(**live, {"metadata", "resourceVersion"});
  out.written = std::move(*patched);
  return out;
}

}  // namespace wavesync::engine
