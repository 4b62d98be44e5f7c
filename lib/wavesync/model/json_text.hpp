// Compact JSON text as nlohmann::json's dump() writes it (no spaces, invalid UTF-8 replaced), for
// code that writes JSON text without building a tree first. Pure.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace wavesync {

// value.dump() with invalid UTF-8 replaced by U+FFFD instead of throwing.
std::string dump_compact(const nlohmann::json& value);

// Appends `s` as dump() writes a JSON string: printable ASCII without `"` and `\` as it is,
// anything else through dump() (escapes, invalid UTF-8 replaced).
void append_json_string(std::string& out, const std::string& s);

}  // namespace wavesync
