// Discovery over HTTP: aggregated discovery first (two requests), legacy /api + /apis with one
// request per group-version as the fallback (client-go discovery_client.go). A kind that is
// missing triggers one refresh, like kubectl's DeferredDiscoveryRESTMapper.
#include "wavesync/kube/http_client.hpp"
#include "wavesync/kube/server_json.hpp"

#include "wavesync/kube/requests.hpp"
#include "wavesync/kube/status_error.hpp"

#include <future>

namespace wavesync::kube {
namespace {

HttpRequest discovery_request(const HttpClient& client, const std::string& path,
                              const char* accept) {
  HttpRequest r;
  r.url = client.url(path);
  r.headers = {std::string("Accept: ") + accept};
  return r;
}

}  // namespace

Result<void> HttpClient::load_discovery() {
  DiscoveryMap map;
  std::vector<std::string> legacy_paths;
  // /api and /apis concurrently.
  auto api = std::async(std::launch::async, [this] {
    return send(discovery_request(*this, "/api", k_aggregated_discovery_accept));
  });
  auto apis = send(discovery_request(*this, "/apis", k_aggregated_discovery_accept));
  auto core = api.get();
  for (auto* answer : {&core, &apis}) {
    if (!*answer) return answer->error().wrap("discovery");
    const HttpResponse& r = **answer;
    const bool is_core = answer == &core;
    if (r.status != 200) return response_error(is_core ? "discovery /api" : "discovery /apis", r);
    const auto parsed = parse_json(r.body);
    if (!parsed) {
      return make_error(std::string("discovery ") + (is_core ? "/api" : "/apis") +
                            ": the server answered with invalid JSON",
                        exit_code::k_cluster);
    }
    if (is_aggregated_discovery(r.content_type)) {
      map.add(parse_aggregated_discovery(*parsed));
    } else if (is_core) {
      if (const auto* versions = array_at(*parsed, {"versions"})) {
        for (const auto& v : *versions) {
          if (v.is_string()) legacy_paths.push_back("/api/" + v.get<std::string>());
        }
      }
    } else {
      if (const auto* groups = array_at(*parsed, {"groups"})) {
        for (const auto& g : *groups) {
          const auto* versions = array_at(g, {"versions"});
          if (versions == nullptr) continue;
          for (const auto& v : *versions) {
            if (const std::string gv = string_at(v, {"groupVersion"}); !gv.empty()) legacy_paths.push_back("/apis/" + gv);
          }
        }
      }
    }
  }
  // Legacy discovery: every group-version at once; a failing one (an unavailable aggregated
  // API) is skipped, as client-go's partial discovery does.
  std::vector<std::pair<std::future<HttpResponse>, SharedAuth>> answers;
  for (const auto& path : legacy_paths) {
    SharedAuth used;
    auto f = send_async(discovery_request(*this, path, "application/json"), &used);
    answers.emplace_back(std::move(f), used);
  }
  for (auto& [future, used] : answers) {
    const HttpResponse r = future.get();
    if (r.status == 401 || r.status == 403 || r.status == 0) {
      return response_error("discovery", r);
    }
    if (r.status != 200) continue;
    const auto body = nlohmann::json::parse(r.body, nullptr, false);
    if (!body.is_discarded()) map.add(parse_resource_list(body));
  }
  discovery_ = std::move(map);
  discovered_at_ = std::chrono::steady_clock::now();
  return {};
}

Result<void> HttpClient::refresh_discovery() {
  std::lock_guard lock(discovery_mutex_);
  discovery_.reset();
  return load_discovery();
}

Result<ResourceType> HttpClient::resolve(const std::string& api_version, const std::string& kind) {
  std::lock_guard lock(discovery_mutex_);
  if (!discovery_) {
    if (auto r = load_discovery(); !r) return r.error();
  }
  if (auto found = discovery_->find(api_version, kind)) return *found;
  if (std::chrono::steady_clock::now() - discovered_at_ >= options_.discovery_fresh_for) {
    if (auto r = load_discovery(); !r) return r.error();
    if (auto found = discovery_->find(api_version, kind)) return *found;
  }
  Error e{"no matches for kind \"" + kind + "\" in version \"" + api_version +
              "\": ensure CRDs are installed first",
          exit_code::k_sync_failed, 404};
  return e;
}

}  // namespace wavesync::kube
