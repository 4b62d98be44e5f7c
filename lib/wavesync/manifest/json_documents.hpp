// One JSON value from a stream of several, read as kubectl reads a JSON manifest stream:
// Go's encoding/json (invalid UTF-8 becomes U+FFFD, the last duplicate key wins), then
// k8s.io/apimachinery's util/json number rule (int64 when it fits, else float64). Pure.
#pragma once

#include "wavesync/manifest/document.hpp"
#include "wavesync/manifest/document_builder.hpp"
#include "wavesync/model/result.hpp"

#include <cstddef>
#include <string>
#include <string_view>

namespace wavesync::manifest {

// A place in the text, with its line kept so positions cost nothing to find.
struct JsonCursor {
  std::size_t pos = 0;
  int line = 0;                // 0-based
  std::size_t line_start = 0;  // offset of the line's first byte
  // Set when reading stopped on bad JSON syntax (then kubectl tries the text as YAML), not
  // on a value kubectl refuses (a number out of range) or a limit.
  bool syntax_error = false;
};

// Reads the value at `cursor` (whitespace before it is skipped) and moves `cursor` just
// past it, also on failure (to where the problem is). `text` is the whole file, so
// positions in messages are the file's.
Result<YamlDocument> parse_json_value(std::string_view text, JsonCursor& cursor, const SourceFile& file,
                                      AliasBudget& budget);

// Skips JSON whitespace (space, tab, CR, LF) at `cursor`; false at the end of the text.
bool skip_json_space(std::string_view text, JsonCursor& cursor);

}  // namespace wavesync::manifest
