#include "wavesync/model/resource.hpp"

#include "wavesync/model/json_fields.hpp"
#include "wavesync/model/object_ref.hpp"

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
const std::string k_empty;

const std::string& string_ref(const nlohmann::json& object, std::initializer_list<std::string_view> path) {
  const std::string* s = string_ptr_at(object, path);
  return s != nullptr ? *s : k_empty;
}
}  // namespace

const std::string& Resource::api_version() const { return string_ref(object, {"apiVersion"}); }
const std::string& Resource::kind() const { return string_ref(object, {"kind"}); }
const std::string& Resource::name() const { return string_ref(object, {"metadata", "name"}); }
const std::string& Resource::generate_name() const { return string_ref(object, {"metadata", "generateName"}); }
const std::string& Resource::namespace_name() const { return string_ref(object, {"metadata", "namespace"}); }

const std::string* Resource::annotation(const std::string& key) const { return wavesync::annotation(object, key); }

const SourceLocation& Resource::annotation_source(const std::string& key) const {
  auto it = annotation_sources.find(key);
  return it == annotation_sources.end() ? source : it->second;
}

ResourceKey Resource::key() const { return object_ref_of(*this).key(); }

}  // namespace wavesync
