// Gives loaded objects their final identity: cluster-scoped kinds lose any namespace,
// namespaced ones without a namespace get the default one, and of two objects with the same
// (group, kind, namespace, name) the last one is kept with a warning naming both places (Argo
// CD's RepeatedResourceWarning), or, with --strict, that is an error. Pure.
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

enum class DuplicatePolicy {
  keep_last,  // as Argo CD: the last one is used, with a warning
  error,      // --strict
};

// Settles every object's namespace and removes earlier duplicates. Warnings (duplicates) are
// appended to `warnings`, each starting with the later object's `file:line:col`.
[[nodiscard]] Result<void> settle_identity(std::vector<Resource>& resources, const std::string& default_namespace,
                                           NamespacePolicy policy, DuplicatePolicy duplicates,
                                           std::vector<std::string>& warnings);

}  // namespace wavesync::manifest
