#include "wavesync/model/duration.hpp"

#include <cstdint>
#include <limits>
#include <utility>

namespace wavesync {

namespace {

constexpr std::uint64_t k_max = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());

// Nanoseconds per unit, as Go's time package spells them (time/format.go, unitMap).
std::uint64_t unit_nanos(std::string_view unit) {
  if (unit == "ns") return 1;
  if (unit == "us" || unit == "\xC2\xB5s" || unit == "\xCE\xBCs") return 1'000;
  if (unit == "ms") return 1'000'000;
  if (unit == "s") return 1'000'000'000;
  if (unit == "m") return 60'000'000'000ULL;
  if (unit == "h") return 3'600'000'000'000ULL;
  return 0;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

Result<std::chrono::milliseconds> parse_duration(std::string_view flag, std::string_view text) {
  auto invalid = [&](std::string_view why) {
    return make_error(std::string(flag) + ": invalid duration \"" + std::string(text) + "\": " + std::string(why) +
                      " (expected e.g. 10m, 90s, 1m30s or 500ms)");
  };
  if (text.empty()) return invalid("empty");
  if (text.front() == '-') return invalid("negative");
  std::string_view s = text;
  if (s.front() == '+') s.remove_prefix(1);
  if (s == "0") return std::chrono::milliseconds(0);
  // A bare integer: seconds.
  bool all_digits = !s.empty();
  for (char c : s) all_digits = all_digits && is_digit(c);
  if (all_digits) {
    std::uint64_t seconds = 0;
    for (char c : s) {
      if (seconds > (k_max / 1'000'000'000ULL - 9) / 10) return invalid("too large");
      seconds = seconds * 10 + static_cast<std::uint64_t>(c - '0');
    }
    return std::chrono::milliseconds(static_cast<std::int64_t>(seconds * 1000));
  }
  std::uint64_t total = 0;  // nanoseconds
  while (!s.empty()) {
    // The number: integer part, optional fraction.
    std::uint64_t whole = 0;
    std::size_t i = 0;
    bool overflow = false;
    for (; i < s.size() && is_digit(s[i]); ++i) {
      if (whole > (k_max - 9) / 10) overflow = true;
      else whole = whole * 10 + static_cast<std::uint64_t>(s[i] - '0');
    }
    const bool has_whole = i > 0;
    std::uint64_t fraction = 0;
    std::uint64_t scale = 1;
    bool has_fraction = false;
    if (i < s.size() && s[i] == '.') {
      ++i;
      for (; i < s.size() && is_digit(s[i]); ++i) {
        has_fraction = true;
        // Digits beyond what fits change nothing a millisecond can show.
        if (scale < 1'000'000'000'000'000ULL) {
          fraction = fraction * 10 + static_cast<std::uint64_t>(s[i] - '0');
          scale *= 10;
        }
      }
    }
    if (!has_whole && !has_fraction) return invalid("expected a number");
    if (overflow) return invalid("too large");
    std::size_t unit_end = i;
    while (unit_end < s.size() && !is_digit(s[unit_end]) && s[unit_end] != '.') ++unit_end;
    const std::string_view unit = s.substr(i, unit_end - i);
    if (unit.empty()) return invalid("missing unit");
    const std::uint64_t per = unit_nanos(unit);
    if (per == 0) return invalid("unknown unit \"" + std::string(unit) + "\"");
    if (whole > k_max / per) return invalid("too large");
    std::uint64_t value = whole * per;
    // fraction/scale of a unit, without overflowing: per <= 3.6e12 and fraction < scale.
    const long double part = static_cast<long double>(fraction) * static_cast<long double>(per) /
                             static_cast<long double>(scale);
    value += static_cast<std::uint64_t>(part);
    if (value > k_max || total > k_max - value) return invalid("too large");
    total += value;
    s.remove_prefix(unit_end);
  }
  return std::chrono::milliseconds(static_cast<std::int64_t>(total / 1'000'000ULL));
}

std::string format_duration(std::chrono::milliseconds d) {
  const long long ms = d.count() < 0 ? 0 : d.count();
  auto two = [](long long v) { return (v < 10 ? "0" : "") + std::to_string(v); };
  if (ms < 1000) return std::to_string(ms) + "ms";
  if (ms < 60'000) return std::to_string(ms / 1000) + "." + std::to_string((ms % 1000) / 100) + "s";
  const long long s = ms / 1000;
  if (s < 3600) return std::to_string(s / 60) + "m" + two(s % 60) + "s";
  return std::to_string(s / 3600) + "h" + two((s % 3600) / 60) + "m";
}

}  // namespace wavesync
