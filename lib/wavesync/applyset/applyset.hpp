// The ApplySet (KEP-3659) that records what wavesync deployed: the parent object's identity,
// id, labels and annotations, written exactly as kubectl's implementation writes them so that
// `KUBECTL_APPLYSET=true kubectl` sees the same set. Pure: values in, values out; reading and
// writing the parent through the API server is inventory.hpp.
#pragma once

#include "wavesync/model/resource.hpp"
#include "wavesync/model/result.hpp"
#include "wavesync/plan/plan.hpp"

#include <nlohmann/json.hpp>

#include <compare>
#include <cstddef>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace wavesync::applyset {

inline constexpr const char* k_id_label = "applyset.kubernetes.io/id";
inline constexpr const char* k_part_of_label = "applyset.kubernetes.io/part-of";
inline constexpr const char* k_tooling_annotation = "applyset.kubernetes.io/tooling";
inline constexpr const char* k_group_kinds_annotation = "applyset.kubernetes.io/contains-group-kinds";
inline constexpr const char* k_namespaces_annotation = "applyset.kubernetes.io/additional-namespaces";
// Not part of the KEP: the members by name, so that an object whose manifest was removed can
// be reported when it lost wavesync's label or was re-created by someone else.
inline constexpr const char* k_members_annotation = "wavesync.dev/applyset-members";
// The API server refuses more than 256 KiB of annotations per object, about 7,000 members; a
// longer member list goes to the parent's `data` (a ConfigMap's `binaryData`) under this key
// instead, zlib-compressed: sorted member names compress to a few bytes each, so 100,000
// members (workload w4) take about 300 KB of the object's 1 MiB.
inline constexpr const char* k_members_compressed_key = "applyset-members.zlib";
// Where the previous release kept a long list, uncompressed (still read).
inline constexpr const char* k_members_data_key = "applyset-members";
inline constexpr std::size_t k_members_annotation_limit = 128 * 1024;
inline constexpr const char* k_tooling_name = "wavesync";
// kubectl's convention: `<tool>-applyset` owns the parent's fields.
inline constexpr const char* k_parent_field_manager = "wavesync-applyset";

enum class ParentKind { secret, config_map };

// Where the inventory lives: a Secret (default) or a ConfigMap in one namespace.
struct ParentRef {
  ParentKind kind = ParentKind::secret;
  std::string name;
  std::string namespace_name;

  [[nodiscard]] std::string kind_name() const;  // `Secret` or `ConfigMap`
  // `v1 Secret shop/web` (for messages).
  [[nodiscard]] std::string str() const;
};

// Parses `--applyset`: `NAME`, `secret/NAME`, `secrets/NAME`, `configmap/NAME` or
// `configmaps/NAME` (kubectl's `[RESOURCE]/NAME` form for the two built-in parent types).
Result<ParentRef> parse_parent(const std::string& spec, const std::string& namespace_name);

// The default parent name: the manifests directory's base name as a DNS label (lower case,
// runs of other characters become one `-`, at most 63 characters); `wavesync` if nothing is left.
std::string default_parent_name(const std::string& directory_base_name);

// kubectl's id: `applyset-` + base64url(sha256("<name>.<namespace>.<Kind>.<group>")) + `-v1`.
std::string applyset_id(const ParentRef& parent);

// A Kind in an API group; `str()` is Go's schema.GroupKind.String(): `Kind` for the core group,
// `Kind.group` otherwise.
struct GroupKind {
  std::string group;
  std::string kind;
  [[nodiscard]] std::string str() const;
  auto operator<=>(const GroupKind&) const = default;
};
// Inverse of GroupKind::str(): the kind is up to the first dot.
GroupKind parse_group_kind(const std::string& text);

// The members of a set, each with its apiVersion (the version is what lets a later run list the
// kind again), in key order. One compact string per member instead of a std::map node of five
// strings: a parent of 100,000 members was read into 19 MB, and a sync holds two of them.
class Members {
 public:
  Members() = default;
  explicit Members(const std::map<ResourceKey, std::string>& members);

  [[nodiscard]] std::size_t size() const { return entries_.size(); }
  [[nodiscard]] bool empty() const { return entries_.empty(); }
  [[nodiscard]] std::map<ResourceKey, std::string> to_map() const;
  // Adds the members of `other` this set does not have (a member here keeps its apiVersion).
  void merge(const Members& other);

  // Iterates as (key, apiVersion) pairs made on the fly: `for (const auto& [key, v] : members)`.
  class const_iterator {
   public:
    explicit const_iterator(std::vector<std::string>::const_iterator at) : at_(at) {}
    std::pair<ResourceKey, std::string> operator*() const;
    const_iterator& operator++() {
      ++at_;
      return *this;
    }
    bool operator==(const const_iterator&) const = default;

   private:
    std::vector<std::string>::const_iterator at_;
  };
  [[nodiscard]] const_iterator begin() const { return const_iterator(entries_.begin()); }
  [[nodiscard]] const_iterator end() const { return const_iterator(entries_.end()); }

  auto operator<=>(const Members&) const = default;

 private:
  // `group SEP kind SEP namespace SEP name SEP apiVersion`, SEP = '\x01' (below every character
  // a name can hold, so the strings sort as the keys do), sorted, one per key.
  std::vector<std::string> entries_;
};

// What the parent records. `namespaces` holds every namespace a member lives in (the parent's
// own included); the annotation leaves the parent's out, as kubectl does.
struct Inventory {
  std::set<GroupKind> group_kinds;
  std::set<std::string> namespaces;
  // Member -> its apiVersion (the version is what lets a later run list the kind again).
  // Keys have an empty namespace for cluster-scoped members.
  Members members;

  auto operator<=>(const Inventory&) const = default;
};

// The inventory of `members` (keys with an empty namespace are cluster-scoped).
Inventory inventory_of(const std::map<ResourceKey, std::string>& members);
// Everything in either: what the parent holds while a sync runs.
Inventory superset(const Inventory& a, const Inventory& b);

// Reads a live parent object. Fails when it is not an ApplySet parent, is managed by another
// tool, or carries an id that is not `applyset_id(parent)` (kubectl refuses the same cases).
Result<Inventory> read_parent(const nlohmann::json& live, const ParentRef& parent);

// The parent object to server-side apply (metadata only, as kubectl sends it).
// `tooling` is `wavesync/<version>`.
nlohmann::json parent_object(const ParentRef& parent, const Inventory& inventory,
                             const std::string& tooling);

// `Kind.group/version/namespace/name` entries joined by commas (the members annotation), and
// back; malformed entries are dropped.
std::string format_members(const Members& members);
Members parse_members(const std::string& text);

// Adds `applyset.kubernetes.io/part-of: <id>` to every resource of the plan that is not a
// hook (hooks are never pruned, so they are not members). Fails when a manifest sets the
// label to another value: wavesync owns it.
Result<void> label_members(Plan& plan, const std::string& id);

// The value of `applyset.kubernetes.io/part-of` on a live object, empty when absent.
std::string part_of(const nlohmann::json& object);

}  // namespace wavesync::applyset
