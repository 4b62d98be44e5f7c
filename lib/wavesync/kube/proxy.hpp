// Which proxy a request to the API server goes through, decided as client-go does rather
// than as libcurl would: the kubeconfig's proxy-url applies to every request (http.ProxyURL;
// NO_PROXY does not override it), else Go's http.ProxyFromEnvironment: HTTPS_PROXY or
// HTTP_PROXY by the server's scheme (upper case first), NO_PROXY matched against the server's
// real host (not tls-server-name), loopback servers never proxied, ALL_PROXY ignored. Pure.
#pragma once

#include <optional>
#include <string>

namespace wavesync::kube {

struct ProxyEnvironment {
  std::string https_proxy;     // HTTPS_PROXY, else https_proxy
  std::string http_proxy;      // HTTP_PROXY, else http_proxy
  std::string no_proxy;        // NO_PROXY, else no_proxy
  bool cgi = false;            // REQUEST_METHOD is set: HTTP_PROXY is ignored (httpoxy)

  static ProxyEnvironment from_environment();
};

// The proxy URL for a request to `scheme://host:port` (host without brackets), or empty for a
// direct connection. A proxy given without a scheme is http:// (Go's parseProxy).
std::string proxy_for(const std::string& scheme, const std::string& host, const std::string& port,
                      const std::string& kubeconfig_proxy_url, const ProxyEnvironment& env);

}  // namespace wavesync::kube
