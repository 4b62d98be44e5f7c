#include "wavesync/manifest/json_documents.hpp"

#include "wavesync/manifest/go_scalar.hpp"

#include <charconv>
#include <cmath>
#include <cstdlib>

namespace wavesync::manifest {
namespace {

class JsonReader {
 public:
  JsonReader(std::string_view text, JsonCursor cursor, const SourceFile& file, AliasBudget& budget)
      : text_(text), pos_(cursor.pos), file_(file), builder_(file, TextOrigin{}, budget), line_(cursor.line),
        line_start_(cursor.line_start) {}

  JsonCursor cursor() const { return JsonCursor{pos_, line_, line_start_, syntax_error_}; }

  Result<YamlDocument> read() {
    skip_space();
    if (auto ok = value(); !ok) return ok.error();
    return builder_.finish();
  }

  bool at_value() {
    skip_space();
    return pos_ < text_.size();
  }

 private:
  TextMark mark() const { return TextMark{line_, static_cast<int>(pos_ - line_start_)}; }

  Error fail(const std::string& what) {
    syntax_error_ = true;
    return make_error(locate(file_, TextOrigin{}, mark()).str() + ": invalid JSON: " + what);
  }

  Error unexpected(const char* expected) {
    if (pos_ >= text_.size()) return fail(std::string("unexpected end of input: expected ") + expected);
    const auto c = static_cast<unsigned char>(text_[pos_]);
    std::string shown = c >= 0x20 && c < 0x7F ? std::string("'") + static_cast<char>(c) + "'" : "byte " + std::to_string(c);
    return fail("unexpected " + shown + ": expected " + expected);
  }

  void skip_space() {
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      if (c == '\n') {
        ++line_;
        line_start_ = pos_ + 1;
      } else if (c != ' ' && c != '\t' && c != '\r') {
        return;
      }
      ++pos_;
    }
  }

  bool literal(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }

  Result<void> value() {
    if (++depth_ > 10000) return fail("nesting deeper than 10000 levels");
    const TextMark at = mark();
    if (pos_ >= text_.size()) return unexpected("a value");
    Result<void> ok;
    switch (text_[pos_]) {
      case '{': ok = object(); break;
      case '[': ok = array(); break;
      case '"': {
        auto s = string();
        if (!s) return s.error();
        ok = builder_.value(at, nlohmann::json(std::move(*s)));
        break;
      }
      case 't':
        if (!literal("true")) return unexpected("true");
        ok = builder_.value(at, nlohmann::json(true));
        break;
      case 'f':
        if (!literal("false")) return unexpected("false");
        ok = builder_.value(at, nlohmann::json(false));
        break;
      case 'n':
        if (!literal("null")) return unexpected("null");
        ok = builder_.value(at, nlohmann::json());
        break;
      default: ok = number(at); break;
    }
    --depth_;
    return ok;
  }

  Result<void> object() {
    if (auto ok = builder_.start(mark(), true, {}); !ok) return ok;
    ++pos_;
    skip_space();
    if (consume('}')) return builder_.end();
    for (;;) {
      skip_space();
      if (pos_ >= text_.size() || text_[pos_] != '"') return unexpected("a string key");
      const TextMark at = mark();
      auto key = string();
      if (!key) return key.error();
      if (auto ok = builder_.value(at, nlohmann::json(std::move(*key))); !ok) return ok;
      skip_space();
      if (!consume(':')) return unexpected("':' after an object key");
      skip_space();
      if (auto ok = value(); !ok) return ok;
      skip_space();
      if (consume(',')) continue;
      if (consume('}')) return builder_.end();
      return unexpected("',' or '}' after an object value");
    }
  }

  // Steps over `c` when it is next; false, moving nothing, otherwise.
  bool consume(char c) {
    if (pos_ >= text_.size() || text_[pos_] != c) return false;
    ++pos_;
    return true;
  }

  Result<void> array() {
    if (auto ok = builder_.start(mark(), false, {}); !ok) return ok;
    ++pos_;
    skip_space();
    if (consume(']')) return builder_.end();
    for (;;) {
      skip_space();
      if (auto ok = value(); !ok) return ok;
      skip_space();
      if (consume(',')) continue;
      if (consume(']')) return builder_.end();
      return unexpected("',' or ']' after an array element");
    }
  }

  static int hex(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }

  // Four hex digits after `\u` at pos_, or -1.
  long hex4(std::size_t at) const {
    if (at + 4 > text_.size()) return -1;
    long v = 0;
    for (std::size_t i = 0; i < 4; ++i) {
      int h = hex(text_[at + i]);
      if (h < 0) return -1;
      v = v * 16 + h;
    }
    return v;
  }

  static void append_utf8(std::string& out, unsigned long cp) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }

  // Go's encoding/json unquote: raw bytes are kept except that invalid UTF-8 becomes U+FFFD;
  // a lone surrogate escape becomes U+FFFD too.
  Result<std::string> string() {
    ++pos_;
    std::string raw;
    for (;;) {
      if (pos_ >= text_.size()) return unexpected("'\"' to end the string");
      const auto c = static_cast<unsigned char>(text_[pos_]);
      if (c == '"') break;
      if (c < 0x20) return fail("control character in a string: expected it escaped");
      if (c == '\\') {
        if (pos_ + 1 >= text_.size()) return unexpected("an escape");
        char e = text_[pos_ + 1];
        pos_ += 2;
        switch (e) {
          case '"': raw += '"'; break;
          case '\\': raw += '\\'; break;
          case '/': raw += '/'; break;
          case 'b': raw += '\b'; break;
          case 'f': raw += '\f'; break;
          case 'n': raw += '\n'; break;
          case 'r': raw += '\r'; break;
          case 't': raw += '\t'; break;
          case 'u': {
            long cp = hex4(pos_);
            if (cp < 0) return fail("invalid \\u escape: expected four hex digits");
            pos_ += 4;
            if (cp >= 0xD800 && cp < 0xE000) {
              long low = -1;
              if (cp < 0xDC00 && text_.substr(pos_, 2) == "\\u") low = hex4(pos_ + 2);
              if (low >= 0xDC00 && low < 0xE000) {
                pos_ += 6;
                cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
              } else {
                cp = 0xFFFD;
              }
            }
            append_utf8(raw, static_cast<unsigned long>(cp));
            break;
          }
          default:
            pos_ -= 1;
            return fail("invalid escape in a string");
        }
        continue;
      }
      raw += static_cast<char>(c);
      ++pos_;
    }
    ++pos_;
    return valid_utf8(std::move(raw));
  }

  // Go's JSON number grammar, then apimachinery's util/json: int64 when it parses as one,
  // else float64 (out of range is an error).
  Result<void> number(TextMark at) {
    const std::size_t start = pos_;
    auto digits = [&] {
      std::size_t s = pos_;
      while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') ++pos_;
      return pos_ > s;
    };
    if (pos_ < text_.size() && text_[pos_] == '-') ++pos_;
    if (pos_ < text_.size() && text_[pos_] == '0') {
      ++pos_;
    } else if (!digits()) {
      return unexpected("a value");
    }
    bool integer = true;
    if (pos_ < text_.size() && text_[pos_] == '.') {
      ++pos_;
      integer = false;
      if (!digits()) return unexpected("a digit after '.'");
    }
    if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
      ++pos_;
      integer = false;
      if (pos_ < text_.size() && (text_[pos_] == '+' || text_[pos_] == '-')) ++pos_;
      if (!digits()) return unexpected("a digit in the exponent");
    }
    std::string_view s = text_.substr(start, pos_ - start);
    if (integer) {
      std::int64_t i = 0;
      auto r = std::from_chars(s.data(), s.data() + s.size(), i);
      if (r.ec == std::errc() && r.ptr == s.data() + s.size()) return builder_.value(at, nlohmann::json(i));
    }
    std::string copy(s);
    double d = std::strtod(copy.c_str(), nullptr);
    if (std::isinf(d)) {
      return make_error(locate(file_, TextOrigin{}, at).str() + ": number " + copy +
                        " is out of range: expected a 64-bit floating point number");
    }
    auto json = scalar_to_json(Scalar{d});
    if (!json) return make_error(locate(file_, TextOrigin{}, at).str() + ": " + json.error().message);
    return builder_.value(at, std::move(*json));
  }

  std::string_view text_;
  std::size_t pos_;
  SourceFile file_;
  DocumentBuilder builder_;
  int line_ = 0;
  std::size_t line_start_ = 0;
  int depth_ = 0;
  bool syntax_error_ = false;
};

}  // namespace

Result<YamlDocument> parse_json_value(std::string_view text, JsonCursor& cursor, const SourceFile& file,
                                      AliasBudget& budget) {
  JsonReader reader(text, cursor, file, budget);
  auto document = reader.read();
  cursor = reader.cursor();
  return document;
}

bool skip_json_space(std::string_view text, JsonCursor& cursor) {
  static const std::string k_none;
  AliasBudget unused;
  JsonReader reader(text, cursor, k_none, unused);
  bool more = reader.at_value();
  cursor = reader.cursor();
  return more;
}

}  // namespace wavesync::manifest
