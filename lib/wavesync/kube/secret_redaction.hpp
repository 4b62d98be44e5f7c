// Server answers about a Secret may quote its values: a server-side apply type error prints
// the offending value (`.stringData.pin: expected string, got
// &value.valueUnstructured{Value:987654321}`). Such text is redacted before it leaves kube/.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace wavesync::kube {

// For a v1 Secret `object`: `text` with every value of its data and stringData of at least 4
// characters (as written, decoded and base64-encoded) and any structured-merge-diff value
// dump (`{Value:...}`) replaced by `***`. Other objects: `text` unchanged.
std::string redact_secret_values(std::string text, const nlohmann::json& object);

}  // namespace wavesync::kube
