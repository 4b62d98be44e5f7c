// YAML scalars typed the way Kubernetes types them: go-yaml v2 (YAML 1.1) resolution as
// used by sigs.k8s.io/yaml, then Go encoding/json number rules. Pure; no yaml-cpp here.
// Reference: go-yaml v2 resolve.go (resolve) and decode.go; sigs.k8s.io/yaml yaml.go.
#pragma once

#include "wavesync/model/result.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

namespace wavesync::manifest {

using Scalar = std::variant<std::nullptr_t, bool, std::int64_t, std::uint64_t, double, std::string>;

// How a scalar was written, as far as typing is concerned.
enum class ScalarForm {
  plain,     // unquoted and untagged: typed by YAML 1.1 rules (yes -> true, 0777 -> 511)
  string,    // quoted, block (| >), non-specific `!` or an unknown/local tag: always a string
  tagged,    // an explicit `tag:yaml.org,2002:*` tag: must parse as that type
};

// Types `text`. `tag` is the short core tag (`int`, `str`, ...) for ScalarForm::tagged.
// Fails when an explicit tag does not fit, e.g. `!!int abc`; the message has no position.
Result<Scalar> resolve_scalar(ScalarForm form, std::string_view tag, std::string_view text);

// The JSON value Go's encoding/json writes: whole floats become integers (`1.0` -> 1),
// NaN and infinities are errors; strings are made valid UTF-8.
Result<nlohmann::json> scalar_to_json(const Scalar& scalar);

// A map key as sigs.k8s.io/yaml stringifies it: bool -> "true"/"false", int -> decimal,
// float -> Go FormatFloat(k, 'g', -1, 32); null and uint64 keys are errors.
Result<std::string> scalar_to_key(const Scalar& scalar);

// A map key from an already converted JSON value (an alias used as a key).
Result<std::string> json_to_key(const nlohmann::json& value);

// Go strconv.FormatFloat(value, 'g', -1, 32).
std::string format_float32_g(double value);

// `text` with every invalid UTF-8 sequence replaced by U+FFFD, as Go's encoding/json does.
std::string valid_utf8(std::string text);

// `a string`, `a number`, `a mapping`... for messages.
std::string describe_json_type(const nlohmann::json& value);

}  // namespace wavesync::manifest
