// JSON from outside the process (API server answers, watch lines, exec plugin output): parsed
// with a nesting limit, read with model/json_fields.hpp, whose readers treat null or a value of another type
// as absent, so a hostile or broken peer produces a clear error, never an uncaught exception.
// Strings from the API server are also neutralised for terminals and CI logs (cluster_text).
#pragma once

#include "wavesync/model/json_fields.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace wavesync::kube {

// Deeper than any Kubernetes object (Go's encoding/json stops at 10000; CRD schemas reach ~50).
inline constexpr int k_max_json_depth = 512;

// nullopt when `text` is not JSON or nests deeper than `max_depth`.
std::optional<nlohmann::json> parse_json(std::string_view text, int max_depth = k_max_json_depth);

// parse_json, then every string neutralised with neutralize_text (cluster_text.hpp): for
// answers from the API server, whose strings may reach a terminal or a CI log.
std::optional<nlohmann::json> parse_server_json(std::string_view text);


}  // namespace wavesync::kube
