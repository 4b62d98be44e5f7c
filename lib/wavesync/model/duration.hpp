// Durations as the user writes and reads them: one parser for every duration flag (Go's
// time.ParseDuration grammar, as kubectl's --timeout takes it) and one formatter for every
// message and report. No I/O.
#pragma once

#include "wavesync/model/result.hpp"

#include <chrono>
#include <string>
#include <string_view>

namespace wavesync {

// Go's grammar: one or more decimal numbers, each with an optional fraction and a unit
// (`ns`, `us`, `µs`, `ms`, `s`, `m`, `h`), e.g. `10m`, `1m30s`, `1.5h`, `250ms`; `0` alone.
// A bare non-negative integer is also accepted, as seconds (`300` = `5m`): `wavesync delete
// --timeout` took that form before it took Go durations. Negative durations, values over
// Go's limit (about 2562047h) and anything else are an error naming `flag` and the text.
// Sub-millisecond parts are truncated.
Result<std::chrono::milliseconds> parse_duration(std::string_view flag, std::string_view text);

// `250ms`, `4.2s`, `1m05s`, `1h02m` (negative reads as 0).
std::string format_duration(std::chrono::milliseconds d);

}  // namespace wavesync
