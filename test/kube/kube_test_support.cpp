#include "kube/kube_test_support.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <sys/stat.h>

namespace wavesync::test {
namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

void run(const std::string& command) {
  const int rc = std::system((command + " >/dev/null 2>&1").c_str());
  if (rc != 0) FAIL("command failed: " << command);
}

}  // namespace

TempDir::TempDir() {
  std::string templ = (std::filesystem::temp_directory_path() / "wavesync-kube-XXXXXX").string();
  if (::mkdtemp(templ.data()) == nullptr) FAIL("mkdtemp failed");
  ::chmod(templ.c_str(), 0700);
  path_ = templ;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string TempDir::write(const std::string& name, const std::string& content, int mode) const {
  const std::filesystem::path p = std::filesystem::path(path_) / name;
  std::filesystem::create_directories(p.parent_path());
  {
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out << content;
  }
  ::chmod(p.c_str(), static_cast<mode_t>(mode));
  return p.string();
}

const Pki& test_pki() {
  static const TempDir dir;
  static const Pki pki = [] {
    Pki p;
    p.dir = dir.path();
    const std::string d = p.dir + "/";
    const std::string ec = "-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes";
    run("openssl req -x509 " + ec + " -keyout " + d + "ca.key -out " + d +
        "ca.crt -days 2 -subj /CN=wavesync-test-ca");
    run("openssl req -x509 " + ec + " -keyout " + d + "other.key -out " + d +
        "other.crt -days 2 -subj /CN=other-ca");
    run("openssl req " + ec + " -keyout " + d + "server.key -out " + d +
        "server.csr -subj /CN=localhost");
    std::ofstream(d + "server.ext") << "subjectAltName=DNS:localhost,DNS:kube.example\n"
                                    << "extendedKeyUsage=serverAuth\n";
    run("openssl x509 -req -in " + d + "server.csr -CA " + d + "ca.crt -CAkey " + d +
        "ca.key -CAcreateserial -out " + d + "server.crt -days 2 -extfile " + d + "server.ext");
    run("openssl req " + ec + " -keyout " + d + "client.key -out " + d +
        "client.csr -subj /CN=wavesync-client/O=system:masters");
    std::ofstream(d + "client.ext") << "extendedKeyUsage=clientAuth\n";
    run("openssl x509 -req -in " + d + "client.csr -CA " + d + "ca.crt -CAkey " + d +
        "ca.key -CAcreateserial -out " + d + "client.crt -days 2 -extfile " + d + "client.ext");
    p.ca_path = d + "ca.crt";
    p.ca_pem = slurp(p.ca_path);
    p.server_cert_path = d + "server.crt";
    p.server_key_path = d + "server.key";
    p.client_cert_pem = slurp(d + "client.crt");
    p.client_key_pem = slurp(d + "client.key");
    p.other_ca_pem = slurp(d + "other.crt");
    return p;
  }();
  return pki;
}

TestServer::TestServer(bool require_client_cert) {
  const Pki& pki = test_pki();
  server_ = std::make_unique<httplib::SSLServer>(
      pki.server_cert_path.c_str(), pki.server_key_path.c_str(),
      require_client_cert ? pki.ca_path.c_str() : nullptr);
  REQUIRE(server_->is_valid());
  port_ = server_->bind_to_any_port("127.0.0.1");
  REQUIRE(port_ > 0);
}

void TestServer::start() {
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  while (!server_->is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

TestServer::~TestServer() {
  server_->stop();
  if (thread_.joinable()) thread_.join();
}

std::string TestServer::url() const { return "https://localhost:" + std::to_string(port_); }

kube::ClusterAccess access_for(const std::string& server_url) {
  kube::ClusterAccess a;
  a.cluster.name = "test";
  a.cluster.server = server_url;
  a.cluster.ca_pem = test_pki().ca_pem;
  a.user.name = "test";
  a.user.client_certificate_pem = test_pki().client_cert_pem;
  a.user.client_key_pem = test_pki().client_key_pem;
  a.namespace_name = "default";
  a.context = "test";
  return a;
}

void serve_core_discovery(httplib::SSLServer& server) {
  server.Get("/api", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(R"({"kind":"APIVersions","versions":["v1"]})", "application/json");
  });
  server.Get("/apis", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(R"({"kind":"APIGroupList","groups":[]})", "application/json");
  });
  server.Get("/api/v1", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(R"({"kind":"APIResourceList","groupVersion":"v1","resources":[
      {"name":"configmaps","namespaced":true,"kind":"ConfigMap"},
      {"name":"pods","namespaced":true,"kind":"Pod"},
      {"name":"pods/log","namespaced":true,"kind":"Pod"},
      {"name":"events","namespaced":true,"kind":"Event"},
      {"name":"namespaces","namespaced":false,"kind":"Namespace"}]})",
                    "application/json");
  });
}

}  // namespace wavesync::test
