// Builds one YamlDocument from a stream of parse events (scalars, aliases, collection starts
// and ends), converting as kubectl does: go-yaml v2 typing and decoding (`<<` merges, last
// duplicate key wins, aliases expanded, its aliasing ratio check), then sigs.k8s.io/yaml's
// JSON conversion of keys. Both manifest readers (YAML and JSON) feed it. Pure.
#pragma once

#include "wavesync/manifest/document.hpp"
#include "wavesync/manifest/go_scalar.hpp"
#include "wavesync/model/result.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace wavesync::manifest {

// What aliases may still add in one file, shared by its documents (see limits.hpp).
struct AliasBudget {
  std::size_t used = 0;
};

class DocumentBuilder {
 public:
  // `file` and `origin` place marks in messages; `budget` outlives the builder. With
  // Bodies::text the root object is written as text (YamlDocument::text); see wants_tree().
  DocumentBuilder(const SourceFile& file, TextOrigin origin, AliasBudget& budget, Bodies bodies = Bodies::tree);

  // A scalar as written: `form` and `tag` as for resolve_scalar. An empty `anchor` is none.
  [[nodiscard]] Result<void> scalar(TextMark mark, ScalarForm form, std::string_view tag, std::string_view text,
                                    std::string_view anchor);
  // A value already typed (the JSON reader's numbers, strings, booleans and nulls).
  [[nodiscard]] Result<void> value(TextMark mark, nlohmann::json value);
  [[nodiscard]] Result<void> alias(TextMark mark, std::string_view name);
  [[nodiscard]] Result<void> start(TextMark mark, bool is_map, std::string_view anchor);
  [[nodiscard]] Result<void> end();

  // The document so far; call once, after the last event.
  YamlDocument finish();

  // Bodies::text only: the document uses something the text form does not cover (an anchor on
  // the root,
  // a merge key, a top-level `items`, a root that is not a mapping). The builder
  // stopped at that event; read the document again with Bodies::tree (and give the file's alias
  // budget back what this reading used).
  [[nodiscard]] bool wants_tree() const { return wants_tree_; }

 private:
  struct Anchored {
    nlohmann::json value;              // Bodies::text: null unless `tree`
    std::optional<std::string> text;   // Bodies::text: the node as JSON text
    bool tree = true;
    std::size_t nodes = 0;    // our node count (limits)
    std::size_t decodes = 0;  // go-yaml v2 decoder calls the node costs
    std::size_t height = 0;
    bool complete = false;
  };
  struct Frame {
    bool is_map = false;
    nlohmann::json value;
    TextMark mark;
    std::string anchor;
    std::size_t nodes_at_start = 0;
    std::size_t decodes_at_start = 0;
    std::size_t height = 1;
    bool has_key = false;
    bool merge = false;
    std::string key;
    TextMark key_mark;
    std::size_t index = 0;
    std::optional<std::string> object_path;
    // Bodies::text: whether `value` is built too (the root's read fields and all under them),
    // a mapping's keys and value texts, and a sequence's text so far.
    bool tree = true;
    std::vector<std::pair<std::string, std::string>> entries;
    std::string text;
  };

  Error fail(TextMark mark, const std::string& message) const;
  bool in_key_position() const { return !stack_.empty() && stack_.back().is_map && !stack_.back().has_key; }
  bool in_merge_value() const { return !stack_.empty() && stack_.back().is_map && stack_.back().merge; }
  Result<void> count(TextMark mark, std::size_t decodes);
  Result<void> check_aliasing(TextMark mark) const;
  void remember(const std::string& anchor, nlohmann::json value, std::size_t nodes, std::size_t decodes,
                std::size_t height, std::optional<std::string> text = std::nullopt, bool tree = true);
  static nlohmann::json tree_of(const Anchored& anchored);
  void set_key(std::string key, TextMark mark, bool merge);
  std::optional<std::string> object_path_for_new_map() const;
  Result<void> deliver(nlohmann::json value, TextMark mark, std::string_view anchor, std::size_t height);
  Result<void> merge_into(nlohmann::json& target, const nlohmann::json& source, TextMark mark) const;
  void record_annotation(const std::string& key);
  // Bodies::text.
  Result<void> stop_for_tree();
  bool child_wants_tree() const;
  Result<void> deliver_value_text(nlohmann::json value, TextMark mark, std::string_view anchor);
  Result<void> deliver_text(std::optional<nlohmann::json> tree, std::string text, TextMark mark, std::size_t height);

  SourceFile file_;
  TextOrigin origin_;
  AliasBudget& budget_;
  Bodies bodies_;
  bool wants_tree_ = false;
  YamlDocument doc_;
  std::vector<Frame> stack_;
  std::unordered_map<std::string, Anchored> anchors_;
  std::size_t nodes_ = 0;
  // go-yaml v2 decoder's counters for its "excessive aliasing" check.
  std::size_t decodes_ = 1;  // the document node
  std::size_t alias_decodes_ = 0;
};

}  // namespace wavesync::manifest
