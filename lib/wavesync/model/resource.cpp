#include "wavesync/model/resource.hpp"

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
std::string string_at(const nlohmann::json& object, const char* a, const char* b = nullptr) {
  const nlohmann::json* node = &object;
  for (const char* k : {a, b}) {
    if (k == nullptr) break;
    if (!node->is_object()) return {};
    auto it = node->find(k);
    if (it == node->end()) return {};
    node = &*it;
  }
  return node->is_string() ? node->get<std::string>() : std::string();
}
}  // namespace

std::string Resource::api_version() const { return string_at(object, "apiVersion"); }
std::string Resource::kind() const { return string_at(object, "kind"); }
std::string Resource::name() const { return string_at(object, "metadata", "name"); }
std::string Resource::generate_name() const { return string_at(object, "metadata", "generateName"); }
std::string Resource::namespace_name() const { return string_at(object, "metadata", "namespace"); }

const std::string* Resource::annotation(const std::string& key) const {
  auto meta = object.find("metadata");
  if (meta == object.end() || !meta->is_object()) return nullptr;
  auto ann = meta->find("annotations");
  if (ann == meta->end() || !ann->is_object()) return nullptr;
  auto it = ann->find(key);
  if (it == ann->end() || !it->is_string()) return nullptr;
  return it->get_ptr<const std::string*>();
}

const SourceLocation& Resource::annotation_source(const std::string& key) const {
  auto it = annotation_sources.find(key);
  return it == annotation_sources.end() ? source : it->second;
}

ResourceKey Resource::key() const {
  std::string n = name();
  if (n.empty()) n = generate_name();
  return ResourceKey{group_of(api_version()), kind(), namespace_name(), n};
}

}  // namespace wavesync
