// Which live Pods belong to a workload: by ownerReferences (what the controllers set), with the
// label selector as a fallback for pods that carry no owner.
#include "wavesync/health/diagnostics.hpp"

#include "wavesync/health/fields.hpp"

namespace wavesync::health {

namespace {

std::string uid_of(const Json& object) { return string_at(object, {"metadata", "uid"}); }

// Whether `ref` (an ownerReference) points at `owner`.
bool refers_to(const Json& ref, const Json& owner) {
  if (field(ref, "kind") != string_at(owner, {"kind"})) return false;
  std::string ref_uid = field(ref, "uid");
  std::string owner_uid = uid_of(owner);
  if (!ref_uid.empty() && !owner_uid.empty()) return ref_uid == owner_uid;
  return field(ref, "name") == string_at(owner, {"metadata", "name"});
}

const Json* owner_references(const Json& object) {
  const Json* refs = find_path(object, {"metadata", "ownerReferences"});
  return refs != nullptr && refs->is_array() && !refs->empty() ? refs : nullptr;
}

bool owned_by(const Json& object, const Json& owner) {
  const Json* refs = owner_references(object);
  if (refs == nullptr) return false;
  for (const Json& ref : *refs) {
    if (refers_to(ref, owner)) return true;
  }
  return false;
}

bool owned_by_kind(const Json& object, std::string_view kind) {
  const Json* refs = owner_references(object);
  if (refs == nullptr) return false;
  for (const Json& ref : *refs) {
    if (field(ref, "kind") == kind) return true;
  }
  return false;
}

std::optional<std::string> label(const Json& object, const std::string& key) {
  const Json* value = find_path(object, {"metadata", "labels", key});
  if (value == nullptr || !value->is_string()) return std::nullopt;
  return value->get<std::string>();
}

bool contains(const Json& values, const std::optional<std::string>& value) {
  if (!value || !values.is_array()) return false;
  for (const Json& v : values) {
    if (v.is_string() && v.get<std::string>() == *value) return true;
  }
  return false;
}

// metav1.LabelSelector semantics; an empty selector matches nothing here, since a workload
// without one cannot have pods to find.
bool selector_matches(const Json& selector, const Json& pod) {
  const Json* match_labels = find_path(selector, {"matchLabels"});
  const Json* expressions = find_path(selector, {"matchExpressions"});
  bool any = false;
  if (match_labels != nullptr && match_labels->is_object()) {
    for (const auto& [key, value] : match_labels->items()) {
      any = true;
      if (!value.is_string() || label(pod, key) != value.get<std::string>()) return false;
    }
  }
  if (expressions != nullptr && expressions->is_array()) {
    for (const Json& e : *expressions) {
      any = true;
      auto value = label(pod, field(e, "key"));
      std::string op = field(e, "operator");
      const Json* values = find_path(e, {"values"});
      static const Json k_none = Json::array();
      const Json& list = values != nullptr ? *values : k_none;
      if (op == "In" && !contains(list, value)) return false;
      if (op == "NotIn" && contains(list, value)) return false;
      if (op == "Exists" && !value) return false;
      if (op == "DoesNotExist" && value) return false;
      if (op != "In" && op != "NotIn" && op != "Exists" && op != "DoesNotExist") return false;
    }
  }
  return any;
}

}  // namespace

std::vector<const Json*> select_pods(const Json& workload, std::span<const Json> pods,
                                     std::span<const Json> replica_sets) {
  std::string ns = string_at(workload, {"metadata", "namespace"});
  bool is_deployment = string_at(workload, {"kind"}) == "Deployment";
  std::vector<const Json*> owners{&workload};
  if (is_deployment) {
    for (const Json& rs : replica_sets) {
      if (string_at(rs, {"metadata", "namespace"}) == ns && owned_by(rs, workload)) {
        owners.push_back(&rs);
      }
    }
  }
  const Json* selector = find_path(workload, {"spec", "selector"});
  std::vector<const Json*> out;
  for (const Json& pod : pods) {
    if (string_at(pod, {"metadata", "namespace"}) != ns) continue;
    bool belongs = false;
    for (const Json* owner : owners) belongs = belongs || owned_by(pod, *owner);
    // Without the ReplicaSets a Deployment's pods can only be recognised by its selector.
    bool by_selector = owner_references(pod) == nullptr ||
                       (is_deployment && replica_sets.empty() && owned_by_kind(pod, "ReplicaSet"));
    if (!belongs && by_selector) {
      belongs = selector != nullptr && selector->is_object() && selector_matches(*selector, pod);
    }
    if (belongs) out.push_back(&pod);
  }
  return out;
}

}  // namespace wavesync::health
