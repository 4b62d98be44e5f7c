#include "wavesync/manifest/yaml_documents.hpp"

#include "wavesync/manifest/go_scalar.hpp"
#include "wavesync/manifest/limits.hpp"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <optional>
#include <sstream>

namespace wavesync::manifest {
namespace {

constexpr std::string_view k_core_tag_prefix = "tag:yaml.org,2002:";

// Thrown inside the event handler and caught in parse_yaml_documents: yaml-cpp's parser
// drives the handler, so an exception is the only way to stop it early.
struct ConversionError {
  YAML::Mark mark;
  std::string message;
};

[[noreturn]] void fail(const YAML::Mark& mark, std::string message) { throw ConversionError{mark, std::move(message)}; }

struct Anchored {
  nlohmann::json value;
  std::size_t nodes = 0;
  std::size_t height = 0;
  bool complete = false;
  std::string name;
};

struct Frame {
  bool is_map = false;
  nlohmann::json value;
  YAML::Mark mark;
  YAML::anchor_t anchor = 0;
  std::size_t nodes_at_start = 0;
  std::size_t height = 1;  // levels of nesting in this node so far
  // Mapping state: the key waiting for its value.
  bool has_key = false;
  bool merge = false;
  std::string key;
  YAML::Mark key_mark;
  // Sequence state.
  std::size_t index = 0;
  // Set when this mapping may become a Resource (the root or an `items` element).
  std::optional<std::string> object_path;
};

class Converter : public YAML::EventHandler {
 public:
  Converter(std::string file, TextOrigin origin) : file_(std::move(file)), origin_(origin) {}

  std::vector<YamlDocument>& documents() { return documents_; }

  void OnDocumentStart(const YAML::Mark& mark) override {
    if (documents_.size() >= k_max_documents_per_file) {
      fail(mark, "too many YAML documents: expected at most " + std::to_string(k_max_documents_per_file) +
                     " per file");
    }
    doc_ = YamlDocument{};
    doc_.start = location(mark);
    anchors_.clear();
    stack_.clear();
    nodes_ = 0;
  }

  void OnDocumentEnd() override { documents_.push_back(std::move(doc_)); }

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    count(mark, 1);
    if (in_key_position()) fail(mark, "unsupported map key null: expected a string, number or boolean");
    deliver(nlohmann::json(), mark, anchor, 0);
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    auto it = anchors_.find(anchor);
    if (it == anchors_.end()) fail(mark, "alias refers to an unknown anchor: expected an anchor defined earlier");
    const Anchored& target = it->second;
    if (!target.complete) {
      fail(mark, "alias *" + target.name + " refers to a node that contains it: expected an alias to a complete node");
    }
    if (nodes_ + target.nodes > k_max_nodes_per_document) {
      fail(mark, "alias *" + target.name + " expands the document beyond " +
                     std::to_string(k_max_nodes_per_document) +
                     " nodes: expected far fewer aliases (is this a \"billion laughs\" document?)");
    }
    nodes_ += target.nodes;
    alias_nodes_ += target.nodes;
    if (alias_nodes_ > k_max_alias_nodes_per_file) {
      fail(mark, "alias *" + target.name + " expands this file's aliases beyond " +
                     std::to_string(k_max_alias_nodes_per_file) +
                     " nodes in all: expected far fewer aliases (is this a \"billion laughs\" file?)");
    }
    if (stack_.size() + target.height > k_max_depth) {
      fail(mark, "alias *" + target.name + " nests the document deeper than " + std::to_string(k_max_depth) +
                     " levels: expected at most " + std::to_string(k_max_depth));
    }
    if (in_key_position()) {
      auto key = json_to_key(target.value);
      if (!key) fail(mark, key.error().message);
      set_key(std::move(*key), mark, false);
      return;
    }
    deliver(nlohmann::json(target.value), mark, 0, target.height);
  }

  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    count(mark, 1);
    ScalarForm form = ScalarForm::string;
    std::string_view short_tag;
    if (tag == "?") {
      form = ScalarForm::plain;
    } else if (std::string_view(tag).substr(0, k_core_tag_prefix.size()) == k_core_tag_prefix) {
      form = ScalarForm::tagged;
      short_tag = std::string_view(tag).substr(k_core_tag_prefix.size());
    }
    if (in_key_position()) {
      // go-yaml v2 treats only a plain (or !!merge-tagged) `<<` key as a merge.
      bool merge = value == "<<" && (form == ScalarForm::plain || short_tag == "merge");
      std::string key = value;
      if (!merge) {
        auto scalar = resolve_scalar(form, short_tag, value);
        if (!scalar) fail(mark, scalar.error().message);
        auto k = scalar_to_key(*scalar);
        if (!k) fail(mark, k.error().message);
        key = std::move(*k);
      }
      if (anchor != 0) remember(anchor, nlohmann::json(key), 1, 0);
      set_key(std::move(key), mark, merge);
      return;
    }
    auto scalar = resolve_scalar(form, short_tag, value);
    if (!scalar) fail(mark, scalar.error().message);
    auto json = scalar_to_json(*scalar);
    if (!json) fail(mark, json.error().message);
    deliver(std::move(*json), mark, anchor, 0);
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string& /*tag*/, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value /*style*/) override {
    start_collection(mark, anchor, false);
  }
  void OnSequenceEnd() override { end_collection(); }

  void OnMapStart(const YAML::Mark& mark, const std::string& /*tag*/, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value /*style*/) override {
    start_collection(mark, anchor, true);
  }
  void OnMapEnd() override { end_collection(); }

  void OnAnchor(const YAML::Mark& /*mark*/, const std::string& name) override { pending_anchor_name_ = name; }

  SourceLocation location(const YAML::Mark& mark) const {
    if (mark.line < 0) return SourceLocation{file_, 0, 0};
    return SourceLocation{file_, mark.line + 1 + origin_.line, mark.column + 1 + (mark.line == 0 ? origin_.column : 0)};
  }

 private:
  bool in_key_position() const { return !stack_.empty() && stack_.back().is_map && !stack_.back().has_key; }

  void count(const YAML::Mark& mark, std::size_t n) {
    nodes_ += n;
    if (nodes_ > k_max_nodes_per_document) {
      fail(mark, "document has more than " + std::to_string(k_max_nodes_per_document) +
                     " nodes: expected a smaller document");
    }
  }

  void remember(YAML::anchor_t anchor, nlohmann::json value, std::size_t nodes, std::size_t height) {
    Anchored& a = anchors_[anchor];
    if (a.name.empty()) a.name = pending_anchor_name_;
    a.value = std::move(value);
    a.nodes = nodes;
    a.height = height;
    a.complete = true;
  }

  void set_key(std::string key, const YAML::Mark& mark, bool merge) {
    Frame& top = stack_.back();
    top.key = std::move(key);
    top.key_mark = mark;
    top.merge = merge;
    top.has_key = true;
  }

  void start_collection(const YAML::Mark& mark, YAML::anchor_t anchor, bool is_map) {
    count(mark, 1);
    if (in_key_position()) {
      fail(mark, std::string("invalid map key: expected a string, number or boolean, found a ") +
                     (is_map ? "mapping" : "sequence"));
    }
    if (stack_.size() >= k_max_depth) {
      fail(mark, "nesting deeper than " + std::to_string(k_max_depth) + " levels: expected at most " +
                     std::to_string(k_max_depth));
    }
    Frame frame;
    frame.is_map = is_map;
    frame.value = is_map ? nlohmann::json::object() : nlohmann::json::array();
    frame.mark = mark;
    frame.anchor = anchor;
    frame.nodes_at_start = nodes_ - 1;
    if (is_map) frame.object_path = object_path_for_new_map();
    if (frame.object_path) doc_.objects[*frame.object_path].start = location(mark);
    if (anchor != 0) {
      Anchored& a = anchors_[anchor];
      a = Anchored{};
      a.name = pending_anchor_name_;
    }
    stack_.push_back(std::move(frame));
  }

  // The root mapping, or a mapping inside the `items` list of such an object.
  std::optional<std::string> object_path_for_new_map() const {
    if (stack_.empty()) return std::string();
    if (stack_.size() < 2) return std::nullopt;
    const Frame& seq = stack_.back();
    const Frame& owner = stack_[stack_.size() - 2];
    if (seq.is_map || !owner.is_map || !owner.object_path || owner.merge || owner.key != "items") return std::nullopt;
    return *owner.object_path + "/items/" + std::to_string(seq.index);
  }

  void end_collection() {
    Frame frame = std::move(stack_.back());
    stack_.pop_back();
    if (frame.anchor != 0) {
      remember(frame.anchor, frame.value, nodes_ - frame.nodes_at_start, frame.height);
    }
    deliver(std::move(frame.value), frame.mark, 0, frame.height);
  }

  void deliver(nlohmann::json value, const YAML::Mark& mark, YAML::anchor_t anchor, std::size_t height) {
    if (anchor != 0) remember(anchor, value, 1, height);
    if (stack_.empty()) {
      doc_.root = std::move(value);
      doc_.start = location(mark);
      return;
    }
    Frame& top = stack_.back();
    top.height = std::max(top.height, height + 1);
    if (!top.is_map) {
      top.value.push_back(std::move(value));
      ++top.index;
      return;
    }
    if (top.merge) {
      merge_into(top.value, value, top.key_mark);
    } else {
      record_annotation(top.key);
      // Later duplicates overwrite earlier ones, as with kubectl (non-strict sigs.k8s.io/yaml).
      top.value[top.key] = std::move(value);
    }
    top.has_key = false;
    top.merge = false;
  }

  // go-yaml v2 merges `<<` at its position: keys written before it are overwritten, keys
  // after it win; in a list of mappings the earlier ones take precedence.
  static void merge_into(nlohmann::json& target, const nlohmann::json& source, const YAML::Mark& mark) {
    auto merge_one = [&](const nlohmann::json& m) {
      for (auto it = m.begin(); it != m.end(); ++it) target[it.key()] = it.value();
    };
    if (source.is_object()) {
      merge_one(source);
      return;
    }
    if (source.is_array()) {
      for (const auto& element : source) {
        if (!element.is_object()) fail(mark, "map merge (<<) list holds " + describe_json_type(element) + ": expected only mappings");
      }
      for (auto it = source.rbegin(); it != source.rend(); ++it) merge_one(*it);
      return;
    }
    fail(mark, "map merge (<<) value is " + describe_json_type(source) +
                   ": expected a mapping or a list of mappings");
  }

  void record_annotation(const std::string& key) {
    std::size_t n = stack_.size();
    if (n < 3) return;
    const Frame& metadata = stack_[n - 2];
    const Frame& object = stack_[n - 3];
    if (!metadata.is_map || metadata.key != "annotations" || !object.is_map || object.key != "metadata" ||
        !object.object_path) {
      return;
    }
    doc_.objects[*object.object_path].annotations[key] = location(stack_.back().key_mark);
  }

  std::string file_;
  std::vector<YamlDocument> documents_;
  YamlDocument doc_;
  std::vector<Frame> stack_;
  std::unordered_map<YAML::anchor_t, Anchored> anchors_;
  std::string pending_anchor_name_;
  std::size_t nodes_ = 0;
  std::size_t alias_nodes_ = 0;  // the whole file's, never reset
  TextOrigin origin_;
};

std::string at(const std::string& file, const YAML::Mark& mark, TextOrigin origin) {
  if (mark.line < 0) return file;
  return file + ":" + std::to_string(mark.line + 1 + origin.line) + ":" +
         std::to_string(mark.column + 1 + (mark.line == 0 ? origin.column : 0));
}

}  // namespace

Result<std::vector<YamlDocument>> parse_yaml_documents(std::string_view text, const std::string& file,
                                                       TextOrigin origin) {
  std::istringstream in{std::string(text)};
  Converter converter(file, origin);
  try {
    YAML::Parser parser(in);
    while (parser.HandleNextDocument(converter)) {
    }
  } catch (const ConversionError& e) {
    return make_error(at(file, e.mark, origin) + ": " + e.message);
  } catch (const YAML::Exception& e) {
    return make_error(at(file, e.mark, origin) + ": invalid YAML: " + e.msg);
  } catch (const std::exception& e) {
    return make_error(file + ": cannot read YAML: " + e.what());
  }
  return std::move(converter.documents());
}

}  // namespace wavesync::manifest
