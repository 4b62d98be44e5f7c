#include "wavesync/model/resource.hpp"

#include "wavesync/model/json_fields.hpp"
#include "wavesync/model/object_ref.hpp"

#include <algorithm>

namespace wavesync {

SourceFile::SourceFile(std::string name) {
  if (!name.empty()) name_ = std::make_shared<const std::string>(std::move(name));
}

const std::string& SourceFile::str() const {
  static const std::string none;
  return name_ ? *name_ : none;
}

std::string SourceLocation::str() const {
  if (line <= 0) return file.str();
  if (column <= 0) return file + ":" + std::to_string(line);
  return file + ":" + std::to_string(line) + ":" + std::to_string(column);
}

std::string SourceLocation::file_line() const {
  if (line <= 0) return file.str();
  return file + ":" + std::to_string(line);
}

std::string ResourceKey::str() const {
  std::string out = group.empty() ? kind : group + "/" + kind;
  out += ' ';
  if (!namespace_name.empty()) out += namespace_name + "/";
  out += name;
  return out;
}

std::string group_of(const std::string& api_version) {
  auto slash = api_version.find('/');
  return slash == std::string::npos ? std::string() : api_version.substr(0, slash);
}

std::string version_of(const std::string& api_version) {
  auto slash = api_version.find('/');
  return slash == std::string::npos ? api_version : api_version.substr(slash + 1);
}

namespace {

template <typename Annotations>
auto find_annotation(Annotations& annotations, const std::string& key) {
  auto it = std::lower_bound(annotations.begin(), annotations.end(), key,
                             [](const auto& entry, const std::string& k) { return entry.key < k; });
  return it != annotations.end() && it->key == key ? &*it : nullptr;
}

std::string string_or_empty(const nlohmann::json& object, std::initializer_list<std::string_view> path) {
  const std::string* s = string_ptr_at(object, path);
  return s != nullptr ? *s : std::string();
}

}  // namespace

Resource::Resource(const nlohmann::json& object, SourceLocation where,
                   const std::map<std::string, SourceLocation>& annotation_where)
    : source(std::move(where)) {
  set_object(object);
  place_annotations(annotation_where);
}

Resource Resource::from_text(const nlohmann::json& fields, std::string text, SourceLocation where,
                             const std::map<std::string, SourceLocation>& annotation_where) {
  Resource r;
  r.source = std::move(where);
  r.text_ = std::move(text);
  r.text_.shrink_to_fit();
  r.read_fields(fields);
  r.place_annotations(annotation_where);
  return r;
}

void Resource::place_annotations(const std::map<std::string, SourceLocation>& annotation_where) {
  for (Annotation& a : annotations_) {
    auto it = annotation_where.find(a.key);
    if (it == annotation_where.end()) continue;
    a.line = it->second.line;
    a.column = it->second.column;
  }
}

nlohmann::json Resource::object() const {
  // The text was written by dump() of a valid tree, so it parses; never throws.
  return nlohmann::json::parse(text_, nullptr, false);
}

void Resource::set_object(const nlohmann::json& object) {
  text_ = object.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  text_.shrink_to_fit();
  read_fields(object);
}

void Resource::read_fields(const nlohmann::json& object) {
  api_version_ = string_or_empty(object, {"apiVersion"});
  kind_ = string_or_empty(object, {"kind"});
  name_ = string_or_empty(object, {"metadata", "name"});
  generate_name_ = string_or_empty(object, {"metadata", "generateName"});
  namespace_ = string_or_empty(object, {"metadata", "namespace"});
  // Positions stay with their keys: a step that rewrites the object keeps its messages' lines.
  std::vector<Annotation> before = std::move(annotations_);
  annotations_.clear();
  if (const auto* all = object_at(object, {"metadata", "annotations"})) {
    for (auto it = all->begin(); it != all->end(); ++it) {
      if (!it.value().is_string()) continue;
      Annotation a{it.key(), it.value().get<std::string>()};
      if (const auto* old = find_annotation(before, a.key)) {
        a.line = old->line;
        a.column = old->column;
      }
      annotations_.push_back(std::move(a));
    }
  }
  annotations_.shrink_to_fit();
}

const std::string* Resource::annotation(const std::string& key) const {
  const auto* found = find_annotation(annotations_, key);
  return found != nullptr ? &found->value : nullptr;
}

SourceLocation Resource::annotation_source(const std::string& key) const {
  const auto* found = find_annotation(annotations_, key);
  if (found == nullptr || found->line <= 0) return source;
  return SourceLocation{source.file, found->line, found->column};
}

void Resource::set_annotation_position(const std::string& key, int line, int column) {
  if (auto* found = find_annotation(annotations_, key)) {
    found->line = line;
    found->column = column;
  }
}

void Resource::forget_annotation_positions() {
  for (Annotation& a : annotations_) a.line = a.column = 0;
}

ResourceKey Resource::key() const { return object_ref_of(*this).key(); }

}  // namespace wavesync
