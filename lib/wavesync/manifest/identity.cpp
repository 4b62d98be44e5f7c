#include "wavesync/manifest/identity.hpp"

#include "wavesync/manifest/scope.hpp"

#include <map>

namespace wavesync::manifest {

Result<void> settle_identity(std::vector<Resource>& resources, const std::string& default_namespace,
                             NamespacePolicy policy, DuplicatePolicy duplicates, std::vector<std::string>& warnings) {
  ScopeTable scopes(resources);
  std::map<ResourceKey, std::size_t> seen;
  std::vector<bool> dropped(resources.size(), false);
  for (std::size_t i = 0; i < resources.size(); ++i) {
    Resource& r = resources[i];
    if (scopes.cluster_scoped(group_of(r.api_version()), r.kind())) {
      // The API server ignores a namespace on a cluster-scoped object; dropping it keeps the
      // object's identity (and the plan) free of a namespace it does not have.
      nlohmann::json object = r.object();
      if (auto meta = object.find("metadata"); meta != object.end() && meta->is_object() && meta->contains("namespace")) {
        meta->erase("namespace");
        r.set_object(object);
      }
    } else {
      std::string ns = r.namespace_name();
      if (ns.empty()) {
        // kubectl sets the namespace it resolved (flag, else context) into the body it sends.
        nlohmann::json object = r.object();
        object["metadata"]["namespace"] = default_namespace;
        r.set_object(object);
      } else if (policy == NamespacePolicy::strict && ns != default_namespace) {
        return make_error(r.source.str() + ": " + r.kind() + " " + r.name() + " is in namespace \"" + ns +
                          "\": expected namespace \"" + default_namespace + "\" (--namespace-strict)");
      }
    }
    if (r.name().empty()) continue;  // generateName hooks get a fresh name on every sync
    auto [it, inserted] = seen.emplace(r.key(), i);
    if (inserted) continue;
    std::string message =
        r.source.str() + ": duplicate object " + r.key().str() + ": also defined at " + resources[it->second].source.str();
    if (duplicates == DuplicatePolicy::error) return make_error(message);
    // Argo CD keeps the last of repeated objects (controller/state.go NormalizeTargetObjects).
    warnings.push_back(message + "; the last one is used");
    dropped[it->second] = true;
    it->second = i;
  }
  std::size_t kept = 0;
  for (std::size_t i = 0; i < resources.size(); ++i) {
    if (dropped[i]) continue;
    if (kept != i) resources[kept] = std::move(resources[i]);
    ++kept;
  }
  resources.resize(kept);
  return {};
}

}  // namespace wavesync::manifest
