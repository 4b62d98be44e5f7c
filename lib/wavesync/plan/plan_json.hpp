// Renders a Plan as the JSON document `wavesync plan -o json` prints. This is a stable
// contract for CI scripts, documented in the README ("wavesync plan"). Pure.
#pragma once

#include "wavesync/plan/plan.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace wavesync {

inline constexpr const char* k_redacted_value = "***";

// {"steps":[{"phase","wave","resources":[{"apiVersion","kind","namespace","name",
// "generateName","hook","source","object"}]}],"warnings":[...]}. `namespace`, `name`,
// `generateName` and `hook` are null when absent; `object` is the exact body to be sent, except
// that every value under a Secret's `data` and `stringData` is replaced by k_redacted_value.
nlohmann::json plan_to_json(const Plan& plan);

// The same document as text, one resource per line, written without copying the objects
// into a second JSON tree (10,000 objects would otherwise be held twice).
std::string plan_to_json_text(const Plan& plan);

}  // namespace wavesync
