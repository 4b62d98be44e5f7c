#include "wavesync/manifest/document_builder.hpp"

#include "wavesync/manifest/limits.hpp"
#include "wavesync/model/json_text.hpp"

#include <algorithm>

namespace wavesync::manifest {
namespace {

// go-yaml v2 decode.go allowedAliasRatio: the share of decoded nodes that may come from
// alias expansion, 99% for small documents down to 10% for very large ones.
double allowed_alias_ratio(std::size_t decodes) {
  constexpr double k_low = 400000;
  constexpr double k_high = 4000000;
  auto d = static_cast<double>(decodes);
  if (d <= k_low) return 0.99;
  if (d >= k_high) return 0.10;
  return 0.99 - 0.89 * ((d - k_low) / (k_high - k_low));
}

void append_json_value(std::string& out, const nlohmann::json& value) {
  if (value.is_string()) append_json_string(out, value.get_ref<const std::string&>());
  else out.append(dump_compact(value));
}

// The root fields Bodies::text also builds as a tree: what identity checks and planning read.
bool is_read_field(const std::string& key) { return key == "apiVersion" || key == "kind" || key == "metadata"; }

// A mapping's text as dump() writes a tree built with `map[key] = value`: keys in std::map's
// order, the last of equal keys kept.
std::string map_text(std::vector<std::pair<std::string, std::string>>& entries) {
  std::stable_sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::size_t size = 2;
  for (const auto& [key, value] : entries) size += key.size() + value.size() + 4;
  std::string out;
  out.reserve(size);
  out.push_back('{');
  bool first = true;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (i + 1 < entries.size() && entries[i + 1].first == entries[i].first) continue;
    if (!first) out.push_back(',');
    first = false;
    append_json_string(out, entries[i].first);
    out.push_back(':');
    out.append(entries[i].second);
  }
  out.push_back('}');
  return out;
}

}  // namespace

DocumentBuilder::DocumentBuilder(const SourceFile& file, TextOrigin origin, AliasBudget& budget, Bodies bodies)
    : file_(file), origin_(origin), budget_(budget), bodies_(bodies) {}

Result<void> DocumentBuilder::stop_for_tree() {
  wants_tree_ = true;
  return {};
}

bool DocumentBuilder::child_wants_tree() const {
  if (stack_.empty()) return true;
  const Frame& parent = stack_.back();
  if (!parent.tree) return false;
  if (stack_.size() == 1 && parent.is_map) return is_read_field(parent.key);
  return true;
}

Result<void> DocumentBuilder::deliver_value_text(nlohmann::json value, TextMark mark, std::string_view anchor) {
  std::string text;
  append_json_value(text, value);
  if (!anchor.empty()) remember(std::string(anchor), value, 1, 1, 0, text);
  std::optional<nlohmann::json> tree;
  if (child_wants_tree()) tree = std::move(value);
  return deliver_text(std::move(tree), std::move(text), mark, 0);
}

Result<void> DocumentBuilder::deliver_text(std::optional<nlohmann::json> tree, std::string text, TextMark mark,
                                           std::size_t height) {
  if (stack_.empty()) {  // the root mapping (anything else is read as a tree)
    doc_.root = tree ? std::move(*tree) : nlohmann::json();
    doc_.text = std::move(text);
    doc_.start = locate(file_, origin_, mark);
    return {};
  }
  Frame& top = stack_.back();
  top.height = std::max(top.height, height + 1);
  if (!top.is_map) {
    if (top.index > 0) top.text.push_back(',');
    top.text.append(text);
    if (top.tree && tree) top.value.push_back(std::move(*tree));
    ++top.index;
    return {};
  }
  record_annotation(top.key);
  if (top.tree && tree && (stack_.size() > 1 || is_read_field(top.key))) top.value[top.key] = std::move(*tree);
  top.entries.emplace_back(std::move(top.key), std::move(text));  // the next key replaces it
  top.has_key = false;
  return {};
}

Error DocumentBuilder::fail(TextMark mark, const std::string& message) const {
  return make_error(locate(file_, origin_, mark).str() + ": " + message);
}

Result<void> DocumentBuilder::count(TextMark mark, std::size_t decodes) {
  ++nodes_;
  decodes_ += decodes;
  if (nodes_ > k_max_nodes_per_document) {
    return fail(mark, "document has more than " + std::to_string(k_max_nodes_per_document) +
                          " nodes: expected a smaller document");
  }
  return {};
}

// go-yaml v2 checks the ratio on every node it decodes; inside one alias expansion both
// counters grow together, so checking after each event and each whole expansion finds
// the same documents.
Result<void> DocumentBuilder::check_aliasing(TextMark mark) const {
  if (alias_decodes_ > 100 && decodes_ > 1000 &&
      static_cast<double>(alias_decodes_) / static_cast<double>(decodes_) > allowed_alias_ratio(decodes_)) {
    return fail(mark, "document contains excessive aliasing (kubectl's YAML reader refuses it too): expected far fewer aliases");
  }
  return {};
}

void DocumentBuilder::remember(const std::string& anchor, nlohmann::json value, std::size_t nodes,
                               std::size_t decodes, std::size_t height, std::optional<std::string> text, bool tree) {
  Anchored& a = anchors_[anchor];
  a.value = std::move(value);
  a.text = std::move(text);
  a.tree = tree;
  a.nodes = nodes;
  a.decodes = decodes;
  a.height = height;
  a.complete = true;
}

void DocumentBuilder::set_key(std::string key, TextMark mark, bool merge) {
  Frame& top = stack_.back();
  top.key = std::move(key);
  top.key_mark = mark;
  top.merge = merge;
  top.has_key = true;
  // A top-level `items` makes the document a List, flattened from its tree (objects.hpp).
  if (bodies_ == Bodies::text && stack_.size() == 1 && top.key == "items") wants_tree_ = true;
}

Result<void> DocumentBuilder::scalar(TextMark mark, ScalarForm form, std::string_view tag, std::string_view text,
                                     std::string_view anchor) {
  if (in_key_position()) {
    // go-yaml v2 treats only a plain (or !!merge-tagged) `<<` key as a merge, and does not
    // decode the key itself.
    bool merge = text == "<<" && (form == ScalarForm::plain || (form == ScalarForm::tagged && tag == "merge"));
    if (auto ok = count(mark, merge ? 0 : 1); !ok) return ok;
    if (bodies_ == Bodies::text && merge) return stop_for_tree();
    if (merge) {
      if (!anchor.empty()) remember(std::string(anchor), nlohmann::json("<<"), 1, 0, 0);
      set_key("<<", mark, true);
      return {};
    }
    auto scalar = resolve_scalar(form, tag, text);
    if (!scalar) return fail(mark, scalar.error().message);
    auto key = scalar_to_key(*scalar);
    if (!key) return fail(mark, key.error().message);
    if (!anchor.empty()) {
      nlohmann::json value(*key);
      std::optional<std::string> text;
      if (bodies_ == Bodies::text) append_json_value(text.emplace(), value);
      remember(std::string(anchor), std::move(value), 1, 1, 0, std::move(text));
    }
    set_key(std::move(*key), mark, false);
    return check_aliasing(mark);
  }
  if (auto ok = count(mark, 1); !ok) return ok;
  auto scalar = resolve_scalar(form, tag, text);
  if (!scalar) return fail(mark, scalar.error().message);
  if (bodies_ == Bodies::text && !stack_.empty() && anchor.empty() && std::holds_alternative<std::string>(*scalar) &&
      !child_wants_tree()) {
    // The common case, a string outside the read fields: its text without a JSON value between.
    if (auto ok = check_aliasing(mark); !ok) return ok;
    std::string out;
    append_json_string(out, valid_utf8(std::move(std::get<std::string>(*scalar))));
    return deliver_text(std::nullopt, std::move(out), mark, 0);
  }
  auto json = scalar_to_json(*scalar);
  if (!json) return fail(mark, json.error().message);
  if (auto ok = check_aliasing(mark); !ok) return ok;
  if (bodies_ == Bodies::text && !stack_.empty()) return deliver_value_text(std::move(*json), mark, anchor);
  return deliver(std::move(*json), mark, anchor, 0);
}

Result<void> DocumentBuilder::value(TextMark mark, nlohmann::json value) {
  if (auto ok = count(mark, 1); !ok) return ok;
  if (in_key_position()) {
    set_key(value.get<std::string>(), mark, false);
    return {};
  }
  if (bodies_ == Bodies::text && !stack_.empty()) return deliver_value_text(std::move(value), mark, {});
  return deliver(std::move(value), mark, {}, 0);
}

Result<void> DocumentBuilder::alias(TextMark mark, std::string_view name) {
  auto it = anchors_.find(std::string(name));
  if (it == anchors_.end()) {
    return fail(mark, "unknown anchor '" + std::string(name) + "' referenced: expected an anchor defined earlier");
  }
  const Anchored& target = it->second;
  if (!target.complete) {
    return fail(mark, "alias *" + std::string(name) +
                          " refers to a node that contains it: expected an alias to a complete node");
  }
  if (nodes_ + target.nodes > k_max_nodes_per_document) {
    return fail(mark, "alias *" + std::string(name) + " expands the document beyond " +
                          std::to_string(k_max_nodes_per_document) +
                          " nodes: expected far fewer aliases (is this a \"billion laughs\" document?)");
  }
  nodes_ += target.nodes;
  budget_.used += target.nodes;
  if (budget_.used > k_max_alias_nodes_per_file) {
    return fail(mark, "alias *" + std::string(name) + " expands this file's aliases beyond " +
                          std::to_string(k_max_alias_nodes_per_file) +
                          " nodes in all: expected far fewer aliases (is this a \"billion laughs\" file?)");
  }
  if (stack_.size() + target.height > k_max_depth) {
    return fail(mark, "alias *" + std::string(name) + " nests the document deeper than " +
                          std::to_string(k_max_depth) + " levels: expected at most " + std::to_string(k_max_depth));
  }
  // The alias node itself, then every node of its target again, inside the expansion.
  decodes_ += 1 + target.decodes;
  alias_decodes_ += target.decodes;
  if (auto ok = check_aliasing(mark); !ok) return ok;
  if (in_key_position()) {
    auto key = json_to_key(tree_of(target));
    if (!key) return fail(mark, key.error().message);
    set_key(std::move(*key), mark, false);
    return {};
  }
  if (bodies_ == Bodies::text && !stack_.empty()) {
    if (in_merge_value() || !target.text) return stop_for_tree();
    std::optional<nlohmann::json> tree;
    if (child_wants_tree()) tree = tree_of(target);
    return deliver_text(std::move(tree), *target.text, mark, target.height);
  }
  return deliver(tree_of(target), mark, {}, target.height);
}

Result<void> DocumentBuilder::start(TextMark mark, bool is_map, std::string_view anchor) {
  if (in_key_position()) {
    return fail(mark, std::string("invalid map key: expected a string, number or boolean, found a ") +
                          (is_map ? "mapping" : "sequence"));
  }
  // go-yaml v2 merges a list of mappings element by element, never decoding the list node.
  if (auto ok = count(mark, !is_map && in_merge_value() ? 0 : 1); !ok) return ok;
  if (stack_.size() >= k_max_depth) {
    return fail(mark, "nesting deeper than " + std::to_string(k_max_depth) + " levels: expected at most " +
                          std::to_string(k_max_depth));
  }
  if (bodies_ == Bodies::text && stack_.empty() && (!is_map || !anchor.empty())) return stop_for_tree();
  Frame frame;
  frame.is_map = is_map;
  frame.tree = bodies_ == Bodies::tree || child_wants_tree();
  if (frame.tree) frame.value = is_map ? nlohmann::json::object() : nlohmann::json::array();
  if (bodies_ == Bodies::text && !is_map) frame.text = "[";
  frame.mark = mark;
  frame.anchor = anchor;
  frame.nodes_at_start = nodes_ - 1;
  frame.decodes_at_start = decodes_ - 1;
  if (is_map) frame.object_path = object_path_for_new_map();
  if (frame.object_path) doc_.objects[*frame.object_path].start = locate(file_, origin_, mark);
  if (!anchor.empty()) anchors_[frame.anchor] = Anchored{};
  stack_.push_back(std::move(frame));
  return {};
}

std::optional<std::string> DocumentBuilder::object_path_for_new_map() const {
  if (stack_.empty()) return std::string();
  if (stack_.size() < 2) return std::nullopt;
  const Frame& seq = stack_.back();
  const Frame& owner = stack_[stack_.size() - 2];
  if (seq.is_map || !owner.is_map || !owner.object_path || owner.merge || owner.key != "items") return std::nullopt;
  return *owner.object_path + "/items/" + std::to_string(seq.index);
}

Result<void> DocumentBuilder::end() {
  Frame frame = std::move(stack_.back());
  stack_.pop_back();
  if (bodies_ == Bodies::text) {
    std::string text;
    if (frame.is_map) {
      text = map_text(frame.entries);
    } else {
      frame.text.push_back(']');
      text = std::move(frame.text);
    }
    std::optional<nlohmann::json> tree;
    if (frame.tree) tree = std::move(frame.value);
    if (!frame.anchor.empty()) {  // as below
      auto it = anchors_.find(frame.anchor);
      if (it != anchors_.end() && !it->second.complete) {
        remember(frame.anchor, tree ? *tree : nlohmann::json(), nodes_ - frame.nodes_at_start,
                 decodes_ - frame.decodes_at_start, frame.height, text, tree.has_value());
      }
    }
    return deliver_text(std::move(tree), std::move(text), frame.mark, frame.height);
  }
  if (!frame.anchor.empty()) {
    // go-yaml v2 registers an anchor where its node starts, so a redefinition inside the
    // node (`&a [&a 1]`) is the one later aliases see.
    auto it = anchors_.find(frame.anchor);
    if (it != anchors_.end() && !it->second.complete) {
      remember(frame.anchor, frame.value, nodes_ - frame.nodes_at_start, decodes_ - frame.decodes_at_start,
               frame.height);
    }
  }
  return deliver(std::move(frame.value), frame.mark, {}, frame.height);
}

Result<void> DocumentBuilder::deliver(nlohmann::json value, TextMark mark, std::string_view anchor,
                                      std::size_t height) {
  if (!anchor.empty()) remember(std::string(anchor), value, 1, 1, height);
  if (stack_.empty()) {
    doc_.root = std::move(value);
    doc_.start = locate(file_, origin_, mark);
    return {};
  }
  Frame& top = stack_.back();
  top.height = std::max(top.height, height + 1);
  if (!top.is_map) {
    top.value.push_back(std::move(value));
    ++top.index;
    return {};
  }
  if (top.merge) {
    if (auto ok = merge_into(top.value, value, top.key_mark); !ok) return ok;
  } else {
    record_annotation(top.key);
    // Later duplicates overwrite earlier ones, as with kubectl (non-strict sigs.k8s.io/yaml).
    top.value[top.key] = std::move(value);
  }
  top.has_key = false;
  top.merge = false;
  return {};
}

// go-yaml v2 merges `<<` at its position: keys written before it are overwritten, keys
// after it win; in a list of mappings the earlier ones take precedence.
Result<void> DocumentBuilder::merge_into(nlohmann::json& target, const nlohmann::json& source,
                                         TextMark mark) const {
  auto merge_one = [&](const nlohmann::json& m) {
    for (auto it = m.begin(); it != m.end(); ++it) target[it.key()] = it.value();
  };
  if (source.is_object()) {
    merge_one(source);
    return {};
  }
  if (source.is_array()) {
    for (const auto& element : source) {
      if (!element.is_object()) {
        return fail(mark, "map merge (<<) list holds " + describe_json_type(element) + ": expected only mappings");
      }
    }
    for (auto it = source.rbegin(); it != source.rend(); ++it) merge_one(*it);
    return {};
  }
  return fail(mark, "map merge (<<) value is " + describe_json_type(source) +
                        ": expected a mapping or a list of mappings");
}

void DocumentBuilder::record_annotation(const std::string& key) {
  std::size_t n = stack_.size();
  if (n < 3) return;
  const Frame& metadata = stack_[n - 2];
  const Frame& object = stack_[n - 3];
  if (!metadata.is_map || metadata.key != "annotations" || !object.is_map || object.key != "metadata" ||
      !object.object_path) {
    return;
  }
  doc_.objects[*object.object_path].annotations[key] = locate(file_, origin_, stack_.back().key_mark);
}

nlohmann::json DocumentBuilder::tree_of(const Anchored& anchored) {
  if (anchored.tree) return anchored.value;
  // The text was written by dump() from a valid tree (see append_json_value), so it parses.
  return nlohmann::json::parse(*anchored.text, nullptr, false);
}

YamlDocument DocumentBuilder::finish() { return std::move(doc_); }

}  // namespace wavesync::manifest
