// Null-safe readers for JSON from anywhere (manifests, API server answers, live objects): a
// missing step, null, or a value of another type reads as absent. Nothing here throws, so no
// malformed object or hostile server answer can end in an uncaught exception. Every module reads
// fields through these instead of `json::value`, `at` or `operator[]` on const input.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

namespace wavesync {

// The node at `path` (object keys), or nullptr when any step is missing or not an object.
const nlohmann::json* find_path(const nlohmann::json& object, std::initializer_list<std::string_view> path);

// The string at `path` without copying it, or nullptr when absent or not a string.
const std::string* string_ptr_at(const nlohmann::json& object, std::initializer_list<std::string_view> path);
// The string at `path`, or "" when absent or not a string.
std::string string_at(const nlohmann::json& object, std::initializer_list<std::string_view> path);
// The string at `path`, or nullopt when absent or not a string (tells "" from absent).
std::optional<std::string> optional_string_at(const nlohmann::json& object,
                                              std::initializer_list<std::string_view> path);

// The object (or array) at `path`, or nullptr when absent or of another type.
const nlohmann::json* object_at(const nlohmann::json& object, std::initializer_list<std::string_view> path);
const nlohmann::json* array_at(const nlohmann::json& object, std::initializer_list<std::string_view> path);

// The integer at `path`, or nullopt when absent or not an integer.
std::optional<std::int64_t> optional_int_at(const nlohmann::json& object,
                                            std::initializer_list<std::string_view> path);
// The integer at `path`, or 0 when absent (Go's zero value, which Argo CD's typed reads see).
std::int64_t int_at(const nlohmann::json& object, std::initializer_list<std::string_view> path);

// True only when the field at `path` is the boolean true.
bool bool_at(const nlohmann::json& object, std::initializer_list<std::string_view> path);

// A string field of an object (a condition, a managedFields entry): "" when absent.
std::string field(const nlohmann::json& node, std::string_view key);

// The annotation's value, or nullptr when absent or not a string.
const std::string* annotation(const nlohmann::json& object, std::string_view key);

// `status.conditions` when it is an array, else nullptr.
const nlohmann::json* conditions_of(const nlohmann::json& object);
// The first entry of `status.conditions` with this type, or nullptr.
const nlohmann::json* condition(const nlohmann::json& object, std::string_view type);
// True when the condition `c` has this type and this status.
bool condition_is(const nlohmann::json& c, std::string_view type, std::string_view status);
// True when the object has a condition of this type with this status.
bool has_condition(const nlohmann::json& object, std::string_view type, std::string_view status);

}  // namespace wavesync
