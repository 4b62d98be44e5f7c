// Text that came from the cluster (pod logs, events, condition messages, Warning headers,
// error messages) is untrusted: a pod can write terminal control sequences or GitHub Actions
// workflow commands (`::add-mask::`, `::error::`) into its log. neutralize_text makes such
// text inert for a terminal and for a CI log runner while keeping it readable.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace wavesync::kube {

// Control characters (C0 but tab and newline, DEL, C1) become `U+001B`-style text, as client-go
// cleanANSIEscapeCodes does for installHint; a CR before a newline is dropped; bytes that are
// not UTF-8 become `\xNN`; a line whose first non-blank characters are `::` gets `: :`, so
// the Actions runner does not take it for a workflow command.
std::string neutralize_text(std::string_view text);
// True when neutralize_text would change `text`.
bool needs_neutralizing(std::string_view text);
// neutralize_text applied to every string value in `value` (object keys are left alone: the
// API server validates the keys of labels, annotations and data as names).
void neutralize_strings(nlohmann::json& value);

}  // namespace wavesync::kube
