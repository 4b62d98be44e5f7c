#include "wavesync/model/duration.hpp"

#include <catch2/catch.hpp>

using namespace std::chrono_literals;
using wavesync::format_duration;
using wavesync::parse_duration;

namespace {
std::chrono::milliseconds ok(const char* text) {
  auto d = parse_duration("--timeout", text);
  INFO(text << ": " << (d ? "" : d.error().message));
  REQUIRE(d.ok());
  return *d;
}
std::string error(const char* text) {
  auto d = parse_duration("--timeout", text);
  REQUIRE_FALSE(d.ok());
  return d.error().message;
}
}  // namespace

TEST_CASE("Durations are read with Go's time.ParseDuration grammar", "[model][duration]") {
  CHECK(ok("10m") == 10min);
  CHECK(ok("1m30s") == 90s);
  CHECK(ok("90s") == 90s);
  CHECK(ok("500ms") == 500ms);
  CHECK(ok("1h") == 1h);
  CHECK(ok("1.5h") == 90min);
  CHECK(ok(".5s") == 500ms);
  CHECK(ok("1.s") == 1s);
  CHECK(ok("2h45m") == 165min);
  CHECK(ok("+5s") == 5s);
  CHECK(ok("0") == 0ms);
  CHECK(ok("0s") == 0ms);
  CHECK(ok("1500us") == 1ms);
  CHECK(ok("1500µs") == 1ms);
  CHECK(ok("2000000ns") == 2ms);
  CHECK(ok("1h0m0s") == 1h);
}

TEST_CASE("A bare integer is read as seconds, as wavesync delete --timeout took it", "[model][duration]") {
  CHECK(ok("300") == 5min);
  CHECK(ok("1") == 1s);
}

TEST_CASE("Invalid durations are one message naming the flag and the text", "[model][duration]") {
  CHECK(error("abc") ==
        "--timeout: invalid duration \"abc\": expected a number (expected e.g. 10m, 90s, 1m30s or 500ms)");
  CHECK(error("5x") ==
        "--timeout: invalid duration \"5x\": unknown unit \"x\" (expected e.g. 10m, 90s, 1m30s or 500ms)");
  CHECK(error("-5s").find("negative") != std::string::npos);
  CHECK(error("").find("empty") != std::string::npos);
  CHECK(error("1m30").find("missing unit") != std::string::npos);
  CHECK(error("s").find("expected a number") != std::string::npos);
  CHECK(error(".s").find("expected a number") != std::string::npos);
  CHECK(error("1 m").find("unknown unit") != std::string::npos);
}

TEST_CASE("Durations past Go's limit are an error, never an overflow", "[model][duration]") {
  CHECK(ok("2562047h") == std::chrono::hours(2562047));
  CHECK(error("2562048h").find("too large") != std::string::npos);
  CHECK(error("9223372036854775808ns").find("too large") != std::string::npos);
  CHECK(error("99999999999999999999999999s").find("too large") != std::string::npos);
  CHECK(error("99999999999999999999999999").find("too large") != std::string::npos);
  CHECK(error("2562047h2562047h").find("too large") != std::string::npos);
}

TEST_CASE("One formatter writes every duration", "[model][duration]") {
  CHECK(format_duration(250ms) == "250ms");
  CHECK(format_duration(4230ms) == "4.2s");
  CHECK(format_duration(5s) == "5.0s");
  CHECK(format_duration(65s) == "1m05s");
  CHECK(format_duration(90s) == "1m30s");
  CHECK(format_duration(3720s) == "1h02m");
  CHECK(format_duration(-5ms) == "0ms");
}

TEST_CASE("What the formatter writes, the parser reads back", "[model][duration]") {
  for (auto d : {250ms, 4200ms, std::chrono::milliseconds(65s), std::chrono::milliseconds(3720s)}) {
    auto back = parse_duration("--timeout", format_duration(d));
    REQUIRE(back.ok());
    CHECK(*back == d);
  }
}
