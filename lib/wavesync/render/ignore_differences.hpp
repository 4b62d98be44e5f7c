// An Application's spec.ignoreDifferences for `wavesync diff`: the fields it names by JSON
// pointer are left out of both sides (Argo CD's util/argo/normalizers/diff_normalizer.go,
// ignoreNormalizer). Pure.
#pragma once

#include <nlohmann/json.hpp>

namespace wavesync::render {

// `object` without the fields every matching entry's jsonPointers name. An entry matches by
// group and kind (Argo CD's globs), and by name and namespace when it sets them. Missing fields
// and malformed pointers are passed over, as Argo CD passes over a failed remove.
// jqPathExpressions and managedFieldsManagers are not applied.
nlohmann::json without_ignored_fields(nlohmann::json object, const nlohmann::json& ignore_differences);

}  // namespace wavesync::render
