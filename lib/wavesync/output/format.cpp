#include "wavesync/output/format.hpp"

#include "wavesync/model/duration.hpp"

#include <fmt/core.h>

#include <ctime>

namespace wavesync::output {

std::string format_duration(std::chrono::milliseconds d) { return wavesync::format_duration(d); }

namespace {
std::tm utc(std::chrono::system_clock::time_point t) {
  const std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  return tm;
}
}  // namespace

std::string format_clock(std::chrono::system_clock::time_point t) {
  const std::tm tm = utc(t);
  return fmt::format("{:02}:{:02}:{:02}", tm.tm_hour, tm.tm_min, tm.tm_sec);
}

std::string format_rfc3339(std::chrono::system_clock::time_point t) {
  const std::tm tm = utc(t);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count() % 1000;
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", tm.tm_year + 1900, tm.tm_mon + 1,
                     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ms < 0 ? ms + 1000 : ms);
}

std::string step_label(Phase phase, Wave wave) {
  return fmt::format("{} wave {}", phase_name(phase), wave);
}

std::string short_name(const ObjectRef& id) {
  return id.kind + " " + (id.namespace_name.empty() ? "" : id.namespace_name + "/") + id.name;
}

std::string health_text(const health::Health& h) {
  std::string out(health::status_name(h.status));
  if (!h.message.empty()) out += ": " + h.message;
  return out;
}

std::size_t display_width(std::string_view text) {
  std::size_t n = 0;
  for (unsigned char c : text)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

std::string truncate_columns(std::string_view text, std::size_t columns, bool unicode) {
  if (display_width(text) <= columns) return std::string(text);
  const std::string_view ellipsis = unicode ? "…" : "...";
  const std::size_t ellipsis_width = unicode ? 1 : 3;
  if (columns <= ellipsis_width) return std::string(ellipsis.substr(0, unicode ? ellipsis.size() : columns));
  const std::size_t keep = columns - ellipsis_width;
  std::size_t n = 0;
  std::size_t i = 0;
  for (; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if ((c & 0xC0) != 0x80) {
      if (n == keep) break;
      ++n;
    }
  }
  return std::string(text.substr(0, i)) + std::string(ellipsis);
}

std::string warning_lines(std::string_view message) {
  std::string out;
  for (std::size_t start = 0;;) {
    const std::size_t end = message.find('\n', start);
    out += "wavesync: warning: ";
    out += message.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    out += '\n';
    if (end == std::string_view::npos) return out;
    start = end + 1;
  }
}

std::string github_escape_data(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '%': out += "%25"; break;
      case '\r': out += "%0D"; break;
      case '\n': out += "%0A"; break;
      default: out += c;
    }
  }
  return out;
}

std::string github_escape_property(std::string_view text) {
  std::string out;
  for (char c : github_escape_data(text)) {
    switch (c) {
      case ':': out += "%3A"; break;
      case ',': out += "%2C"; break;
      default: out += c;
    }
  }
  return out;
}

}  // namespace wavesync::output
