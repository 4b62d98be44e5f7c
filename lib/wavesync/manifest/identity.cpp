#include "wavesync/manifest/identity.hpp"

#include "wavesync/manifest/scope.hpp"

#include <map>

namespace wavesync::manifest {

Result<void> settle_identity(std::vector<Resource>& resources, const std::string& default_namespace,
                             NamespacePolicy policy) {
  ScopeTable scopes(resources);
  std::map<ResourceKey, const Resource*> seen;
  for (Resource& r : resources) {
    nlohmann::json& metadata = r.object["metadata"];
    if (scopes.cluster_scoped(group_of(r.api_version()), r.kind())) {
      // The API server ignores a namespace on a cluster-scoped object; dropping it keeps the
      // object's identity (and the plan) free of a namespace it does not have.
      metadata.erase("namespace");
    } else {
      std::string ns = r.namespace_name();
      if (ns.empty()) {
        // kubectl sets the namespace it resolved (flag, else context) into the body it sends.
        metadata["namespace"] = default_namespace;
      } else if (policy == NamespacePolicy::strict && ns != default_namespace) {
        return make_error(r.source.str() + ": " + r.kind() + " " + r.name() + " is in namespace \"" + ns +
                          "\": expected namespace \"" + default_namespace + "\" (--namespace-strict)");
      }
    }
    if (r.name().empty()) continue;  // generateName hooks get a fresh name on every sync
    auto [it, inserted] = seen.emplace(r.key(), &r);
    if (!inserted) {
      return make_error(r.source.str() + ": duplicate object " + r.key().str() + ": also defined at " +
                        it->second->source.str());
    }
  }
  return {};
}

}  // namespace wavesync::manifest
