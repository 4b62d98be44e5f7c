// What Argo CD's `kustomize edit` calls do to a kustomization (util/kustomize/kustomize.go,
// Build: set nameprefix/namesuffix/namespace/image/replicas, add label/annotation/component,
// patches appended), done on the parsed kustomization instead of by the kustomize binary, so
// `kubectl kustomize` serves too. Pure.
#pragma once

#include "wavesync/model/result.hpp"
#include "wavesync/render/request.hpp"

#include <nlohmann/json.hpp>

namespace wavesync::render {

// Returns `kustomization` with `options` applied; `file` names it in messages. Fails as
// `kustomize edit` fails: a label or annotation already set without force, a bad image or
// replica argument.
Result<nlohmann::json> edit_kustomization(nlohmann::json kustomization, const KustomizeOptions& options,
                                          const std::string& file);

}  // namespace wavesync::render
