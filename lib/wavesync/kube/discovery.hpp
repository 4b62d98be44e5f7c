// Discovery documents -> kind-to-resource mapping. Parses aggregated discovery
// (apidiscovery.k8s.io v2 and v2beta1 APIGroupDiscoveryList) and legacy APIResourceList
// documents. Pure; fetching happens in http_discovery.cpp.
#pragma once

#include "wavesync/kube/client.hpp"

#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace wavesync::kube {

// The Accept header that asks for aggregated discovery, v2 first: servers >= 1.33 answer 404
// when v2beta1 is what gets negotiated.
inline constexpr const char* k_aggregated_discovery_accept =
    "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,"
    "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,"
    "application/json";

// True when the response Content-Type is an aggregated discovery document.
bool is_aggregated_discovery(const std::string& content_type);

// All kinds of an APIGroupDiscoveryList (subresources skipped). Stale versions are kept:
// their resources are still served when the aggregated server comes back.
std::vector<ResourceType> parse_aggregated_discovery(const nlohmann::json& list);

// All kinds of one APIResourceList (`/api/v1`, `/apis/apps/v1`), subresources skipped.
std::vector<ResourceType> parse_resource_list(const nlohmann::json& list);

// (apiVersion, kind) -> ResourceType.
class DiscoveryMap {
 public:
  void add(const std::vector<ResourceType>& types);
  [[nodiscard]] std::optional<ResourceType> find(const std::string& api_version,
                                                 const std::string& kind) const;
  [[nodiscard]] std::size_t size() const { return types_.size(); }

 private:
  std::map<std::pair<std::string, std::string>, ResourceType> types_;
};

}  // namespace wavesync::kube
