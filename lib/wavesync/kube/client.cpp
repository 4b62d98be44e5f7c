#include "wavesync/kube/client.hpp"

namespace wavesync::kube {

ObjectRef ref_of(const nlohmann::json& object) {
  ObjectRef ref;
  if (!object.is_object()) return ref;
  ref.api_version = object.value("apiVersion", "");
  ref.kind = object.value("kind", "");
  const auto meta = object.find("metadata");
  if (meta != object.end() && meta->is_object()) {
    ref.namespace_name = meta->value("namespace", "");
    ref.name = meta->value("name", "");
  }
  return ref;
}

}  // namespace wavesync::kube
