#include "wavesync/model/object_ref.hpp"

#include "wavesync/model/json_fields.hpp"

namespace wavesync {

std::string ObjectRef::str() const {
  std::string out = api_version + " " + kind + " ";
  if (!namespace_name.empty()) out += namespace_name + "/";
  return out + name;
}

ResourceKey ObjectRef::key() const { return ResourceKey{group_of(api_version), kind, namespace_name, name}; }

ObjectRef object_ref_of(const nlohmann::json& object) {
  return ObjectRef{string_at(object, {"apiVersion"}), string_at(object, {"kind"}),
                   string_at(object, {"metadata", "namespace"}), string_at(object, {"metadata", "name"})};
}

ObjectRef object_ref_of(const Resource& resource) {
  std::string name = resource.name();
  if (name.empty()) name = resource.generate_name();
  return ObjectRef{resource.api_version(), resource.kind(), resource.namespace_name(), std::move(name)};
}

}  // namespace wavesync
