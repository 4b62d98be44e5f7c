// A manifest file's text -> its documents, split and read exactly as kubectl reads a file
// (k8s.io/apimachinery's YAMLOrJSONDecoder): a stream that starts with `{` is read as JSON
// values one after another, falling back to YAML after at most one; otherwise the text is
// cut into documents at lines starting with `---` (anything but a comment after it is an
// error), line ends `\r\n` become `\n`, and each piece's first YAML document is read. Pure.
#pragma once

#include "wavesync/manifest/document.hpp"
#include "wavesync/model/result.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace wavesync::manifest {

// Every non-empty document of `text` in order (empty and `null` documents are skipped, as
// kubectl skips them). `file` names the input in messages: `file:line:column: ...`. `bodies`:
// how each root object is handed over (document.hpp); JSON input always gives trees.
Result<std::vector<YamlDocument>> read_documents(std::string_view text, const SourceFile& file,
                                                 Bodies bodies = Bodies::tree);

}  // namespace wavesync::manifest
