// YAML text -> the first YAML document in it, as go-yaml v2 (which kubectl uses through
// sigs.k8s.io/yaml) reads it: libyaml's event parser, of which go-yaml v2 is a port, feeds
// a DocumentBuilder. The only file that talks to libyaml.
#pragma once

#include "wavesync/manifest/document.hpp"
#include "wavesync/manifest/document_builder.hpp"
#include "wavesync/model/result.hpp"

#include <string>
#include <string_view>

namespace wavesync::manifest {

// Parses the first document of `text` (go-yaml v2's Unmarshal reads only that one; kubectl
// splits streams at `---` lines before it). No document (only comments, or nothing) gives
// a null root. Fails with `file:line:column: what is wrong` on the first problem; positions
// are counted from `origin`. `bodies`: how the root object is handed over (document.hpp).
Result<YamlDocument> parse_first_yaml_document(std::string_view text, const SourceFile& file, TextOrigin origin,
                                               AliasBudget& budget, Bodies bodies = Bodies::tree);

}  // namespace wavesync::manifest
