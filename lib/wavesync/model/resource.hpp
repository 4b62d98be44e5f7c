// Value types for Kubernetes objects as wavesync sees them: where they came from, who
// they are (ResourceKey), and the exact JSON body sent to the API server. No I/O.
#pragma once

#include <nlohmann/json.hpp>

#include <compare>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace wavesync {

// An input file's name, shared by every location in that file: a run of 100,000 objects
// keeps one copy of each path instead of one per object and per annotation. Immutable.
class SourceFile {
 public:
  SourceFile() = default;
  SourceFile(std::string name);  // NOLINT(google-explicit-constructor): a name is a file
  SourceFile(const char* name) : SourceFile(std::string(name)) {}  // NOLINT(google-explicit-constructor)

  [[nodiscard]] const std::string& str() const;
  operator const std::string&() const { return str(); }  // NOLINT(google-explicit-constructor)
  [[nodiscard]] bool empty() const { return str().empty(); }

  friend bool operator==(const SourceFile& a, const SourceFile& b) { return a.str() == b.str(); }
  friend std::strong_ordering operator<=>(const SourceFile& a, const SourceFile& b) { return a.str() <=> b.str(); }
  friend bool operator==(const SourceFile& a, const std::string& b) { return a.str() == b; }
  friend std::string operator+(const std::string& a, const SourceFile& b) { return a + b.str(); }
  friend std::string operator+(const SourceFile& a, const std::string& b) { return a.str() + b; }
  friend std::string operator+(const SourceFile& a, const char* b) { return a.str() + b; }

 private:
  std::shared_ptr<const std::string> name_;  // null: no file
};

// A sync wave. Argo CD reads it with Go's strconv.Atoi into an `int`, 64 bits wide.
using Wave = std::int64_t;

// A position in an input file; line and column are 1-based, 0 means unknown.
struct SourceLocation {
  SourceFile file;
  int line = 0;
  int column = 0;

  // `file:line:column`, or `file:line` when the column is unknown, or `file`.
  [[nodiscard]] std::string str() const;
  // `file:line` (what the plan shows).
  [[nodiscard]] std::string file_line() const;
  auto operator<=>(const SourceLocation&) const = default;
};

// Identity of an object: two manifests with the same key are the same object.
// `group` is empty for the core group; `namespace_name` is empty for cluster-scoped objects.
struct ResourceKey {
  std::string group;
  std::string kind;
  std::string namespace_name;
  std::string name;

  // `apps/Deployment shop/web`, `Namespace shop` — for messages.
  [[nodiscard]] std::string str() const;
  auto operator<=>(const ResourceKey&) const = default;
};

// The group part of an apiVersion: `apps/v1` -> `apps`, `v1` -> ``.
std::string group_of(const std::string& api_version);
// The version part of an apiVersion: `apps/v1` -> `v1`, `v1` -> `v1`.
std::string version_of(const std::string& api_version);

// One object read from a manifest, kept as the exact JSON text `kubectl apply` would send
// (YAML 1.1 conversion already done, namespace defaulted) plus the few fields planning reads
// for every object. Not as a JSON tree: a 300-byte ConfigMap is 3 KB as an nlohmann::json
// tree, and a run keeps every planned object until it ends (100,000 objects: 300 MB of trees).
// object() builds a tree when a step needs the body.
class Resource {
 public:
  Resource() = default;
  // `annotation_where`: where each annotation key was written, in `where`'s file.
  explicit Resource(const nlohmann::json& object, SourceLocation where = {},
                    const std::map<std::string, SourceLocation>& annotation_where = {});

  // An object already written as compact JSON text (what dump() gives for it, invalid UTF-8
  // replaced), with `fields` holding at least its apiVersion, kind and metadata.
  static Resource from_text(const nlohmann::json& fields, std::string text, SourceLocation where,
                            const std::map<std::string, SourceLocation>& annotation_where);

  // The object as a new JSON tree (parsed from the stored text on every call).
  [[nodiscard]] nlohmann::json object() const;
  // The object as compact JSON text (what object().dump() gives, invalid UTF-8 replaced).
  [[nodiscard]] const std::string& json_text() const { return text_; }
  // Replaces the object (text and the fields below).
  void set_object(const nlohmann::json& object);

  // References into the stored fields, valid until set_object; an empty string when the field
  // is absent or not a string.
  [[nodiscard]] const std::string& api_version() const { return api_version_; }
  [[nodiscard]] const std::string& kind() const { return kind_; }
  [[nodiscard]] const std::string& name() const { return name_; }                    // empty when only generateName is set
  [[nodiscard]] const std::string& generate_name() const { return generate_name_; }  // empty when not set
  [[nodiscard]] const std::string& namespace_name() const { return namespace_; }     // empty for cluster-scoped objects
  // An annotation's value, or nullptr when absent or not a string.
  [[nodiscard]] const std::string* annotation(const std::string& key) const;
  // Where annotation `key` was written, else where the object starts (for messages).
  [[nodiscard]] SourceLocation annotation_source(const std::string& key) const;
  // Records that the (string) annotation `key` was written at `line`:`column` of the source
  // file; nothing when there is no such annotation.
  void set_annotation_position(const std::string& key, int line, int column);
  // Forgets where annotations were written: annotation_source() gives `source` from now on.
  void forget_annotation_positions();
  [[nodiscard]] ResourceKey key() const;

  SourceLocation source;

 private:
  void read_fields(const nlohmann::json& object);
  void place_annotations(const std::map<std::string, SourceLocation>& annotation_where);

  std::string text_ = "null";
  std::string api_version_;
  std::string kind_;
  std::string name_;
  std::string generate_name_;
  std::string namespace_;
  // String-valued annotations, sorted by key, with where each key was written in `source`'s
  // file (line 0: not known). One entry per annotation, not a map node and a path per position.
  struct Annotation {
    std::string key;
    std::string value;
    int line = 0;
    int column = 0;
  };
  std::vector<Annotation> annotations_;
};

}  // namespace wavesync
