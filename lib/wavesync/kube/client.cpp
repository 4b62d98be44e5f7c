#include "wavesync/kube/client.hpp"
#include "wavesync/kube/server_json.hpp"

namespace wavesync::kube {

ObjectRef ref_of(const nlohmann::json& object) {
  ObjectRef ref;
  if (!object.is_object()) return ref;
  ref.api_version = text_at(object, "apiVersion");
  ref.kind = text_at(object, "kind");
  const auto meta = object.find("metadata");
  if (meta != object.end() && meta->is_object()) {
    ref.namespace_name = text_at(*meta, "namespace");
    ref.name = text_at(*meta, "name");
  }
  return ref;
}

}  // namespace wavesync::kube
