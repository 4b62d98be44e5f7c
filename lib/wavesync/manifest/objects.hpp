// One parsed YAML document -> the Kubernetes objects it holds: lists (`kind: List`, any
// document with a top-level `items`) are flattened; for manifests, identity fields and
// annotation types are checked and each object's JSON size is held to the API server's limit.
// Pure.
#pragma once

#include "wavesync/manifest/document.hpp"
#include "wavesync/model/resource.hpp"
#include "wavesync/model/result.hpp"

#include <nlohmann/json.hpp>

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace wavesync::manifest {

// One object of a document, before any check of its own fields.
struct DocumentObject {
  nlohmann::json object;
  SourceLocation source;                                     // where it starts
  std::map<std::string, SourceLocation> annotation_sources;  // by annotation key
  // The whole object as JSON text when the reader wrote it (Bodies::text); `object` then holds
  // only its apiVersion, kind and metadata.
  std::optional<std::string> text;
};

// Calls `visit` with each object of the document in order. Lists (`kind: List`, any object with
// a top-level `items`) are flattened recursively, as kubectl does; their items must be mappings.
// Empty (null) documents have none. Stops at the first error, `visit`'s included. For live
// objects (`wavesync health`), which need none of a manifest's identity checks.
[[nodiscard]] Result<void> for_each_object(YamlDocument document,
                                           const std::function<Result<void>(DocumentObject)>& visit);

// Appends the document's objects to `out`, each checked as a manifest (apiVersion, kind, name,
// annotation and label types, JSON size). Empty (null) documents add nothing.
[[nodiscard]] Result<void> append_objects(YamlDocument document, std::vector<Resource>& out);

}  // namespace wavesync::manifest
