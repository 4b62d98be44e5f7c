#include "wavesync/render/ignore_differences.hpp"
#include "wavesync/model/json_fields.hpp"

#include "wavesync/model/resource.hpp"
#include "wavesync/render/directory_source.hpp"

namespace wavesync::render {

namespace {

void remove_pointer(nlohmann::json& object, const std::string& pointer) {
  try {
    const nlohmann::json::json_pointer ptr(pointer);
    if (ptr.empty() || !object.contains(ptr)) return;
    nlohmann::json& parent = object.at(ptr.parent_pointer());
    if (parent.is_object()) parent.erase(ptr.back());
    else if (parent.is_array()) parent.erase(std::stoul(ptr.back()));
  } catch (const std::exception&) {
    // A malformed pointer removes nothing, as Argo CD's failed patch does.
  }
}

}  // namespace

nlohmann::json without_ignored_fields(nlohmann::json object, const nlohmann::json& ignore_differences) {
  if (!object.is_object() || !ignore_differences.is_array()) return object;
  const std::string group = group_of(field(object, "apiVersion"));
  const std::string kind = field(object, "kind");
  const nlohmann::json metadata = object.value("metadata", nlohmann::json::object());
  for (const nlohmann::json& entry : ignore_differences) {
    if (!entry.is_object()) continue;
    if (!glob_match(field(entry, "group"), group) || !glob_match(field(entry, "kind"), kind)) continue;
    if (!field(entry, "name").empty() && field(entry, "name") != field(metadata, "name")) continue;
    if (!field(entry, "namespace").empty() && field(entry, "namespace") != field(metadata, "namespace")) continue;
    for (const nlohmann::json& pointer : entry.value("jsonPointers", nlohmann::json::array()))
      if (pointer.is_string()) remove_pointer(object, pointer.get<std::string>());
  }
  return object;
}

}  // namespace wavesync::render
