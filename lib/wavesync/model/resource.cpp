#include "wavesync/model/resource.hpp"

#include "wavesync/model/json_fields.hpp"
#include "wavesync/model/object_ref.hpp"

#include <algorithm>

namespace wavesync {

std::string SourceLocation::str() const {
  if (line <= 0) return file;
  if (column <= 0) return file + ":" + std::to_string(line);
  return file + ":" + std::to_string(line) + ":" + std::to_string(column);
}

std::string SourceLocation::file_line() const {
  if (line <= 0) return file;
  return file + ":" + std::to_string(line);
}

std::string ResourceKey::str() const {
  std::string out = group.empty() ? kind : group + "/" + kind;
  out += ' ';
  if (!namespace_name.empty()) out += namespace_name + "/";
  out += name;
  return out;
}

std::string group_of(const std::string& api_version) {
  auto slash = api_version.find('/');
  return slash == std::string::npos ? std::string() : api_version.substr(0, slash);
}

std::string version_of(const std::string& api_version) {
  auto slash = api_version.find('/');
  return slash == std::string::npos ? api_version : api_version.substr(slash + 1);
}

namespace {

std::string string_or_empty(const nlohmann::json& object, std::initializer_list<std::string_view> path) {
  const std::string* s = string_ptr_at(object, path);
  return s != nullptr ? *s : std::string();
}

}  // namespace

Resource::Resource(const nlohmann::json& object, SourceLocation where,
                   std::map<std::string, SourceLocation> annotation_where)
    : source(std::move(where)), annotation_sources(std::move(annotation_where)) {
  set_object(object);
}

nlohmann::json Resource::object() const {
  // The text was written by dump() of a valid tree, so it parses; never throws.
  return nlohmann::json::parse(text_, nullptr, false);
}

void Resource::set_object(const nlohmann::json& object) {
  text_ = object.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  api_version_ = string_or_empty(object, {"apiVersion"});
  kind_ = string_or_empty(object, {"kind"});
  name_ = string_or_empty(object, {"metadata", "name"});
  generate_name_ = string_or_empty(object, {"metadata", "generateName"});
  namespace_ = string_or_empty(object, {"metadata", "namespace"});
  annotations_.clear();
  if (const auto* all = object_at(object, {"metadata", "annotations"})) {
    for (auto it = all->begin(); it != all->end(); ++it) {
      if (it.value().is_string()) annotations_.emplace_back(it.key(), it.value().get<std::string>());
    }
  }
  annotations_.shrink_to_fit();
  text_.shrink_to_fit();
}

const std::string* Resource::annotation(const std::string& key) const {
  auto it = std::lower_bound(annotations_.begin(), annotations_.end(), key,
                             [](const auto& entry, const std::string& k) { return entry.first < k; });
  return it != annotations_.end() && it->first == key ? &it->second : nullptr;
}

const SourceLocation& Resource::annotation_source(const std::string& key) const {
  auto it = annotation_sources.find(key);
  return it == annotation_sources.end() ? source : it->second;
}

ResourceKey Resource::key() const { return object_ref_of(*this).key(); }

}  // namespace wavesync
