// Test support for kube/: private temp folders, a throw-away PKI made with the openssl CLI,
// and a local HTTPS API-server stand-in built on cpp-httplib (HTTP/1.1 only).
#pragma once

#include "wavesync/kube/kubeconfig.hpp"

#ifndef CPPHTTPLIB_OPENSSL_SUPPORT
#define CPPHTTPLIB_OPENSSL_SUPPORT
#endif
#include <httplib.h>

#include <memory>
#include <string>
#include <thread>

namespace wavesync::test {

// A folder created 0700 and removed with its content on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  [[nodiscard]] const std::string& path() const { return path_; }
  // Writes `content` to path()/name (creating folders) and returns the full path.
  std::string write(const std::string& name, const std::string& content, int mode = 0600) const;

 private:
  std::string path_;
};

// A CA, a server certificate for DNS names localhost and kube.example (no IP SAN), a client
// certificate signed by the CA, and an unrelated second CA. Made once per test process.
struct Pki {
  std::string dir;
  std::string ca_path;
  std::string ca_pem;
  std::string server_cert_path;
  std::string server_key_path;
  std::string client_cert_pem;
  std::string client_key_pem;
  std::string other_ca_pem;
};
const Pki& test_pki();

// An HTTPS server on 127.0.0.1 (random port) running in its own thread.
class TestServer {
 public:
  // With `require_client_cert`, TLS handshakes without a certificate from the test CA fail.
  explicit TestServer(bool require_client_cert);
  ~TestServer();
  httplib::SSLServer& http() { return *server_; }
  void start();
  [[nodiscard]] int port() const { return port_; }
  // `https://localhost:PORT`.
  [[nodiscard]] std::string url() const;

 private:
  std::unique_ptr<httplib::SSLServer> server_;
  std::thread thread_;
  int port_ = 0;
};

// ClusterAccess for `server_url` trusting the test CA, authenticating with the test client
// certificate.
kube::ClusterAccess access_for(const std::string& server_url);

// Legacy discovery for v1 configmaps/pods/namespaces/events, served by `server`.
void serve_core_discovery(httplib::SSLServer& server);

}  // namespace wavesync::test
