// One manifest document as JSON (what kubectl would send for it) with the source positions
// needed for messages. Produced by the YAML and JSON readers, consumed by objects.hpp.
#pragma once

#include "wavesync/model/resource.hpp"

#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <string>
#include <unordered_map>

namespace wavesync::manifest {

// Where an object and its annotation keys were written.
struct ObjectSource {
  SourceLocation start;
  std::map<std::string, SourceLocation> annotations;
};

struct YamlDocument {
  // null for an empty document. When `text` is set, only the root object's apiVersion, kind and
  // metadata fields (all that identity checks and planning read).
  nlohmann::json root;
  // The whole root object as compact JSON text, exactly what root.dump() would give for the full
  // tree (keys sorted, invalid UTF-8 replaced); only from a reader asked for text (Bodies::text).
  std::optional<std::string> text;
  SourceLocation start;   // where the root node starts
  // Objects that may become Resources: the root and, recursively, the elements of a
  // top-level `items` list, keyed by JSON pointer ("", "/items/0", "/items/0/items/2").
  std::unordered_map<std::string, ObjectSource> objects;
};

// How a reader hands over each document's root object.
enum class Bodies {
  tree,  // YamlDocument::root is the whole object
  // The root object as JSON text plus the few fields read from it as a tree, without building
  // the rest as a tree: a manifest is kept as text anyway. Anchors and aliases expand from the
  // text. Documents the text form does not cover (merge keys, a top-level `items` list, a root
  // that is not a mapping or carries an anchor) are read as trees.
  text,
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
