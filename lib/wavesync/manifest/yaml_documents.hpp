// YAML text -> one JSON value per document, converted as kubectl converts it (go-yaml v2
// typing, `<<` merges, last duplicate key wins, aliases expanded under limits), with the
// source positions needed for messages. The only file that talks to yaml-cpp.
#pragma once

#include "wavesync/model/resource.hpp"
#include "wavesync/model/result.hpp"

#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

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

// Where `text` starts in its file (0-based line and column), when it is a slice of it.
struct TextOrigin {
  int line = 0;
  int column = 0;
};

// Parses every document in `text`. `file` names the input in messages. Fails with
// `file:line:column: what is wrong: what was expected` on the first problem. Positions are
// counted from `origin`.
Result<std::vector<YamlDocument>> parse_yaml_documents(std::string_view text, const std::string& file,
                                                       TextOrigin origin = {});

}  // namespace wavesync::manifest
