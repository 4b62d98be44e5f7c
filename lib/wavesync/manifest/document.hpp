// One manifest document as JSON (what kubectl would send for it) with the source positions
// needed for messages. Produced by the YAML and JSON readers, consumed by objects.hpp.
#pragma once

#include "wavesync/model/resource.hpp"

#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <unordered_map>

namespace wavesync::manifest {

// Where an object and its annotation keys were written.
struct ObjectSource {
  SourceLocation start;
  std::map<std::string, SourceLocation> annotations;
};

struct YamlDocument {
  nlohmann::json root;    // null for an empty document
  SourceLocation start;   // where the root node starts
  // Objects that may become Resources: the root and, recursively, the elements of a
  // top-level `items` list, keyed by JSON pointer ("", "/items/0", "/items/0/items/2").
  std::unordered_map<std::string, ObjectSource> objects;
};

// Where a slice of text starts in its file (0-based line and column).
struct TextOrigin {
  int line = 0;
  int column = 0;
};

// A position inside a slice (0-based), as the readers report it.
struct TextMark {
  int line = 0;
  int column = 0;
};

// `file:line:column` (1-based) for `mark` inside a slice that starts at `origin`.
inline SourceLocation locate(const SourceFile& file, TextOrigin origin, TextMark mark) {
  return SourceLocation{file, mark.line + 1 + origin.line, mark.column + 1 + (mark.line == 0 ? origin.column : 0)};
}

}  // namespace wavesync::manifest
