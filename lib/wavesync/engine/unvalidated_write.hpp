// Writing a Validate=false object. Argo CD applies such an object with `kubectl apply
// --validate=false` (client-side), and the server drops the fields its schema does not declare.
// Server-side apply cannot do that: the apiserver builds a typed patch from the apply body before
// field validation runs and answers an undeclared field with 500 "failed to create typed patch
// object", whatever fieldValidation says. So a Validate=false object is written without server-side
// apply: created (POST) when missing, otherwise a JSON merge patch (RFC 7386), both with
// fieldValidation=Ignore. Fields wavesync set before and the manifest no longer has are removed,
// as the three-way patch of client-side apply removes them (from wavesync's entries in the live
// object's managedFields, not from a last-applied annotation that would copy Secret values).
#pragma once

#include "wavesync/kube/client.hpp"
#include "wavesync/model/result.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace wavesync::engine {

// The merge patch that makes `live` match `manifest` where `manifest` has fields, and removes
// (sets to null) every field that `field_manager` owns in `live` (any operation, per its
// managedFields) and `manifest` no longer has. Lists are replaced whole by a merge patch, so
// ownership inside a list item is not looked into. Pure.
nlohmann::json unvalidated_merge_patch(const nlohmann::json& manifest, const nlohmann::json& live,
                                       const std::string& field_manager);

struct UnvalidatedWrite {
  kube::WriteResult written;
  bool created = false;  // a POST; otherwise a merge patch
  bool changed = false;  // the live object's resourceVersion moved (always true for a create)
};

// GET, then create or merge-patch `object` with fieldValidation=Ignore (`dry_run`: nothing is
// stored). The error of whichever request failed.
Result<UnvalidatedWrite> write_unvalidated(kube::Client& client, const nlohmann::json& object, kube::DryRun dry_run,
                                           const std::string& field_manager);

}  // namespace wavesync::engine
