// Pure builders for API request paths, query strings and bodies (server-side apply, delete,
// list, watch). No I/O; what goes over the wire is decided here and unit-tested.
#pragma once

#include "wavesync/kube/client.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace wavesync::kube {

// Every byte but ASCII letters, digits and those in `keep` as %XX.
std::string percent_escape(std::string_view text, std::string_view keep);
// percent_escape keeping RFC 3986's unreserved characters.
std::string url_escape(std::string_view text);

// `/api/v1/namespaces/shop/configmaps/web`, `/apis/apps/v1/deployments` (all namespaces).
// `namespace_name` is ignored for cluster-scoped types.
std::string resource_path(const ResourceType& type, const std::string& namespace_name,
                          const std::string& name);

// `?fieldManager=wavesync&fieldValidation=Strict|Ignore[&dryRun=All][&force=true]`.
std::string apply_query(const ApplyOptions& options);

// The JSON body of a server-side apply: fields the server owns or rejects (status,
// managedFields, resourceVersion, uid, creationTimestamp, selfLink, generation) removed;
// metadata.namespace set to `namespace_name` for namespaced types and removed otherwise.
nlohmann::json apply_body(nlohmann::json object, const ResourceType& type,
                          const std::string& namespace_name);

// `{"apiVersion":"v1","kind":"DeleteOptions","propagationPolicy":"Foreground"}`.
nlohmann::json delete_body(Propagation propagation);

// Query for a list (`?labelSelector=...&fieldSelector=...`), or for a watch continuing from
// `resource_version` with bookmarks and a server-side timeout.
std::string list_query(const WatchRequest& request);
std::string watch_query(const WatchRequest& request, const std::string& resource_version,
                        int timeout_seconds);

// Dumps JSON as the API server's YAML decoder accepts it: raw UTF-8, `/` unescaped.
std::string wire_json(const nlohmann::json& body);

}  // namespace wavesync::kube
