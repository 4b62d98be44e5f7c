// Text helpers of the reporters.
#include "wavesync/output/format.hpp"
#include "wavesync/output/terminal.hpp"

#include <catch2/catch.hpp>

using namespace wavesync::output;
using namespace std::chrono_literals;

TEST_CASE("durations read as milliseconds, tenths of seconds, then minutes", "[output]") {
  CHECK(format_duration(250ms) == "250ms");
  CHECK(format_duration(4230ms) == "4.2s");
  CHECK(format_duration(65s) == "1m05s");
  CHECK(format_duration(3720s) == "1h02m");
}

TEST_CASE("truncation counts code points and ends in an ellipsis", "[output]") {
  CHECK(truncate_columns("abcdef", 6) == "abcdef");
  CHECK(truncate_columns("abcdefg", 6) == "abcde…");
  CHECK(truncate_columns("⠋ abcdefg", 6) == "⠋ abc…");
  CHECK(truncate_columns("abcdefg", 6, false) == "abc...");
  CHECK(display_width("✓ ok") == 4);
}

TEST_CASE("colour is used on a terminal unless NO_COLOR or TERM=dumb, or when forced", "[output]") {
  CHECK(use_color(ColorMode::auto_detect, true, nullptr, "xterm"));
  CHECK_FALSE(use_color(ColorMode::auto_detect, false, nullptr, "xterm"));
  CHECK_FALSE(use_color(ColorMode::auto_detect, true, "1", "xterm"));
  CHECK(use_color(ColorMode::auto_detect, true, "", "xterm"));
  CHECK_FALSE(use_color(ColorMode::auto_detect, true, nullptr, "dumb"));
  CHECK(use_color(ColorMode::always, false, "1", "dumb"));
  CHECK_FALSE(use_color(ColorMode::never, true, nullptr, "xterm"));
}

TEST_CASE("a warning's lines each start with the CLI's warning prefix", "[output]") {
  CHECK(warning_lines("one") == "wavesync: warning: one\n");
  CHECK(warning_lines("head:\n  a\n  b") ==
        "wavesync: warning: head:\nwavesync: warning:   a\nwavesync: warning:   b\n");
}
