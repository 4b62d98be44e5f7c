// Standard base64 (RFC 4648) for kubeconfig `*-data` fields and exec-plugin cluster info.
// Pure; no I/O.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace wavesync::kube {

std::string base64_encode(std::string_view bytes);
// nullopt when `text` is not valid base64; whitespace (line breaks) is ignored, as Go's
// decoder does for kubeconfig data.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace wavesync::kube
