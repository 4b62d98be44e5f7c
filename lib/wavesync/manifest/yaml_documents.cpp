#include "wavesync/manifest/yaml_documents.hpp"

#include <yaml.h>

#include <algorithm>
#include <optional>
#include <vector>

namespace wavesync::manifest {
namespace {

constexpr std::string_view k_core_tag_prefix = "tag:yaml.org,2002:";

// Owns libyaml's parser and its current event.
class Parser {
 public:
  explicit Parser(std::string_view text) {
    yaml_parser_initialize(&parser_);
    yaml_parser_set_input_string(&parser_, reinterpret_cast<const unsigned char*>(text.data()), text.size());
  }
  ~Parser() {
    if (has_event_) yaml_event_delete(&event_);
    yaml_parser_delete(&parser_);
  }
  Parser(const Parser&) = delete;
  Parser& operator=(const Parser&) = delete;

  bool next() {
    if (has_event_) yaml_event_delete(&event_);
    has_event_ = yaml_parser_parse(&parser_, &event_) != 0;
    return has_event_;
  }
  const yaml_event_t& event() const { return event_; }
  const yaml_parser_t& state() const { return parser_; }

 private:
  yaml_parser_t parser_{};
  yaml_event_t event_{};
  bool has_event_ = false;
};

TextMark mark_of(const yaml_mark_t& m) { return TextMark{static_cast<int>(m.line), static_cast<int>(m.column)}; }

// The line and column (in characters) of a byte offset, for the reader's errors, which
// carry only an offset.
TextMark mark_at_offset(std::string_view text, std::size_t offset) {
  TextMark m;
  offset = std::min(offset, text.size());
  for (std::size_t i = 0; i < offset; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '\n' || (c == '\r' && (i + 1 >= text.size() || text[i + 1] != '\n'))) {
      ++m.line;
      m.column = 0;
    } else if ((c & 0xC0) != 0x80 && c != '\r') {
      ++m.column;
    }
  }
  return m;
}

Error syntax_error(const Parser& p, std::string_view text, const SourceFile& file, TextOrigin origin) {
  const yaml_parser_t& s = p.state();
  std::string what = s.problem ? s.problem : "cannot parse";
  TextMark mark;
  if (s.error == YAML_READER_ERROR) {
    mark = mark_at_offset(text, s.problem_offset);
    if (s.problem_value != -1) what += " (byte 0x" + [&] {
        static constexpr char k_hex[] = "0123456789abcdef";
        auto v = static_cast<unsigned>(s.problem_value) & 0xFFu;
        return std::string{k_hex[v >> 4], k_hex[v & 15]};
      }() + ")";
  } else {
    mark = mark_of(s.problem_mark);
    if (s.context) {
      what += std::string(" ") + s.context;
      if (s.context_mark.line != s.problem_mark.line || s.context_mark.column != s.problem_mark.column) {
        SourceLocation c = locate(file, origin, mark_of(s.context_mark));
        what += " started at " + std::to_string(c.line) + ":" + std::to_string(c.column);
      }
    }
  }
  if (s.error == YAML_MEMORY_ERROR) what = "out of memory";
  return make_error(locate(file, origin, mark).str() + ": invalid YAML: " + what);
}

std::string_view view(const yaml_char_t* s) {
  return s ? std::string_view(reinterpret_cast<const char*>(s)) : std::string_view();
}

// libyaml counts positions in characters; the checks below need byte offsets. Events come
// in text order, so the walk resumes where the last one stopped.
class Offsets {
 public:
  explicit Offsets(std::string_view text) : text_(text) {
    if (text.substr(0, 3) == "\xEF\xBB\xBF") base_ = byte_ = 3;  // libyaml does not count the BOM
    ascii_ = std::all_of(text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0x80) == 0; });
  }
  std::size_t byte_of(std::size_t index) {
    if (ascii_) return std::min(base_ + index, text_.size());  // one byte per character
    if (index < index_) {
      index_ = 0;
      byte_ = base_;
    }
    while (index_ < index && byte_ < text_.size()) {
      ++byte_;
      while (byte_ < text_.size() && (static_cast<unsigned char>(text_[byte_]) & 0xC0) == 0x80) ++byte_;
      ++index_;
    }
    return byte_;
  }

 private:
  std::string_view text_;
  std::size_t base_ = 0;
  bool ascii_ = false;
  std::size_t index_ = 0;
  std::size_t byte_ = 0;
};

// A change made to the text so that libyaml reads it as go-yaml v2 does.
struct Rewrite {
  std::size_t offset;  // byte offset of the changed character
  char original;       // what go-yaml v2 reads there
};

bool is_blank_or_end(std::string_view s, std::size_t i) {
  return i >= s.size() || s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r';
}

// Where a node's tag starts in `text` (its source runs from `begin`): after an anchor, if
// any. npos when the node has no tag written there.
std::size_t tag_start(std::string_view text, std::size_t begin, std::size_t end) {
  std::size_t i = begin;
  if (i < end && text[i] == '&') {
    while (i < end && !is_blank_or_end(text, i)) ++i;
    while (i < end && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r')) ++i;
  }
  return i < end && text[i] == '!' ? i : std::string_view::npos;
}

// One parse of a piece: libyaml's events into the builder, with the checks for what
// libyaml 0.2.5 reads differently from go-yaml v2.
class Attempt {
 public:
  Attempt(std::string_view original, std::string_view text, const std::vector<Rewrite>& rewrites,
          const SourceFile& file, TextOrigin origin, AliasBudget& budget, Bodies bodies)
      : original_(original), text_(text), rewrites_(rewrites), file_(file), origin_(origin),
        builder_(file, origin, budget, bodies), offsets_(text), parser_(text) {}

  // A document, an error, a rewrite that makes libyaml read the text as go-yaml v2 does, or
  // (Bodies::text) a document to be read as a tree; then the caller parses again.
  struct Outcome {
    std::optional<YamlDocument> document;
    std::optional<Error> error;
    std::optional<Rewrite> rewrite;
    bool as_tree = false;
  };

  Outcome run() {
    const bool utf16 = original_.substr(0, 2) == "\xFF\xFE" || original_.substr(0, 2) == "\xFE\xFF";
    for (;;) {
      if (!parser_.next()) return on_syntax_error();
      const yaml_event_t& e = parser_.event();
      const TextMark mark = mark_of(e.start_mark);
      Result<void> ok;
      switch (e.type) {
        case YAML_STREAM_END_EVENT:
        case YAML_DOCUMENT_END_EVENT:
          return Outcome{builder_.finish(), std::nullopt, std::nullopt};
        case YAML_SCALAR_EVENT: {
          const auto& s = e.data.scalar;
          if (!utf16) {
            Outcome o = check_scalar(e);
            if (o.error || o.rewrite) return o;
          }
          std::string_view tag = view(s.tag);
          ScalarForm form = ScalarForm::string;
          if (tag.empty()) {
            if (s.plain_implicit) form = ScalarForm::plain;
          } else if (tag.substr(0, k_core_tag_prefix.size()) == k_core_tag_prefix) {
            form = ScalarForm::tagged;
            tag.remove_prefix(k_core_tag_prefix.size());
          }
          std::string_view value(reinterpret_cast<const char*>(s.value), s.length);
          std::string restored;
          if (!rewrites_.empty() && !utf16) {
            if (auto r = restore(e, value)) {
              restored = std::move(*r);
              value = restored;
            }
          }
          ok = builder_.scalar(mark, form, tag, value, view(s.anchor));
          break;
        }
        case YAML_ALIAS_EVENT:
          ok = builder_.alias(mark, view(e.data.alias.anchor));
          break;
        case YAML_SEQUENCE_START_EVENT:
        case YAML_MAPPING_START_EVENT: {
          const bool map = e.type == YAML_MAPPING_START_EVENT;
          if (!utf16 && flow_level_ > 0 && (map ? e.data.mapping_start.tag : e.data.sequence_start.tag)) {
            if (auto r = tag_ended_by_comma(e)) return Outcome{std::nullopt, std::nullopt, r};
          }
          const bool flow = map ? e.data.mapping_start.style == YAML_FLOW_MAPPING_STYLE
                                : e.data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE;
          flow_.push_back(flow);
          if (flow) ++flow_level_;
          ok = builder_.start(mark, map, view(map ? e.data.mapping_start.anchor : e.data.sequence_start.anchor));
          break;
        }
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT:
          if (!flow_.empty()) {
            if (flow_.back()) --flow_level_;
            flow_.pop_back();
          }
          ok = builder_.end();
          break;
        default:
          break;
      }
      if (!ok) return Outcome{std::nullopt, ok.error(), std::nullopt};
      if (builder_.wants_tree()) return Outcome{std::nullopt, std::nullopt, std::nullopt, true};
    }
  }

 private:
  Error error_at(std::size_t byte, const std::string& what) const {
    TextMark m = mark_at_offset(text_, byte);
    if (text_.substr(0, 3) == "\xEF\xBB\xBF") {
      m = mark_at_offset(text_.substr(3), byte - 3);
    }
    return make_error(locate(file_, origin_, m).str() + ": invalid YAML: " + what);
  }

  Outcome on_syntax_error() {
    const yaml_parser_t& s = parser_.state();
    const std::string problem = s.problem ? s.problem : "";
    if (s.error == YAML_SCANNER_ERROR) {
      const std::size_t at = offsets_.byte_of(s.problem_mark.index);
      const std::string context = s.context ? s.context : "";
      // go-yaml v2 reads `\'` in a double-quoted scalar as `'`; libyaml 0.2.5 refuses it.
      // `\a` is read instead and its BEL turned back into `'`.
      if (problem == "found unknown escape character" && at + 1 < text_.size() && text_[at] == '\\' &&
          text_[at + 1] == '\'') {
        return Outcome{std::nullopt, std::nullopt, Rewrite{at + 1, '\''}};
      }
      // go-yaml v2 keeps a `:` followed by a flow indicator inside a plain scalar.
      if (problem == "found unexpected ':'" && at < text_.size() && text_[at] == ':') {
        return Outcome{std::nullopt, std::nullopt, Rewrite{at, ':'}};
      }
      // go-yaml v2 reads `,`, `[` and `]` as part of a tag; libyaml 0.2.5 ends the tag there.
      if (context == "while scanning a tag" && at < text_.size() &&
          (text_[at] == ',' || text_[at] == '[' || text_[at] == ']')) {
        return Outcome{std::nullopt, std::nullopt, Rewrite{at, text_[at]}};
      }
    }
    return Outcome{std::nullopt, syntax_error(parser_, text_, file_, origin_), std::nullopt};
  }

  // In flow context libyaml 0.2.5 ends a tag at `,` without complaint; go-yaml v2 reads on.
  std::optional<Rewrite> tag_ended_by_comma(const yaml_event_t& e) {
    const std::size_t begin = offsets_.byte_of(e.start_mark.index);
    const std::size_t end = offsets_.byte_of(e.end_mark.index);
    std::size_t t = tag_start(text_, begin, std::max(end, begin + 1));
    if (t == std::string_view::npos) return std::nullopt;
    std::size_t i = t;
    while (i < text_.size() && !is_blank_or_end(text_, i) && text_[i] != ',') ++i;
    if (i < text_.size() && text_[i] == ',') return Rewrite{i, ','};
    return std::nullopt;
  }

  Outcome check_scalar(const yaml_event_t& e) {
    const auto& s = e.data.scalar;
    const std::size_t begin = offsets_.byte_of(e.start_mark.index);
    const std::size_t end = offsets_.byte_of(e.end_mark.index);
    std::string_view source = text_.substr(begin, end > begin ? end - begin : 0);
    if (s.tag && flow_level_ > 0) {
      if (auto r = tag_ended_by_comma(e)) return Outcome{std::nullopt, std::nullopt, r};
    }
    if (s.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE) {
      // go-yaml v2 does not know the `\/` escape that libyaml 0.2.5 accepts.
      std::size_t q = source.find('"');
      for (std::size_t i = q == std::string_view::npos ? source.size() : q + 1; i + 1 < source.size(); ++i) {
        if (source[i] != '\\') continue;
        if (source[i + 1] == '/') {
          return Outcome{std::nullopt,
                         error_at(begin + i, "found unknown escape character while parsing a quoted scalar"),
                         std::nullopt};
        }
        ++i;
      }
    } else if (s.style == YAML_PLAIN_SCALAR_STYLE && flow_level_ > 0) {
      // go-yaml v2 ends a plain scalar at `?` in flow context, and the `?` then stands
      // where a `,` is expected.
      std::size_t t = s.tag ? tag_start(text_, begin, end) : std::string_view::npos;
      std::size_t from = 0;
      if (t != std::string_view::npos || (!source.empty() && source[0] == '&')) {
        while (from < source.size() && !is_blank_or_end(source, from)) ++from;
      }
      std::size_t q = source.find('?', from + 1);
      if (q != std::string_view::npos) {
        return Outcome{std::nullopt, error_at(begin + q, "did not find expected ',' or ']' (or '}')"),
                       std::nullopt};
      }
    }
    return {};
  }

  // The scalar's value as go-yaml v2 reads it, when rewrites fall inside its source.
  std::optional<std::string> restore(const yaml_event_t& e, std::string_view value) {
    const std::size_t begin = offsets_.byte_of(e.start_mark.index);
    const std::size_t end = offsets_.byte_of(e.end_mark.index);
    std::string out(value);
    bool changed = false;
    for (const Rewrite& r : rewrites_) {
      if (r.offset < begin || r.offset >= end || r.original == ',' || r.original == '[' || r.original == ']') {
        continue;
      }
      // The rewritten character stands for `placeholder` in the value; count the ones
      // before it in the source to find its place in the value.
      const char placeholder = r.original == '\'' ? '\a' : 'x';
      std::size_t k = 0;
      if (placeholder == 'x') {
        for (std::size_t i = begin; i < r.offset; ++i) k += text_[i] == 'x';
      } else {
        for (std::size_t i = begin; i < r.offset; ++i) {
          if (text_[i] == '\\' && i + 1 < r.offset) {
            k += text_[i + 1] == 'a';
            ++i;
          }
        }
      }
      for (std::size_t i = 0, seen = 0; i < out.size(); ++i) {
        if (out[i] != placeholder) continue;
        if (seen++ == k) {
          out[i] = r.original;
          changed = true;
          break;
        }
      }
    }
    if (!changed) return std::nullopt;
    return out;
  }

  std::string_view original_;
  std::string_view text_;
  const std::vector<Rewrite>& rewrites_;
  SourceFile file_;
  TextOrigin origin_;
  DocumentBuilder builder_;
  Offsets offsets_;
  Parser parser_;
  std::vector<bool> flow_;
  int flow_level_ = 0;
};

// Enough for any real manifest; past it the text is read as libyaml reads it.
constexpr std::size_t k_max_rewrites = 64;

}  // namespace

Result<YamlDocument> parse_first_yaml_document(std::string_view text, const SourceFile& file, TextOrigin origin,
                                               AliasBudget& budget, Bodies bodies) {
  std::vector<Rewrite> rewrites;
  std::string patched;
  const std::size_t budget_before = budget.used;
  for (;;) {
    std::string_view current = rewrites.empty() ? text : std::string_view(patched);
    Attempt attempt(text, current, rewrites, file, origin, budget, bodies);
    Attempt::Outcome outcome = attempt.run();
    if (outcome.document) return std::move(*outcome.document);
    if (outcome.as_tree) {
      bodies = Bodies::tree;
      budget.used = budget_before;
      continue;
    }
    if (outcome.error || rewrites.size() >= k_max_rewrites) {
      if (outcome.error) return *outcome.error;
      return make_error(file + ": invalid YAML: too many constructs libyaml and go-yaml read differently");
    }
    if (rewrites.empty()) patched.assign(text);
    const Rewrite& r = *outcome.rewrite;
    patched[r.offset] = r.original == '\'' ? 'a' : 'x';
    rewrites.push_back(r);
    budget.used = budget_before;
  }
}

}  // namespace wavesync::manifest
