// The HTTP transport: one libcurl multi handle driven by one background thread, HTTP/2
// multiplexing many requests over few connections, TLS from in-memory PEM blobs, a bounded
// number of requests in flight and retries with backoff.
// Knows nothing about Kubernetes objects; curl.h stays inside transport.cpp.
#pragma once

#include "wavesync/kube/credentials.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <future>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace wavesync::kube {

struct TlsOptions {
  std::string ca_pem;  // empty: system trust store
  // The system trust store as Go's crypto/x509 finds it: $SSL_CERT_FILE and $SSL_CERT_DIR
  // (colon-separated) replace libcurl's built-in bundle and directory when set.
  std::string system_ca_file;
  std::string system_ca_dir;
  bool insecure_skip_tls_verify = false;
  std::string connect_to;  // CURLOPT_CONNECT_TO entry for tls-server-name, or empty
  // The proxy every request goes through, already decided (proxy.hpp); empty: direct.
  // libcurl's own *_proxy/NO_PROXY handling is switched off.
  std::string proxy_url;
  bool compression = true;
};

struct TransportOptions {
  int max_in_flight = 64;            // concurrent non-streaming requests
  int max_retries = 10;              // for 429, 5xx and dropped connections
  // 429s are retried this often: throttling says "later", never "no"; 500 concurrent applies
  // against an apiserver with max-in-flight 1 need dozens of Retry-After rounds. --timeout
  // still bounds the run.
  int max_throttle_retries = 120;
  std::chrono::milliseconds initial_backoff{200};
  std::chrono::milliseconds max_backoff{5000};
  std::chrono::seconds max_retry_after{32};
  std::chrono::milliseconds connect_timeout{10000};
  std::chrono::milliseconds request_timeout{60000};  // non-streaming requests only
  // Sent on every request, streams included: `User-Agent` and e.g. Impersonate-* headers.
  std::string user_agent;
  std::vector<std::string> headers;
  // A longer response body fails the request ("response body larger than ..."); streams are
  // bounded by their reader instead.
  std::size_t max_body_bytes = std::size_t{256} << 20;
  // Dead connections are noticed as client-go's HTTP/2 health check notices them (ping after
  // 30 s idle, 15 s to answer): TCP keepalive after `keepalive_idle` and TCP_USER_TIMEOUT of
  // idle + `keepalive_timeout` for unacknowledged data.
  std::chrono::seconds keepalive_idle{30};
  std::chrono::seconds keepalive_timeout{15};
  // A stream that delivers not one byte for this long is dead (the server ends a watch at its
  // timeoutSeconds); 0 disables.
  std::chrono::seconds stream_silence_limit{0};
};

struct HttpRequest {
  std::string method = "GET";
  std::string url;
  std::vector<std::string> headers;  // `Name: value`
  std::string body;
  // Safe to send twice: retried after 5xx and dropped connections. Non-idempotent requests
  // are retried only when they cannot have reached the server (429, connect failures).
  bool idempotent = true;
  // Shared, not copied: 5,000 requests of one step in flight would otherwise each hold the
  // client certificate and key.
  std::shared_ptr<const AuthMaterial> auth;
};

struct HttpResponse {
  long status = 0;              // 0: no HTTP response, see transport_error
  std::string transport_error;  // libcurl's description when status is 0
  std::string content_type;
  std::vector<std::string> warnings;  // texts of `Warning` headers
  long retry_after_seconds = -1;      // `Retry-After` in seconds, -1 when absent
  std::string body;
  int attempts = 0;
};

class Transport {
 public:
  using StreamId = std::uint64_t;

  Transport(TlsOptions tls, TransportOptions options);
  ~Transport();
  Transport(const Transport&) = delete;
  Transport& operator=(const Transport&) = delete;

  // Thread-safe. The future is fulfilled on the transport thread after retries.
  std::future<HttpResponse> send(HttpRequest request);

  // A long-lived streaming GET (watch). `on_data` receives body bytes of a 2xx response as they
  // arrive; `on_done` gets the final response (its body holds a non-2xx error body). Both run on
  // the transport thread and must not block. Streams are not retried and not counted in
  // max_in_flight. Thread-safe.
  StreamId open_stream(HttpRequest request, std::function<void(std::string_view)> on_data,
                       std::function<void(HttpResponse)> on_done);
  // Stops a stream; its callbacks are not called afterwards. Thread-safe.
  void cancel(StreamId id);

  // TCP/TLS connections opened so far (sum of CURLINFO_NUM_CONNECTS).
  long connections_opened() const { return connections_.load(); }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::atomic<long> connections_{0};
};

}  // namespace wavesync::kube
