// One parsed YAML document -> the Kubernetes objects it holds: lists (`kind: List`, any
// document with a top-level `items`) are flattened, identity fields and annotation types
// are checked, and each object's JSON size is held to the API server's limit. Pure.
#pragma once

#include "wavesync/manifest/document.hpp"
#include "wavesync/model/resource.hpp"
#include "wavesync/model/result.hpp"

#include <vector>

namespace wavesync::manifest {

// Appends the document's objects to `out`. Empty (null) documents add nothing.
[[nodiscard]] Result<void> append_objects(YamlDocument document, std::vector<Resource>& out);

}  // namespace wavesync::manifest
