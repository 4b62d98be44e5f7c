#include "wavesync/applyset/inventory.hpp"

#include <set>

namespace wavesync::applyset {

namespace {

kube::ObjectRef parent_ref(const ParentRef& parent) {
  return kube::ObjectRef{"v1", parent.kind_name(), parent.namespace_name, parent.name};
}

bool is_sync_annotation(const std::string& key) {
  return key.rfind("argocd.argoproj.io/", 0) == 0 || key.rfind("helm.sh/", 0) == 0 ||
         key.rfind("wavesync.dev/", 0) == 0;
}

// What deciding a prune reads of a live object (prune_plan.cpp): apiVersion and kind (given),
// name, namespace, the part-of label, the Argo CD, Helm and wavesync annotations, finalizers
// and deletionTimestamp. The rest (uid, resourceVersion, timestamps, other labels and
// annotations, owners) is dropped: a prune of 50,000 objects held them all at once.
nlohmann::json candidate_of(nlohmann::json& live, const std::string& api_version, const std::string& kind) {
  nlohmann::json out{{"apiVersion", api_version}, {"kind", kind}};
  auto meta = live.find("metadata");
  if (meta == live.end() || !meta->is_object()) return out;
  nlohmann::json kept = nlohmann::json::object();
  for (const char* field : {"name", "namespace", "finalizers", "deletionTimestamp"}) {
    if (auto it = meta->find(field); it != meta->end()) kept[field] = std::move(*it);
  }
  if (auto labels = meta->find("labels"); labels != meta->end() && labels->is_object()) {
    if (auto it = labels->find(k_part_of_label); it != labels->end()) kept["labels"][k_part_of_label] = std::move(*it);
  }
  if (auto annotations = meta->find("annotations"); annotations != meta->end() && annotations->is_object()) {
    for (auto it = annotations->begin(); it != annotations->end(); ++it) {
      if (is_sync_annotation(it.key())) kept["annotations"][it.key()] = std::move(it.value());
    }
  }
  out["metadata"] = std::move(kept);
  return out;
}

}  // namespace

Result<std::optional<Inventory>> fetch_inventory(kube::Client& client, const ParentRef& parent) {
  auto live = client.get(parent_ref(parent));
  if (!live) return live.error().wrap("read applyset parent " + parent.str());
  if (!live->has_value()) return std::optional<Inventory>();
  auto inventory = read_parent(**live, parent);
  if (!inventory) return inventory.error();
  return std::optional<Inventory>(std::move(*inventory));
}

Result<void> write_inventory(kube::Client& client, const ParentRef& parent, const Inventory& inventory,
                             const std::string& tooling, kube::DryRun dry_run) {
  const nlohmann::json body = parent_object(parent, inventory, tooling);
  kube::ApplyOptions options;
  options.dry_run = dry_run;
  options.field_manager = k_parent_field_manager;
  auto results = client.apply({body}, options);
  if (!results.empty() && !results[0].ok() && results[0].error().http_status == 409) {
    // kubectl re-applies its parent with conflicts forced: the parent's fields are the tool's.
    options.force_conflicts = kube::ForceConflicts::yes;
    results = client.apply({body}, options);
  }
  if (results.empty()) return make_error("write applyset parent " + parent.str() + ": no answer");
  if (!results[0].ok()) return results[0].error().wrap("write applyset parent " + parent.str());
  return {};
}

ResourceKey server_key(kube::Client& client, const std::string& api_version, ResourceKey key) {
  auto type = client.resolve(api_version, key.kind);
  if (type.ok() && !type->namespaced) key.namespace_name.clear();
  return key;
}

std::map<ResourceKey, std::string> plan_members(kube::Client& client, const Plan& plan) {
  std::map<ResourceKey, std::string> members;
  for (const auto& step : plan.steps) {
    for (const auto& planned : step.resources) {
      if (planned.hook) continue;
      const std::string api_version = planned.resource.api_version();
      members[server_key(client, api_version, planned.resource.key())] = api_version;
    }
  }
  return members;
}

Result<std::vector<LiveObject>> find_candidates(kube::Client& client, const Inventory& inventory,
                                                const std::string& id, std::vector<std::string>& warnings,
                                                const std::set<ResourceKey>& keep) {
  // The apiVersion to list a kind with: the one recorded for any of its members.
  std::map<GroupKind, std::string> versions;
  for (const auto& [key, api_version] : inventory.members) {
    versions.emplace(GroupKind{key.group, key.kind}, api_version);
  }
  std::vector<LiveObject> found;
  std::set<ResourceKey> seen;
  for (const auto& gk : inventory.group_kinds) {
    auto version = versions.find(gk);
    if (version == versions.end()) {
      warnings.push_back("applyset: no member of " + gk.str() + " is recorded; its objects are not checked");
      continue;
    }
    auto type = client.resolve(version->second, gk.kind);
    if (!type) {
      if (type.error().http_status == 404) {
        warnings.push_back("applyset: " + version->second + " " + gk.kind +
                           " is no longer served; nothing of that kind is left to prune");
        continue;
      }
      return type.error().wrap("applyset: list " + gk.str());
    }
    std::vector<std::string> namespaces;
    if (type->namespaced) {
      namespaces.assign(inventory.namespaces.begin(), inventory.namespaces.end());
    } else {
      namespaces.emplace_back();
    }
    for (const auto& ns : namespaces) {
      // Pruning reads only metadata (labels, annotations, owners, finalizers): 10,000 members
      // are not downloaded and kept whole.
      kube::WatchRequest request{version->second, gk.kind, ns, std::string(k_part_of_label) + "=" + id, ""};
      request.metadata_only = true;
      auto list = client.list(request);
      if (!list) return list.error().wrap("applyset: list " + gk.str() + (ns.empty() ? "" : " in " + ns));
      for (auto& item : (*list)["items"]) {
        // List items carry no (or a PartialObjectMetadata) apiVersion/kind; the real ones are
        // put back.
        nlohmann::json candidate = candidate_of(item, version->second, gk.kind);
        ResourceKey key = live_key(candidate);
        // The manifests' own objects are neither candidates nor looked up again below.
        if (keep.count(key) != 0) continue;
        if (seen.insert(key).second) found.emplace_back(candidate);
      }
      list->clear();
    }
  }
  for (const auto& [key, api_version] : inventory.members) {
    if (seen.count(key) != 0 || keep.count(key) != 0) continue;
    auto live = client.get(kube::ObjectRef{api_version, key.kind, key.namespace_name, key.name});
    if (!live) {
      if (live.error().http_status == 404) continue;  // the kind is gone
      return live.error().wrap("applyset: read member " + key.str());
    }
    if (!live->has_value()) continue;
    seen.insert(key);
    found.emplace_back(candidate_of(**live, api_version, key.kind));
  }
  return found;
}

Result<std::vector<std::string>> foreign_members(kube::Client& client, const Plan& plan,
                                                 const std::string& id) {
  // One LIST of the labelled objects per collection (kind, namespace) the plan writes to, not
  // one GET per object: a plan of 10,000 objects costs a handful of requests, not 10,000
  // sequential round trips before the first apply.
  struct Collection {
    std::string api_version;
    std::string kind;
    std::string namespace_name;
    auto operator<=>(const Collection&) const = default;
  };
  std::map<Collection, std::map<std::string, std::string>> owners;  // -> name -> part-of
  auto owners_in = [&](const Collection& c) -> Result<const std::map<std::string, std::string>*> {
    auto it = owners.find(c);
    if (it != owners.end()) return &it->second;
    // Only objects of another ApplySet come back: the server filters out ours, so re-applying
    // 10,000 of our own objects does not download and parse all of them first.
    const std::string selector = std::string(k_part_of_label) + "," + std::string(k_part_of_label) + "!=" + id;
    kube::WatchRequest request{c.api_version, c.kind, c.namespace_name, selector, ""};
    request.metadata_only = true;
    auto list = client.list(request);
    if (!list) return list.error();
    std::map<std::string, std::string> names;
    for (const auto& item : list->value("items", nlohmann::json::array())) {
      names[item["metadata"].value("name", "")] = part_of(item);
    }
    return &owners.emplace(c, std::move(names)).first->second;
  };
  std::vector<std::string> messages;
  for (const auto& step : plan.steps) {
    for (const auto& planned : step.resources) {
      if (planned.hook) continue;
      const std::string api_version = planned.resource.api_version();
      auto type = client.resolve(api_version, planned.resource.kind());
      if (!type) continue;  // a kind not served yet: nothing of it exists
      ResourceKey key = planned.resource.key();
      if (!type->namespaced) key.namespace_name.clear();
      auto names = owners_in(Collection{api_version, key.kind, key.namespace_name});
      if (!names) return names.error().wrap("applyset: read " + key.str());
      auto found = (*names)->find(key.name);
      if (found == (*names)->end()) continue;
      const std::string& owner = found->second;
      if (!owner.empty() && owner != id) {
        messages.push_back(planned.resource.source.file_line() + ": " + api_version + " " + key.kind + " " +
                           (key.namespace_name.empty() ? "" : key.namespace_name + "/") + key.name +
                           " belongs to ApplySet " + owner + "; wavesync does not adopt it");
      }
    }
  }
  return messages;
}

}  // namespace wavesync::applyset
