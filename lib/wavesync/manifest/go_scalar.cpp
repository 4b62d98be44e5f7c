#include "wavesync/manifest/go_scalar.hpp"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <optional>

namespace wavesync::manifest {
namespace {

// go-yaml v2 resolve.go: the first byte hints at what a plain scalar may be.
enum class Hint { none, map_only, dot, number };

Hint hint_of(std::string_view s) {
  if (s.empty()) return Hint::map_only;  // "" is null
  char c = s[0];
  if (c == '+' || c == '-' || (c >= '0' && c <= '9')) return Hint::number;
  if (c == '.') return Hint::dot;
  switch (c) {
    case 'y': case 'Y': case 'n': case 'N': case 't': case 'T':
    case 'f': case 'F': case 'o': case 'O': case '~':
      return Hint::map_only;
    default:
      return Hint::none;
  }
}

enum class Kind { null, boolean, integer, floating, string, timestamp };

struct Typed {
  Kind kind;
  Scalar value;
};

// go-yaml v2's resolveMap: exact spellings only.
std::optional<Typed> lookup_map(std::string_view s) {
  static constexpr std::string_view k_true[] = {"y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"};
  static constexpr std::string_view k_false[] = {"n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"};
  static constexpr std::string_view k_null[] = {"", "~", "null", "Null", "NULL"};
  for (auto t : k_true) if (s == t) return Typed{Kind::boolean, true};
  for (auto f : k_false) if (s == f) return Typed{Kind::boolean, false};
  for (auto n : k_null) if (s == n) return Typed{Kind::null, nullptr};
  if (s == ".nan" || s == ".NaN" || s == ".NAN") return Typed{Kind::floating, std::numeric_limits<double>::quiet_NaN()};
  for (std::string_view p : {".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"}) {
    if (s == p) return Typed{Kind::floating, std::numeric_limits<double>::infinity()};
  }
  if (s == "-.inf" || s == "-.Inf" || s == "-.INF") return Typed{Kind::floating, -std::numeric_limits<double>::infinity()};
  return std::nullopt;
}

int digit_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'z') return c - 'a' + 10;
  if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
  return 99;
}

// Go strconv.ParseUint(s, 0, 64) (underscores already removed).
std::optional<std::uint64_t> parse_uint_go(std::string_view s) {
  if (s.empty()) return std::nullopt;
  int base = 10;
  if (s[0] == '0') {
    char p = s.size() >= 3 ? static_cast<char>(s[1] | 0x20) : 0;
    if (p == 'b') { base = 2; s.remove_prefix(2); }
    else if (p == 'o') { base = 8; s.remove_prefix(2); }
    else if (p == 'x') { base = 16; s.remove_prefix(2); }
    else { base = 8; s.remove_prefix(1); }
  }
  std::uint64_t n = 0;
  for (char c : s) {
    int d = digit_value(c);
    if (d >= base) return std::nullopt;
    if (n > (std::numeric_limits<std::uint64_t>::max() - static_cast<unsigned>(d)) / static_cast<unsigned>(base)) {
      return std::nullopt;
    }
    n = n * static_cast<unsigned>(base) + static_cast<unsigned>(d);
  }
  return n;
}

// Go strconv.ParseInt(s, 0, 64).
std::optional<std::int64_t> parse_int_go(std::string_view s) {
  bool negative = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  auto u = parse_uint_go(s);
  if (!u) return std::nullopt;
  constexpr std::uint64_t k_cutoff = std::uint64_t{1} << 63;
  if (!negative && *u >= k_cutoff) return std::nullopt;
  if (negative && *u > k_cutoff) return std::nullopt;
  if (negative) return *u == k_cutoff ? std::numeric_limits<std::int64_t>::min() : -static_cast<std::int64_t>(*u);
  return static_cast<std::int64_t>(*u);
}

bool all_digits(std::string_view s, std::size_t& i) {
  std::size_t start = i;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
  return i > start;
}

// go-yaml v2 yamlStyleFloat: ^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$
bool yaml_style_float(std::string_view s) {
  std::size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  if (i < s.size() && s[i] == '.') {
    ++i;
    if (!all_digits(s, i)) return false;
  } else {
    if (!all_digits(s, i)) return false;
    if (i < s.size() && s[i] == '.') {
      ++i;
      all_digits(s, i);
    }
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    if (!all_digits(s, i)) return false;
  }
  return i == s.size();
}

// Go strconv.ParseFloat for text already known to be a plain decimal float. Overflow is an
// error there (the scalar then stays a string); underflow rounds towards zero.
std::optional<double> parse_float_go(std::string_view s) {
  std::string text(s);
  errno = 0;
  char* end = nullptr;
  double v = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size()) return std::nullopt;
  if (std::isinf(v)) return std::nullopt;
  return v;
}

bool looks_like_timestamp(std::string_view s) {
  // go-yaml v2 parseTimestamp's quick check: every accepted layout starts with "YYYY-".
  if (s.size() < 8) return false;
  for (std::size_t i = 0; i < 4; ++i) if (s[i] < '0' || s[i] > '9') return false;
  return s[4] == '-';
}

// go-yaml v2 resolve() for a scalar that is not forced to a string.
Typed resolve_typed(std::string_view in, bool timestamp_tag) {
  Hint hint = hint_of(in);
  if (hint == Hint::none) return Typed{Kind::string, std::string(in)};
  if (auto m = lookup_map(in)) return *m;
  if (hint == Hint::dot) {
    if (yaml_style_float(in)) {
      if (auto f = parse_float_go(in)) return Typed{Kind::floating, *f};
    }
  } else if (hint == Hint::number) {
    // Plain timestamps stay the original string when decoded into interface{}, so only an
    // explicit !!timestamp needs to know about them.
    if (timestamp_tag && looks_like_timestamp(in)) return Typed{Kind::timestamp, std::string(in)};
    std::string plain;
    plain.reserve(in.size());
    for (char c : in) if (c != '_') plain += c;
    if (auto i = parse_int_go(plain)) return Typed{Kind::integer, *i};
    if (auto u = parse_uint_go(plain)) return Typed{Kind::integer, *u};
    if (yaml_style_float(plain)) {
      if (auto f = parse_float_go(plain)) return Typed{Kind::floating, *f};
    }
  }
  return Typed{Kind::string, std::string(in)};
}

std::optional<std::string> decode_base64(std::string_view in) {
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  std::size_t count = 0;
  std::size_t padding = 0;
  for (char c : in) {
    if (c == '\n' || c == '\r') continue;  // Go's decoder skips line breaks
    int v;
    if (c >= 'A' && c <= 'Z') v = c - 'A';
    else if (c >= 'a' && c <= 'z') v = c - 'a' + 26;
    else if (c >= '0' && c <= '9') v = c - '0' + 52;
    else if (c == '+') v = 62;
    else if (c == '/') v = 63;
    else if (c == '=') { ++padding; ++count; continue; }
    else return std::nullopt;
    if (padding > 0) return std::nullopt;
    ++count;
    buffer = (buffer << 6) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xFF);
    }
  }
  if (count % 4 != 0 || padding > 2) return std::nullopt;
  return out;
}

const char* expected_for(std::string_view tag) {
  if (tag == "int") return "an integer";
  if (tag == "float") return "a number";
  if (tag == "bool") return "true, false, yes, no, on or off";
  if (tag == "null") return "null, ~ or nothing";
  if (tag == "timestamp") return "a date such as 2006-01-02";
  return "a value of that type";
}

// The int64 kubectl reads from Go's JSON text for the whole float `v` (|v| < 1e21): Go
// writes the shortest round-trip digits padded with zeros ('f' format), e.g. 2^63 as
// 9223372036854776000, which no longer fits.
std::optional<std::int64_t> go_whole_float_as_int64(double v) {
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
  std::string_view sci(buf, static_cast<std::size_t>(res.ptr - buf));
  bool negative = !sci.empty() && sci[0] == '-';
  if (negative) sci.remove_prefix(1);
  auto e = sci.find('e');
  std::string digits;
  for (char c : sci.substr(0, e)) {
    if (c != '.') digits += c;
  }
  int exp = std::atoi(std::string(sci.substr(e + 1)).c_str());
  if (exp < 0) return std::int64_t{0};  // only zero is whole with a negative exponent
  auto wanted = static_cast<std::size_t>(exp) + 1;
  if (digits.size() > wanted) return std::nullopt;  // not whole (cannot happen for whole v)
  digits.append(wanted - digits.size(), '0');
  if (negative) digits.insert(digits.begin(), '-');
  std::int64_t out = 0;
  auto parsed = std::from_chars(digits.data(), digits.data() + digits.size(), out);
  if (parsed.ec != std::errc() || parsed.ptr != digits.data() + digits.size()) return std::nullopt;
  return out;
}

}  // namespace

Result<Scalar> resolve_scalar(ScalarForm form, std::string_view tag, std::string_view text) {
  if (form == ScalarForm::string) return Scalar{std::string(text)};
  if (form == ScalarForm::plain) return resolve_typed(text, false).value;

  // Explicit core tag: go-yaml v2 resolves the text and insists the result has that type,
  // except that an integer may be read as a float.
  if (tag == "str") return Scalar{std::string(text)};
  if (tag == "binary") {
    auto decoded = decode_base64(text);
    if (!decoded) return make_error("invalid !!binary value: expected base64 data");
    return Scalar{std::move(*decoded)};
  }
  Kind want;
  if (tag == "int") want = Kind::integer;
  else if (tag == "float") want = Kind::floating;
  else if (tag == "bool") want = Kind::boolean;
  else if (tag == "null") want = Kind::null;
  else if (tag == "timestamp") want = Kind::timestamp;
  else return Scalar{std::string(text)};  // other tags (!!map on a scalar, ...) are ignored

  Typed typed = resolve_typed(text, want == Kind::timestamp);
  if (typed.kind == want) return typed.value;
  if (want == Kind::floating && typed.kind == Kind::integer) {
    if (auto* i = std::get_if<std::int64_t>(&typed.value)) return Scalar{static_cast<double>(*i)};
  }
  // The value is not quoted: the loader cannot know yet whether it belongs to a Secret, and a
  // Secret's value must never reach any output.
  return make_error("invalid !!" + std::string(tag) + " value: expected " + expected_for(tag));
}

Result<nlohmann::json> scalar_to_json(const Scalar& scalar) {
  return std::visit(
      [](const auto& v) -> Result<nlohmann::json> {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::nullptr_t>) {
          return nlohmann::json();
        } else if constexpr (std::is_same_v<T, std::string>) {
          return nlohmann::json(valid_utf8(v));
        } else if constexpr (std::is_same_v<T, double>) {
          if (std::isnan(v) || std::isinf(v)) {
            return make_error(std::string(std::isnan(v) ? "NaN" : "infinity") +
                              " is not a valid JSON number: expected a finite number (quote the value to keep "
                              "it a string)");
          }
          // Go writes whole floats below 1e21 as digits without a fraction (`1.0` -> `1`,
          // shortest digits then zeros), and kubectl reads that text back as an int64 when it
          // fits: keep such values as that integer, so the API server sees what kubectl sends.
          if (v == std::floor(v) && std::fabs(v) < 1e21) {
            if (auto i = go_whole_float_as_int64(v)) return nlohmann::json(*i);
          }
          return nlohmann::json(v);
        } else if constexpr (std::is_same_v<T, std::uint64_t>) {
          // Integers past int64 reach kubectl's object as float64 (k8s.io/apimachinery's
          // util/json keeps only int64 as an integer).
          return scalar_to_json(Scalar{static_cast<double>(v)});
        } else {
          return nlohmann::json(v);
        }
      },
      scalar);
}

std::string format_float32_g(double value) {
  float f = static_cast<float>(value);
  if (std::isnan(f)) return "NaN";
  if (std::isinf(f)) return f > 0 ? "+Inf" : "-Inf";
  if (f == 0) return std::signbit(f) ? "-0" : "0";
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, f, std::chars_format::scientific);
  std::string sci(buf, res.ptr);  // [-]d[.ddd]e[+-]XX, shortest digits
  bool negative = sci[0] == '-';
  if (negative) sci.erase(0, 1);
  auto e = sci.find('e');
  std::string digits = sci.substr(0, e);
  int exp = std::stoi(sci.substr(e + 1));
  digits.erase(std::remove(digits.begin(), digits.end(), '.'), digits.end());
  int nd = static_cast<int>(digits.size());
  int dp = exp + 1;  // decimal point position in Go's terms
  std::string out = negative ? "-" : "";
  // Go: %e when the exponent is < -4 or >= 6 (the shortest-precision rule), else %f.
  if (exp < -4 || exp >= 6) {
    out += digits[0];
    if (nd > 1) {
      out += '.';
      out.append(digits, 1, std::string::npos);
    }
    out += exp < 0 ? "e-" : "e+";
    int a = exp < 0 ? -exp : exp;
    if (a < 10) out += '0';
    out += std::to_string(a);
    return out;
  }
  if (dp <= 0) {
    out += "0.";
    out.append(static_cast<std::size_t>(-dp), '0');
    out += digits;
  } else if (dp >= nd) {
    out += digits;
    out.append(static_cast<std::size_t>(dp - nd), '0');
  } else {
    out += digits.substr(0, static_cast<std::size_t>(dp)) + "." + digits.substr(static_cast<std::size_t>(dp));
  }
  return out;
}

Result<std::string> scalar_to_key(const Scalar& scalar) {
  if (auto* s = std::get_if<std::string>(&scalar)) return valid_utf8(*s);
  if (auto* b = std::get_if<bool>(&scalar)) return std::string(*b ? "true" : "false");
  if (auto* i = std::get_if<std::int64_t>(&scalar)) return std::to_string(*i);
  if (auto* d = std::get_if<double>(&scalar)) {
    std::string s = format_float32_g(*d);
    if (s == "+Inf") return std::string(".inf");
    if (s == "-Inf") return std::string("-.inf");
    if (s == "NaN") return std::string(".nan");
    return s;
  }
  if (std::holds_alternative<std::uint64_t>(scalar)) {
    return make_error("unsupported map key " + std::to_string(std::get<std::uint64_t>(scalar)) +
                      ": expected an integer key below 2^63 (quote it to make it a string)");
  }
  return make_error("unsupported map key null: expected a string, number or boolean (quote it to make it a string)");
}

Result<std::string> json_to_key(const nlohmann::json& value) {
  switch (value.type()) {
    case nlohmann::json::value_t::string: return value.get<std::string>();
    case nlohmann::json::value_t::boolean: return scalar_to_key(Scalar{value.get<bool>()});
    case nlohmann::json::value_t::number_integer: return scalar_to_key(Scalar{value.get<std::int64_t>()});
    case nlohmann::json::value_t::number_unsigned: {
      auto u = value.get<std::uint64_t>();
      if (u <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
        return scalar_to_key(Scalar{static_cast<std::int64_t>(u)});
      }
      return scalar_to_key(Scalar{u});
    }
    case nlohmann::json::value_t::number_float: return scalar_to_key(Scalar{value.get<double>()});
    case nlohmann::json::value_t::null: return scalar_to_key(Scalar{nullptr});
    default: return make_error("invalid map key: expected a scalar, found " + describe_json_type(value));
  }
}

std::string valid_utf8(std::string text) {
  auto is_cont = [&](std::size_t i) { return i < text.size() && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80; };
  // Fast path: most manifests are ASCII.
  bool ascii = true;
  for (char c : text) {
    if (static_cast<unsigned char>(c) >= 0x80) { ascii = false; break; }
  }
  if (ascii) return text;
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    auto c = static_cast<unsigned char>(text[i]);
    std::size_t len = 0;
    std::uint32_t cp = 0;
    if (c < 0x80) len = 1, cp = c;
    else if (c >= 0xC2 && c <= 0xDF) len = 2, cp = c & 0x1F;
    else if (c >= 0xE0 && c <= 0xEF) len = 3, cp = c & 0x0F;
    else if (c >= 0xF0 && c <= 0xF4) len = 4, cp = c & 0x07;
    bool ok = len > 0;
    for (std::size_t k = 1; ok && k < len; ++k) {
      if (!is_cont(i + k)) ok = false;
      else cp = (cp << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
    }
    if (ok && ((len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)))) {
      ok = false;
    }
    if (ok) {
      out.append(text, i, len);
      i += len;
    } else {
      out += "\xEF\xBF\xBD";
      ++i;
    }
  }
  return out;
}

std::string describe_json_type(const nlohmann::json& value) {
  switch (value.type()) {
    case nlohmann::json::value_t::null: return "null";
    case nlohmann::json::value_t::boolean: return "a boolean";
    case nlohmann::json::value_t::string: return "a string";
    case nlohmann::json::value_t::array: return "a list";
    case nlohmann::json::value_t::object: return "a mapping";
    default: return "a number";
  }
}

}  // namespace wavesync::manifest
