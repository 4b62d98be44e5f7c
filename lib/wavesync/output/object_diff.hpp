// What `wavesync diff` compares: a live object and the server's dry-run result, both stripped of
// fields the server manages (managedFields, resourceVersion, generation, uid,
// creationTimestamp, selfLink, status, kubectl's last-applied annotation) and with every Secret
// value replaced by a redaction marker, rendered as YAML for a line diff. Pure.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace wavesync::output {

inline constexpr const char* k_redacted = "***";
inline constexpr const char* k_redacted_before = "*** (before)";
inline constexpr const char* k_redacted_after = "*** (after)";

// Removes server-managed fields (see above); keeps everything a user could have written.
nlohmann::json strip_server_fields(nlohmann::json object);

// For a v1 Secret: replaces each value in `data` and `stringData` (of both sides) with `***`,
// or `*** (before)` / `*** (after)` when the value differs between the two, so a changed
// Secret still shows a changed line but never a value. Other kinds are left alone.
void redact_secrets(std::optional<nlohmann::json>& live, std::optional<nlohmann::json>& desired);

// Block-style YAML with sorted keys; strings quoted (JSON style) when plain would be ambiguous.
std::string to_yaml(const nlohmann::json& value);

// The unified diff of one object, empty when equal. `live`/`desired` nullopt: absent.
std::string object_diff(std::optional<nlohmann::json> live, std::optional<nlohmann::json> desired,
                        const std::string& label);

}  // namespace wavesync::output
