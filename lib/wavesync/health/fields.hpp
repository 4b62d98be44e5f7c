// Tolerant readers for fields of a live object's JSON, shared by the health rules.
// A missing field or one of the wrong type reads as absent; nothing here throws.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

namespace wavesync::health {

using Json = nlohmann::json;

// The node at `path` (object keys), or nullptr when any step is missing.
const Json* find_path(const Json& object, std::initializer_list<std::string_view> path);

// The string at `path`, or "" when absent or not a string.
std::string string_at(const Json& object, std::initializer_list<std::string_view> path);

// The integer at `path`, or nullopt when absent or not an integer.
std::optional<std::int64_t> optional_int_at(const Json& object,
                                            std::initializer_list<std::string_view> path);

// The integer at `path`, or 0 when absent (Go's zero value, which Argo CD's typed reads see).
std::int64_t int_at(const Json& object, std::initializer_list<std::string_view> path);

// True only when the field at `path` is the boolean true.
bool bool_at(const Json& object, std::initializer_list<std::string_view> path);

// The annotation's value, or nullptr when absent or not a string.
const std::string* annotation(const Json& object, std::string_view key);

// `status.conditions` when it is an array, else nullptr.
const Json* conditions_of(const Json& object);

// The first entry of `status.conditions` with this type, or nullptr.
const Json* condition(const Json& object, std::string_view type);

// True when the condition `c` has this type and this status.
bool condition_is(const Json& c, std::string_view type, std::string_view status);

// A string field of a condition (or any object): "" when absent.
std::string field(const Json& node, std::string_view key);

// The group of the object's apiVersion: `apps/v1` -> `apps`, `v1` -> ``.
std::string group_of_object(const Json& object);
// The version of the object's apiVersion: `apps/v1` -> `v1`.
std::string version_of_object(const Json& object);

}  // namespace wavesync::health
