// YAML 1.1 scalar typing as kubectl does it (go-yaml v2 + Go encoding/json).
#include "manifest/manifest_test_util.hpp"
#include "wavesync/manifest/go_scalar.hpp"

using namespace wavesync::manifest;
using namespace wavesync::manifest::testing;
using nlohmann::json;

TEST_CASE("every spelling of true that go-yaml v2 accepts is the boolean true", "[manifest][yaml]") {
  for (const char* s : {"y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"}) {
    INFO(s);
    CHECK(value_of(s) == json(true));
  }
}

TEST_CASE("every spelling of false that go-yaml v2 accepts is the boolean false", "[manifest][yaml]") {
  for (const char* s : {"n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"}) {
    INFO(s);
    CHECK(value_of(s) == json(false));
  }
}

TEST_CASE("mixed-case boolean look-alikes stay strings", "[manifest][yaml]") {
  for (const char* s : {"yEs", "oN", "tRUE", "nO", "Offf", "o"}) {
    INFO(s);
    CHECK(value_of(s) == json(s));
  }
}

TEST_CASE("quoted and block scalars stay strings", "[manifest][yaml]") {
  CHECK(value_of("\"yes\"") == json("yes"));
  CHECK(value_of("'on'") == json("on"));
  CHECK(value_of("\"0777\"") == json("0777"));
  CHECK(value_of("'1.0'") == json("1.0"));
  CHECK(value_of("'null'") == json("null"));
  CHECK(value_of("|\n    yes") == json("yes\n"));
  CHECK(value_of(">-\n    123") == json("123"));
}

TEST_CASE("tilde, null in three spellings and an empty value are null", "[manifest][yaml]") {
  for (const char* s : {"~", "null", "Null", "NULL", ""}) {
    INFO(s);
    CHECK(value_of(s).is_null());
  }
  CHECK(value_of("nULL") == json("nULL"));
}

TEST_CASE("integers follow Go ParseInt with base prefixes and a leading-zero octal", "[manifest][yaml]") {
  CHECK(value_of("0777") == json(511));
  CHECK(value_of("0o17") == json(15));
  CHECK(value_of("0x1F") == json(31));
  CHECK(value_of("0X1f") == json(31));
  CHECK(value_of("0b101") == json(5));
  CHECK(value_of("-0x10") == json(-16));
  CHECK(value_of("+5") == json(5));
  CHECK(value_of("1_000") == json(1000));
  CHECK(value_of("0") == json(0));
  CHECK(value_of("-9223372036854775808").dump() == "-9223372036854775808");
}

TEST_CASE("integers beyond int64 become floats, as kubectl's object holds them", "[manifest][yaml]") {
  CHECK(value_of("9223372036854775807").dump() == "9223372036854775807");
  // go-yaml v2 reads a uint64, but kubectl's util/json reads the JSON back as float64.
  CHECK(value_of("18446744073709551615").dump() == "1.8446744073709552e+19");
  CHECK(value_of("9223372036854775808").is_number_float());
  json beyond = value_of("18446744073709551616");
  CHECK(beyond.is_number_float());
  CHECK(beyond.get<double>() == 18446744073709551616.0);
}

TEST_CASE("an invalid octal such as 08 falls through to a float and prints as 8", "[manifest][yaml]") {
  CHECK(value_of("08").dump() == "8");
  CHECK(value_of("09.5").dump() == "9.5");
}

TEST_CASE("whole floats print without a fraction as Go's encoding/json does", "[manifest][yaml]") {
  CHECK(value_of("1.0").dump() == "1");
  CHECK(value_of("-2.0").dump() == "-2");
  CHECK(value_of("1e3").dump() == "1000");
  CHECK(value_of("1.").dump() == "1");
  CHECK(value_of("-0.0").dump() == "0");
  CHECK(value_of("1.5").dump() == "1.5");
  CHECK(value_of(".5").dump() == "0.5");
  CHECK(value_of("-.5").dump() == "-0.5");
  CHECK(value_of("2.5e-3").dump() == "0.0025");
}

TEST_CASE("a float too large for float64 stays a string as in go-yaml v2", "[manifest][yaml]") {
  CHECK(value_of("1e400") == json("1e400"));
}

TEST_CASE("infinity and NaN are rejected because JSON cannot carry them", "[manifest][yaml]") {
  const std::string inf =
      "m.yaml:6:6: infinity is not a valid JSON number: expected a finite number (quote the value to keep it a string)";
  CHECK(value_error(".inf") == inf);
  CHECK(value_error("-.Inf") == inf);
  CHECK(value_error("+.INF") == inf);
  CHECK(value_error(".nan") ==
        "m.yaml:6:6: NaN is not a valid JSON number: expected a finite number (quote the value to keep it a string)");
  CHECK(value_of(".inF") == json(".inF"));
}

TEST_CASE("timestamps, versions and other text stay strings", "[manifest][yaml]") {
  CHECK(value_of("2021-01-01") == json("2021-01-01"));
  CHECK(value_of("2001-12-14t21:59:43.10-05:00") == json("2001-12-14t21:59:43.10-05:00"));
  CHECK(value_of("1.2.3") == json("1.2.3"));
  CHECK(value_of("0x") == json("0x"));
  CHECK(value_of("12:30") == json("12:30"));
  CHECK(value_of("<<") == json("<<"));
}

TEST_CASE("explicit tags win over plain typing", "[manifest][yaml]") {
  CHECK(value_of("!!str 123") == json("123"));
  CHECK(value_of("!!str yes") == json("yes"));
  CHECK(value_of("!!str") == json(""));
  CHECK(value_of("!!int \"42\"") == json(42));
  CHECK(value_of("!!int 0777") == json(511));
  CHECK(value_of("!!bool \"yes\"") == json(true));
  CHECK(value_of("!!float 5").dump() == "5");
  CHECK(value_of("!!float 2.5").dump() == "2.5");
  CHECK(value_of("!!null ''").is_null());
  CHECK(value_of("!!binary aGVsbG8=") == json("hello"));
  CHECK(value_of("!!timestamp 2021-01-01") == json("2021-01-01"));
}

TEST_CASE("local and non-specific tags keep the raw text as a string", "[manifest][yaml]") {
  CHECK(value_of("!Ref 5") == json("5"));
  CHECK(value_of("! yes") == json("yes"));
}

TEST_CASE("an explicit tag whose value does not parse is an error", "[manifest][yaml]") {
  CHECK(value_error("!!int abc") == "m.yaml:6:6: invalid !!int value: expected an integer");
  CHECK(value_error("!!int 1.5") == "m.yaml:6:6: invalid !!int value: expected an integer");
  CHECK(value_error("!!bool maybe") ==
        "m.yaml:6:6: invalid !!bool value: expected true, false, yes, no, on or off");
  CHECK(value_error("!!null x") == "m.yaml:6:6: invalid !!null value: expected null, ~ or nothing");
  CHECK(value_error("!!float abc") == "m.yaml:6:6: invalid !!float value: expected a number");
  CHECK(value_error("!!binary '***'") == "m.yaml:6:6: invalid !!binary value: expected base64 data");
}

TEST_CASE("Go formats float map keys with 32-bit precision", "[manifest][yaml]") {
  CHECK(format_float32_g(1.5) == "1.5");
  CHECK(format_float32_g(1.0) == "1");
  CHECK(format_float32_g(0.1) == "0.1");
  CHECK(format_float32_g(123456.0) == "123456");
  CHECK(format_float32_g(1234567.0) == "1.234567e+06");
  CHECK(format_float32_g(1e21) == "1e+21");
  CHECK(format_float32_g(0.0001) == "0.0001");
  CHECK(format_float32_g(0.00001) == "1e-05");
  CHECK(format_float32_g(3.14159265358979) == "3.1415927");
  CHECK(format_float32_g(-2.5) == "-2.5");
}

TEST_CASE("invalid UTF-8 is replaced by U+FFFD as Go's encoding/json does", "[manifest][yaml]") {
  CHECK(valid_utf8("abc") == "abc");
  CHECK(valid_utf8("caf\xC3\xA9") == "caf\xC3\xA9");
  CHECK(valid_utf8("a\xFF" "b") == "a\xEF\xBF\xBD" "b");
  CHECK(valid_utf8("\xC3") == "\xEF\xBF\xBD");
  CHECK(value_of("!!binary /w==") == json("\xEF\xBF\xBD"));
}
