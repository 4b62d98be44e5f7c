#include "wavesync/engine/adoption.hpp"
#include "wavesync/model/json_fields.hpp"

#include <set>
#include <vector>

namespace wavesync::engine {

namespace {

using nlohmann::json;

const char* const k_last_applied_key = "f:kubectl.kubernetes.io/last-applied-configuration";

bool main_resource(const json& entry) { return field(entry, "subresource").empty(); }

bool owns_last_applied(const json& entry) {
  auto fields = entry.find("fieldsV1");
  if (fields == entry.end() || !fields->is_object()) return false;
  auto meta = fields->find("f:metadata");
  if (meta == fields->end() || !meta->is_object()) return false;
  auto annotations = meta->find("f:annotations");
  return annotations != meta->end() && annotations->is_object() && annotations->contains(k_last_applied_key);
}

// A FieldsV1 trie (`{"f:data": {".": {}, "f:a": {}}}`) as a set: the union of two is the
// union of their keys, recursively.
void union_into(json& into, const json& from) {
  if (!from.is_object()) return;
  if (!into.is_object()) into = json::object();
  for (const auto& [key, value] : from.items()) {
    if (into.contains(key)) union_into(into[key], value);
    else into[key] = value;
  }
}

bool is_csa(const json& entry, const std::string& manager) {
  return entry.is_object() && field(entry, "manager") == manager && field(entry, "operation") == "Update" &&
         main_resource(entry);
}

// csaupgrade's upgradedManagedFields for one client-side manager.
void migrate(json& entries, const std::string& csa_manager, const std::string& field_manager) {
  std::optional<std::size_t> target;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const json& e = entries[i];
    if (e.is_object() && field(e, "manager") == field_manager && field(e, "operation") == "Apply" && main_resource(e)) {
      target = i;
      break;
    }
  }
  if (!target) {
    // No Apply entry yet: the most recent client-side entry (entries are newest first) becomes it.
    for (std::size_t i = 0; i < entries.size(); ++i) {
      if (is_csa(entries[i], csa_manager)) {
        target = i;
        break;
      }
    }
    if (!target) return;
    entries[*target]["manager"] = field_manager;
    entries[*target]["operation"] = "Apply";
  }
  const std::string api_version = field(entries[*target], "apiVersion");
  for (const json& e : entries) {
    if (is_csa(e, csa_manager) && field(e, "apiVersion") == api_version) {
      json& fields = entries[*target]["fieldsV1"];
      union_into(fields, e.value("fieldsV1", json::object()));
      entries[*target]["fieldsType"] = "FieldsV1";
      break;
    }
  }
  json kept = json::array();
  for (json& e : entries)
    if (!is_csa(e, csa_manager)) kept.push_back(std::move(e));
  entries = std::move(kept);
}

}  // namespace

std::optional<json> client_side_apply_migration(const json& live, const std::string& field_manager) {
  if (!live.is_object() || !live.contains("metadata") || !live["metadata"].is_object()) return std::nullopt;
  const json& meta = live["metadata"];
  auto found = meta.find("managedFields");
  if (found == meta.end() || !found->is_array()) return std::nullopt;
  std::set<std::string> csa_managers;
  for (const json& e : *found) {
    if (!e.is_object() || field(e, "operation") != "Update" || !main_resource(e)) continue;
    const std::string manager = field(e, "manager");
    // wavesync's own Update entry is from writes that were not server-side applies (a
    // Validate=false create or merge patch, a Replace=true PUT): once the object is applied
    // again, those fields are the manifest's too, so a field dropped from it must go.
    if (manager == field_manager || manager == k_client_side_apply_manager || owns_last_applied(e))
      csa_managers.insert(manager);
  }
  if (csa_managers.empty()) return std::nullopt;
  json entries = *found;
  for (const std::string& manager : csa_managers) migrate(entries, manager, field_manager);
  if (entries == *found) return std::nullopt;
  return json::array({
      {{"op", "replace"}, {"path", "/metadata/managedFields"}, {"value", entries}},
      // `replace`, not `test`: a stale version is then etcd's 409, not the API server's 422
      // (the reason csaupgrade gives).
      {{"op", "replace"}, {"path", "/metadata/resourceVersion"}, {"value", field(meta, "resourceVersion")}},
  });
}

}  // namespace wavesync::engine
