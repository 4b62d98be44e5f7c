#include "wavesync/kube/discovery.hpp"

namespace wavesync::kube {

bool is_aggregated_discovery(const std::string& content_type) {
  return content_type.find("as=APIGroupDiscoveryList") != std::string::npos &&
         content_type.find("g=apidiscovery.k8s.io") != std::string::npos;
}

std::vector<ResourceType> parse_aggregated_discovery(const nlohmann::json& list) {
  std::vector<ResourceType> out;
  const auto items = list.find("items");
  if (items == list.end() || !items->is_array()) return out;
  for (const auto& group : *items) {
    std::string group_name;
    if (auto meta = group.find("metadata"); meta != group.end() && meta->is_object()) {
      group_name = meta->value("name", "");
    }
    const auto versions = group.find("versions");
    if (versions == group.end() || !versions->is_array()) continue;
    for (const auto& version : *versions) {
      const std::string version_name = version.value("version", "");
      const auto resources = version.find("resources");
      if (resources == version.end() || !resources->is_array()) continue;
      for (const auto& r : *resources) {
        ResourceType t;
        t.group = group_name;
        t.version = version_name;
        t.resource = r.value("resource", "");
        if (auto rk = r.find("responseKind"); rk != r.end() && rk->is_object()) {
          t.kind = rk->value("kind", "");
        }
        t.namespaced = r.value("scope", "Namespaced") == "Namespaced";
        if (!t.kind.empty() && !t.resource.empty()) out.push_back(std::move(t));
      }
    }
  }
  return out;
}

std::vector<ResourceType> parse_resource_list(const nlohmann::json& list) {
  std::vector<ResourceType> out;
  const std::string group_version = list.value("groupVersion", "");
  const auto slash = group_version.find('/');
  const std::string group = slash == std::string::npos ? "" : group_version.substr(0, slash);
  const std::string version =
      slash == std::string::npos ? group_version : group_version.substr(slash + 1);
  const auto resources = list.find("resources");
  if (resources == list.end() || !resources->is_array()) return out;
  for (const auto& r : *resources) {
    ResourceType t;
    t.resource = r.value("name", "");
    if (t.resource.find('/') != std::string::npos) continue;  // pods/status, deployments/scale
    t.group = group;
    t.version = version;
    t.kind = r.value("kind", "");
    t.namespaced = r.value("namespaced", true);
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
