// ObjectRef: the one reference to an object on the API server (apiVersion, kind, namespace,
// name) used by the kube client, the engine's events and its live view. ResourceKey
// (resource.hpp) is the version-free identity derived from it: two references with the same key
// name the same object.
#pragma once

#include "wavesync/model/resource.hpp"

#include <nlohmann/json.hpp>

#include <compare>
#include <string>

namespace wavesync {

struct ObjectRef {
  std::string api_version;
  std::string kind;
  std::string namespace_name;  // empty for cluster-scoped objects
  std::string name;            // empty: the collection

  // `apps/v1 Deployment shop/web`, `v1 Namespace shop`.
  [[nodiscard]] std::string str() const;
  // The version-free identity: `apps/v1` and `apps/v1beta1` name the same object.
  [[nodiscard]] ResourceKey key() const;
  auto operator<=>(const ObjectRef&) const = default;
};

// An object's apiVersion, kind, metadata.namespace and metadata.name (null-safe: missing or
// mistyped fields read as empty).
ObjectRef object_ref_of(const nlohmann::json& object);

// A manifest's reference: its name, or its generateName when it has no name.
ObjectRef object_ref_of(const Resource& resource);

}  // namespace wavesync
