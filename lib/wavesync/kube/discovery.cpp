#include "wavesync/kube/discovery.hpp"
#include "wavesync/kube/server_json.hpp"

namespace wavesync::kube {

bool is_aggregated_discovery(const std::string& content_type) {
  return content_type.find("as=APIGroupDiscoveryList") != std::string::npos &&
         content_type.find("g=apidiscovery.k8s.io") != std::string::npos;
}

std::vector<ResourceType> parse_aggregated_discovery(const nlohmann::json& list) {
  std::vector<ResourceType> out;
  const auto* items = array_at(list, {"items"});
  if (items == nullptr) return out;
  for (const auto& group : *items) {
    std::string group_name;
    if (const auto* meta = object_at(group, {"metadata"})) {
      group_name = string_at(*meta, {"name"});
    }
    const auto* versions = array_at(group, {"versions"});
    if (versions == nullptr) continue;
    for (const auto& version : *versions) {
      const std::string version_name = string_at(version, {"version"});
      const auto* resources = array_at(version, {"resources"});
      if (resources == nullptr) continue;
      for (const auto& r : *resources) {
        ResourceType t;
        t.group = group_name;
        t.version = version_name;
        t.resource = string_at(r, {"resource"});
        if (const auto* rk = object_at(r, {"responseKind"})) {
          t.kind = string_at(*rk, {"kind"});
        }
        t.namespaced = string_at(r, {"scope"}) != "Cluster";
        if (!t.kind.empty() && !t.resource.empty()) out.push_back(std::move(t));
      }
    }
  }
  return out;
}

std::vector<ResourceType> parse_resource_list(const nlohmann::json& list) {
  std::vector<ResourceType> out;
  const std::string group_version = string_at(list, {"groupVersion"});
  const auto slash = group_version.find('/');
  const std::string group = slash == std::string::npos ? "" : group_version.substr(0, slash);
  const std::string version =
      slash == std::string::npos ? group_version : group_version.substr(slash + 1);
  const auto* resources = array_at(list, {"resources"});
  if (resources == nullptr) return out;
  for (const auto& r : *resources) {
    ResourceType t;
    t.resource = string_at(r, {"name"});
    if (t.resource.find('/') != std::string::npos) continue;  // pods/status, deployments/scale
    t.group = group;
    t.version = version;
    t.kind = string_at(r, {"kind"});
    t.namespaced = !(r.is_object() && r.contains("namespaced") && r["namespaced"].is_boolean() && !r["namespaced"].get<bool>());
    if (!t.kind.empty() && !t.resource.empty()) out.push_back(std::move(t));
  }
  return out;
}

void DiscoveryMap::add(const std::vector<ResourceType>& types) {
  for (const auto& t : types) {
    const std::string api_version = t.group.empty() ? t.version : t.group + "/" + t.version;
    types_.try_emplace({api_version, t.kind}, t);
  }
}

std::optional<ResourceType> DiscoveryMap::find(const std::string& api_version,
                                               const std::string& kind) const {
  const auto it = types_.find({api_version, kind});
  if (it == types_.end()) return std::nullopt;
  return it->second;
}

}  // namespace wavesync::kube
