// Renders a Plan as the JSON document `wavesync plan -o json` prints. This is a stable
// contract for CI scripts, documented in the README ("wavesync plan"). Pure.
#pragma once

#include "wavesync/plan/plan.hpp"

#include <nlohmann/json.hpp>

namespace wavesync {

// {"steps":[{"phase","wave","resources":[{"apiVersion","kind","namespace","name",
// "generateName","hook","source","object"}]}],"warnings":[...]}. `namespace`, `name`,
// `generateName` and `hook` are null when absent; `object` is the exact body to be sent.
nlohmann::json plan_to_json(const Plan& plan);

}  // namespace wavesync
