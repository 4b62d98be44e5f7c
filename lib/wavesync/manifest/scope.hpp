// Which kinds are cluster-scoped, offline: a built-in table of Kubernetes kinds plus the
// CRDs found in the input (`spec.scope: Cluster`). Unknown kinds count as namespaced until
// discovery says otherwise. Pure.
#pragma once

#include "wavesync/model/resource.hpp"

#include <set>
#include <string>
#include <utility>
#include <vector>

namespace wavesync::manifest {

class ScopeTable {
 public:
  // Learns the cluster-scoped custom kinds defined by CRDs in `resources`.
  explicit ScopeTable(const std::vector<Resource>& resources);

  // `group` is the API group ("" for core), `kind` the object's kind.
  [[nodiscard]] bool cluster_scoped(const std::string& group, const std::string& kind) const;

 private:
  std::set<std::pair<std::string, std::string>> custom_cluster_kinds_;
};

}  // namespace wavesync::manifest
