// Turns an API server response into an Error: decodes a `Status` body (causes per field,
// field-manager conflicts with their managers) or falls back to the HTTP status.
#pragma once

#include "wavesync/kube/transport.hpp"
#include "wavesync/model/result.hpp"

#include <string>

namespace wavesync::kube {

// `context: 422 Unprocessable Entity: spec.replicas: Invalid value: -1: must be ...`.
// Exit code 4 for transport failures, 401, 403 and 5xx; 1 otherwise, including the 500 that
// server-side apply gives an object whose field has the wrong type.
Error response_error(const std::string& context, const HttpResponse& response);

// `Unprocessable Entity` for 422; empty for unknown codes.
std::string reason_phrase(long status);

}  // namespace wavesync::kube
