// Small text helpers shared by the reporters: durations, timestamps, step and object labels,
// column-aware truncation and GitHub workflow-command escaping. Pure.
#pragma once

#include "wavesync/engine/events.hpp"
#include "wavesync/hooks/hook.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace wavesync::output {

// `250ms`, `4.2s`, `1m05s`, `1h02m`.
std::string format_duration(std::chrono::milliseconds d);
// `10:26:14` (UTC), for log line prefixes.
std::string format_clock(std::chrono::system_clock::time_point t);
// `2026-11-26T10:26:14.123Z`.
std::string format_rfc3339(std::chrono::system_clock::time_point t);
// `PreSync wave 0`, `Sync wave 2`.
std::string step_label(Phase phase, Wave wave);
// `Deployment shop/web`, `Namespace shop` (kind and name, no apiVersion).
std::string short_name(const ObjectRef& id);
// `Degraded: Back-off pulling image`, `Healthy`.
std::string health_text(const health::Health& h);

// Display columns of UTF-8 text (one per code point; no escape sequences expected).
std::size_t display_width(std::string_view text);
// Cuts `text` to at most `columns` display columns, ending in `…` (or `...` when `unicode`
// is false) when something was cut.
std::string truncate_columns(std::string_view text, std::size_t columns, bool unicode = true);

// A `warning` event's message as the terminal shows it: `wavesync: warning: ` before each
// line, each line ending in `\n`.
std::string warning_lines(std::string_view message);

// GitHub workflow commands: data escapes % CR LF; property values also : and ,.
std::string github_escape_data(std::string_view text);
std::string github_escape_property(std::string_view text);

}  // namespace wavesync::output
