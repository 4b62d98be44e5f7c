// kube::HttpClient: the real Client, speaking HTTP/2 to an API server through Transport.
// Thread-safety: every method may be called from any thread, concurrently; apply() runs its
// objects concurrently inside. A Watch must not outlive its HttpClient and is used from one
// thread at a time.
#pragma once

#include "wavesync/kube/client.hpp"
#include "wavesync/kube/credentials.hpp"
#include "wavesync/kube/discovery.hpp"
#include "wavesync/kube/kubeconfig.hpp"
#include "wavesync/kube/proxy.hpp"
#include "wavesync/kube/transport.hpp"

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace wavesync::kube {

struct ClientOptions {
  TransportOptions transport;
  // Server-side watch timeout; the stream is then resumed from the last resourceVersion.
  int watch_timeout_seconds = 300;
  // A discovery miss refreshes discovery once, unless it was refreshed this recently.
  std::chrono::milliseconds discovery_fresh_for{1000};
  // Watch retries back off from the first to the second (client-go reflector: 0.8 s, 30 s).
  std::chrono::milliseconds watch_initial_backoff{800};
  std::chrono::milliseconds watch_max_backoff{30000};
  // Lists are read in pages of this many items (client-go's pager default).
  int list_page_size = 500;
  // The process environment the connection depends on (tests inject their own).
  ProxyEnvironment proxy_environment;
  std::string ssl_cert_file;  // $SSL_CERT_FILE
  std::string ssl_cert_dir;   // $SSL_CERT_DIR
};

// Whether credentials may be sent to `server`: only over TLS. client-go's
// clientcmd DirectClientConfig.ClientConfig reads the user's token, basic auth, client
// certificate and exec plugin only when IsConfigTransportTLS; impersonation still applies.
bool sends_credentials(const std::string& server);

// `wavesync/<version> (<os>/<arch>) <revision>`, as client-go's DefaultKubernetesUserAgent
// (Go's names: linux/amd64).
std::string user_agent(const std::string& version, const std::string& revision);

// The Impersonate-User, -Uid, -Group and -Extra-<key> headers (client-go transport
// impersonatingRoundTripper; extra keys escaped by headerKeyEscape). Empty without a user.
std::vector<std::string> impersonation_headers(const Impersonation& impersonation);

class HttpClient final : public Client {
 public:
  // Error (exit code 4) when the server URL is unusable.
  static Result<std::unique_ptr<HttpClient>> create(const ClusterAccess& access,
                                                    ClientOptions options = {});

  Result<ResourceType> resolve(const std::string& api_version, const std::string& kind) override;
  Result<void> refresh_discovery() override;
  std::vector<Result<WriteResult>> apply(const std::vector<nlohmann::json>& objects,
                                         const ApplyOptions& options) override;
  Result<WriteResult> create(const nlohmann::json& object, DryRun dry_run,
                             FieldValidation validation = FieldValidation::strict) override;
  Result<WriteResult> update(const nlohmann::json& object, const ApplyOptions& options) override;
  Result<WriteResult> patch(const ObjectRef& ref, const nlohmann::json& json_patch) override;
  Result<WriteResult> merge_patch(const ObjectRef& ref, const nlohmann::json& patch,
                                  const ApplyOptions& options) override;
  Result<std::optional<nlohmann::json>> get(const ObjectRef& ref) override;
  Result<nlohmann::json> list(const WatchRequest& request) override;
  Result<void> remove(const ObjectRef& ref, Propagation propagation) override;
  std::vector<Result<std::optional<nlohmann::json>>> get_each(const std::vector<ObjectRef>& refs) override;
  std::vector<Result<void>> remove_each(const std::vector<std::pair<ObjectRef, Propagation>>& targets) override;
  Result<std::unique_ptr<Watch>> watch(const std::vector<WatchRequest>& requests,
                                       const WatchFilter& wanted) override;
  Result<std::string> pod_logs(const std::string& namespace_name, const std::string& pod,
                               const std::string& container, const LogOptions& options) override;
  Result<std::vector<nlohmann::json>> events_for(const ObjectRef& ref) override;

  // The namespace used for namespaced objects and refs that do not name one.
  [[nodiscard]] const std::string& default_namespace() const { return namespace_; }
  // TCP/TLS connections opened so far.
  [[nodiscard]] long connections_opened() const { return transport_->connections_opened(); }
  // How often the exec credential plugin ran.
  [[nodiscard]] int credential_plugin_runs() const { return credentials_.plugin_runs(); }

  // Low-level access for watch.cpp and tests.
  // Sends with credentials, refreshing them once after a 401 when they can be refreshed.
  // Returns the response whatever its status; Error only when credentials are unavailable.
  Result<HttpResponse> send(HttpRequest request);
  // Starts a streaming GET of `path_and_query` with current credentials.
  Result<Transport::StreamId> open_stream(const std::string& path_and_query,
                                          std::function<void(std::string_view)> on_data,
                                          std::function<void(HttpResponse)> on_done, bool metadata_only = false);
  void cancel_stream(Transport::StreamId id) { transport_->cancel(id); }
  // After a stream got 401: drop cached credentials so the next request fetches them again.
  // False when they cannot be refreshed (a static token, a client certificate).
  bool refresh_credentials() { return credentials_.invalidate_current(); }
  [[nodiscard]] const ClientOptions& options() const { return options_; }
  [[nodiscard]] int watch_timeout_seconds() const { return options_.watch_timeout_seconds; }
  // `ref` with its namespace defaulted (namespaced kinds) or cleared (cluster-scoped).
  Result<std::pair<ResourceType, std::string>> locate(const std::string& api_version,
                                                      const std::string& kind,
                                                      const std::string& namespace_name);
  // GETs every page of a list (`?limit=`/`continue`) and joins their items into one List;
  // metadata.resourceVersion is the last page's. Errors start with `context`.
  Result<nlohmann::json> list_pages(const std::string& context, const std::string& path_and_query,
                                    bool metadata_only);
  [[nodiscard]] std::string url(const std::string& path_and_query) const {
    return base_url_ + path_and_query;
  }

  HttpClient(const ClusterAccess& access, ClientOptions options, TlsOptions tls,
             std::string base_url);

 private:
  Result<void> load_discovery();  // caller holds discovery_mutex_
  std::future<HttpResponse> send_async(HttpRequest request, SharedAuth* used);
  // One request per object, all sent at once: its URL is the object's, `fill` sets the rest. A
  // 401 is retried once with fresh credentials, as send() does. Per object, in order: what the
  // request was (`get v1 ConfigMap shop/a`, for messages) and the answer, or why it was not sent.
  struct ObjectAnswer {
    std::string context;
    Result<HttpResponse> answer;
  };
  std::vector<ObjectAnswer> send_each(const std::string& verb, const std::vector<ObjectRef>& refs,
                                      const std::function<void(std::size_t, HttpRequest&)>& fill);
  // The answer to a write of `object`; a Secret's values are redacted from errors and warnings.
  Result<WriteResult> finish_write(const std::string& context, const nlohmann::json& object,
                                   HttpRequest request, std::future<HttpResponse> pending,
                                   const SharedAuth& used);

  ClientOptions options_;
  std::string base_url_;
  std::string namespace_;
  Credentials credentials_;
  std::unique_ptr<Transport> transport_;

  std::mutex discovery_mutex_;
  std::optional<DiscoveryMap> discovery_;
  std::chrono::steady_clock::time_point discovered_at_{};
};

}  // namespace wavesync::kube
