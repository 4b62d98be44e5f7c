// Gives loaded objects their final identity: cluster-scoped kinds lose any namespace,
// namespaced ones without a namespace get the default one, and two objects with the same
// (group, kind, namespace, name) are an error naming both places. Pure.
#pragma once

#include "wavesync/model/resource.hpp"
#include "wavesync/model/result.hpp"

#include <string>
#include <vector>

namespace wavesync::manifest {

enum class NamespacePolicy {
  default_missing,  // objects without a namespace get the default one
  strict,           // also: an object naming another namespace is an error
};

[[nodiscard]] Result<void> settle_identity(std::vector<Resource>& resources, const std::string& default_namespace,
                                           NamespacePolicy policy);

}  // namespace wavesync::manifest
