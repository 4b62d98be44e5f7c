#include "wavesync/manifest/manifest_stream.hpp"

#include "wavesync/manifest/json_documents.hpp"
#include "wavesync/manifest/limits.hpp"
#include "wavesync/manifest/yaml_documents.hpp"

#include <optional>

namespace wavesync::manifest {
namespace {

// The length of the UTF-8 encoded rune at `i` if it is Unicode white space (Go's
// unicode.IsSpace), else 0.
std::size_t space_rune(std::string_view s, std::size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  if (c == ' ' || (c >= '\t' && c <= '\r')) return 1;
  if (c < 0x80) return 0;
  auto at = [&](std::size_t k) { return i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : 0u; };
  if (c == 0xC2 && (at(1) == 0x85 || at(1) == 0xA0)) return 2;  // U+0085, U+00A0
  if (c == 0xE1 && at(1) == 0x9A && at(2) == 0x80) return 3;     // U+1680
  if (c == 0xE2 && at(1) == 0x80 && ((at(2) >= 0x80 && at(2) <= 0x8A) || at(2) == 0xA8 || at(2) == 0xA9 || at(2) == 0xAF)) {
    return 3;  // U+2000-U+200A, U+2028, U+2029, U+202F
  }
  if (c == 0xE2 && at(1) == 0x81 && at(2) == 0x9F) return 3;  // U+205F
  if (c == 0xE3 && at(1) == 0x80 && at(2) == 0x80) return 3;  // U+3000
  return 0;
}

// k8s.io/apimachinery GuessJSONStream: the first 4096 bytes, less leading white space,
// start with `{`.
bool looks_like_json(std::string_view text) {
  std::string_view head = text.substr(0, 4096);
  std::size_t i = 0;
  while (i < head.size()) {
    std::size_t n = space_rune(head, i);
    if (n == 0 || i + n > head.size()) break;
    i += n;
  }
  return i < head.size() && head[i] == '{';
}

class StreamReader {
 public:
  StreamReader(std::string_view text, const SourceFile& file, Bodies bodies)
      : text_(text), file_(file), bodies_(bodies) {}

  Result<std::vector<YamlDocument>> read() {
    std::size_t yaml_from = 0;
    if (looks_like_json(text_)) {
      auto from = read_json();
      if (!from) return from.error();
      if (*from == text_.size()) return std::move(documents_);
      yaml_from = *from;
    }
    if (auto ok = read_yaml(yaml_from); !ok) return ok.error();
    return std::move(documents_);
  }

 private:
  Result<void> add(YamlDocument document, TextMark where, TextOrigin origin) {
    if (++pieces_ > k_max_documents_per_file) {
      return make_error(locate(file_, origin, where).str() + ": too many YAML documents: expected at most " +
                        std::to_string(k_max_documents_per_file) + " per file");
    }
    if (!document.root.is_null()) documents_.push_back(std::move(document));
    return {};
  }

  // JSON values one after another. After a value that does not parse, kubectl reads the
  // rest as YAML, from the end of the last good value, unless two values were already read.
  // Returns where YAML starts (the text's size when everything was JSON).
  Result<std::size_t> read_json() {
    JsonCursor cursor;
    std::size_t values = 0;
    for (;;) {
      if (!skip_json_space(text_, cursor)) return text_.size();
      const JsonCursor start = cursor;
      JsonCursor after = cursor;
      auto document = parse_json_value(text_, after, file_, budget_);
      if (!document) {
        if (values > 1 || !after.syntax_error) return document.error();
        auto from = yaml_start_after(last_end_);
        if (!from) return document.error();
        json_error_ = document.error();
        return *from;
      }
      ++values;
      last_end_ = after.pos;
      if (auto ok = add(std::move(*document), TextMark{start.line, static_cast<int>(start.pos - start.line_start)},
                        TextOrigin{});
          !ok) {
        return ok.error();
      }
      cursor = after;
    }
  }

  // YAMLOrJSONDecoder.consumeWhitespace: white space up to and including the first line
  // end is dropped. Invalid UTF-8 or the end of the text leave kubectl with the JSON error.
  std::optional<std::size_t> yaml_start_after(std::size_t pos) const {
    while (pos < text_.size()) {
      const auto c = static_cast<unsigned char>(text_[pos]);
      std::size_t n = space_rune(text_, pos);
      if (n == 0) {
        if (c >= 0x80 && !valid_rune_at(pos)) return std::nullopt;
        return pos;
      }
      pos += n;
      if (c == '\n') return pos;
    }
    return std::nullopt;
  }

  bool valid_rune_at(std::size_t pos) const {
    const auto c = static_cast<unsigned char>(text_[pos]);
    std::size_t len = c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 && c <= 0xDF ? 2 : 0;
    if (len == 0 || pos + len > text_.size()) return false;
    for (std::size_t k = 1; k < len; ++k) {
      if ((static_cast<unsigned char>(text_[pos + k]) & 0xC0) != 0x80) return false;
    }
    return true;
  }

  // k8s.io/apimachinery YAMLReader over a LineReader: lines lose `\n` or `\r\n` and get
  // `\n` back; a line starting with `---` ends a document and is dropped.
  Result<void> read_yaml(std::size_t from) {
    int line = 0;
    std::size_t line_start = 0;
    for (std::size_t i = 0; i < from; ++i) {
      if (text_[i] == '\n') {
        ++line;
        line_start = i + 1;
      }
    }
    TextOrigin origin{line, static_cast<int>(from - line_start)};
    std::string piece;
    bool copied = false;       // piece holds the text (else it is text_[piece_begin, pos))
    std::size_t piece_begin = from;
    bool empty = true;
    std::size_t pos = from;
    while (pos < text_.size()) {
      std::size_t nl = text_.find('\n', pos);
      bool last = nl == std::string_view::npos;
      std::size_t end = last ? text_.size() : nl;
      std::size_t content_end = !last && end > pos && text_[end - 1] == '\r' ? end - 1 : end;
      std::string_view content = text_.substr(pos, content_end - pos);
      if (content.substr(0, 3) == "---") {
        std::string_view rest = content.substr(3);
        std::size_t k = 0;
        while (k < rest.size()) {
          std::size_t n = space_rune(rest, k);
          if (n == 0) break;
          k += n;
        }
        if (k < rest.size() && rest[k] != '#') {
          // The rest of the line is not shown: it may be a Secret's value.
          return make_error(locate(file_, TextOrigin{}, TextMark{line, static_cast<int>(pos - line_start)}).str() +
                            ": invalid document separator: expected only a comment after --- on its line (kubectl "
                            "refuses anything else there)");
        }
        if (!empty) {
          if (auto ok = parse_piece(copied ? std::string_view(piece) : text_.substr(piece_begin, pos - piece_begin),
                                    origin);
              !ok) {
            return ok;
          }
        }
        piece.clear();
        copied = false;
        empty = true;
      } else {
        if (empty) {
          origin = TextOrigin{line, static_cast<int>(pos - line_start)};
          piece_begin = pos;
          empty = false;
        }
        // The piece is a plain slice of the text until a line needs changing.
        bool changed = last || content_end != end;
        if (changed && !copied) {
          piece.assign(text_.substr(piece_begin, pos - piece_begin));
          copied = true;
        }
        if (copied) {
          piece.append(content);
          piece += '\n';
        }
      }
      if (last) {
        pos = text_.size();
        break;
      }
      pos = nl + 1;
      ++line;
      line_start = pos;
    }
    if (!empty) {
      return parse_piece(copied ? std::string_view(piece) : text_.substr(piece_begin, pos - piece_begin), origin);
    }
    return {};
  }

  Result<void> parse_piece(std::string_view piece, TextOrigin origin) {
    auto document = parse_first_yaml_document(piece, file_, origin, budget_, bodies_);
    // After a JSON value that did not parse, kubectl reports the JSON problem if the first
    // YAML document fails too.
    std::optional<Error> json_error = std::move(json_error_);
    json_error_.reset();
    if (!document) return json_error ? *json_error : document.error();
    return add(std::move(*document), TextMark{}, origin);
  }

  std::string_view text_;
  SourceFile file_;
  Bodies bodies_;
  AliasBudget budget_;
  std::vector<YamlDocument> documents_;
  std::size_t pieces_ = 0;
  std::size_t last_end_ = 0;
  std::optional<Error> json_error_;
};

}  // namespace

Result<std::vector<YamlDocument>> read_documents(std::string_view text, const SourceFile& file, Bodies bodies) {
  return StreamReader(text, file, bodies).read();
}

}  // namespace wavesync::manifest
