// Input from outside the process: exec plugin answers with nulls and odd types, hostile text
// from the cluster, deeply nested JSON, proxy environment, oversized answers.
#include "kube/kube_test_support.hpp"
#include "wavesync/kube/cluster_text.hpp"
#include "wavesync/kube/exec_credential.hpp"
#include "wavesync/kube/http_client.hpp"
#include "wavesync/kube/proxy.hpp"
#include "wavesync/kube/secret_redaction.hpp"
#include "wavesync/kube/server_json.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <arpa/inet.h>
#include <fcntl.h>
#include <filesystem>
#include <netinet/in.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

using namespace wavesync;
using namespace wavesync::kube;
using wavesync::test::TempDir;

namespace {

ExecConfig plugin(const std::string& command) {
  ExecConfig e;
  e.command = command;
  e.api_version = "client.authentication.k8s.io/v1";
  e.interactive_mode = "Never";
  return e;
}

std::string credential(const std::string& status) {
  return R"({"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":)" + status + "}";
}

// Sets an environment variable for one scope.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const std::string& value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    ::setenv(name, value.c_str(), 1);
  }
  ~ScopedEnv() {
    if (old_) {
      ::setenv(name_, old_->c_str(), 1);
    } else {
      ::unsetenv(name_);
    }
  }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

}  // namespace

TEST_CASE("Null fields in an ExecCredential read as absent, not as a crash", "[kube][exec][untrusted]") {
  const ExecConfig e = plugin("p");
  auto no_expiry = parse_exec_credential(credential(R"({"token":"t","expirationTimestamp":null})"), e);
  REQUIRE(no_expiry.ok());
  CHECK(no_expiry->token == "t");
  CHECK_FALSE(no_expiry->expiry.has_value());
  auto null_token = parse_exec_credential(credential(R"({"token":null,"clientCertificateData":null})"), e);
  REQUIRE_FALSE(null_token.ok());
  CHECK(null_token.error().message == "exec plugin \"p\": returned neither a token nor a client certificate");
  auto null_status = parse_exec_credential(credential("null"), e);
  REQUIRE_FALSE(null_status.ok());
  CHECK(null_status.error().message == "exec plugin \"p\": returned an ExecCredential without status");
  auto null_version = parse_exec_credential(R"({"apiVersion":null,"status":{"token":"t"}})", e);
  REQUIRE_FALSE(null_version.ok());
  CHECK(null_version.error().message ==
        "exec plugin \"p\": returned apiVersion \"\", expected \"client.authentication.k8s.io/v1\"");
}

TEST_CASE("Odd-typed fields in an ExecCredential are a clear error", "[kube][exec][untrusted]") {
  const ExecConfig e = plugin("p");
  auto number = parse_exec_credential(credential(R"({"token":12345})"), e);
  REQUIRE_FALSE(number.ok());
  CHECK(number.error().message == "exec plugin \"p\": returned an ExecCredential whose status.token is not a string");
  auto expiry = parse_exec_credential(credential(R"({"token":"t","expirationTimestamp":{"a":1}})"), e);
  REQUIRE_FALSE(expiry.ok());
  CHECK(expiry.error().message ==
        "exec plugin \"p\": returned an ExecCredential whose status.expirationTimestamp is not a string");
  auto kind = parse_exec_credential(R"({"apiVersion":"client.authentication.k8s.io/v1","kind":[1],"status":{"token":"t"}})", e);
  REQUIRE_FALSE(kind.ok());
  CHECK(kind.error().message == "exec plugin \"p\": returned an ExecCredential whose kind is not a string");
  std::string deep(100000, '[');
  CHECK_FALSE(parse_exec_credential(deep, e).ok());
}

TEST_CASE("A plugin found through an empty PATH entry is not run", "[kube][exec][untrusted]") {
  TempDir dir;
  dir.write("kubectl-token", "#!/bin/sh\ntouch ran\n", 0700);
  char old_cwd[4096];
  REQUIRE(::getcwd(old_cwd, sizeof old_cwd) != nullptr);
  REQUIRE(::chdir(dir.path().c_str()) == 0);
  Result<ExecCredential> got = Error{};
  {
    ScopedEnv path("PATH", "/usr/bin:");
    got = run_exec_plugin(plugin("kubectl-token"), ClusterInfo{});
  }
  REQUIRE(::chdir(old_cwd) == 0);
  REQUIRE_FALSE(got.ok());
  CHECK(got.error().message == "exec plugin \"kubectl-token\": found as ./kubectl-token through a relative PATH "
                               "entry (an empty entry is the current directory): refusing to run it; give an "
                               "absolute command path or fix PATH");
  CHECK_FALSE(std::filesystem::exists(dir.path() + "/ran"));
}

TEST_CASE("installHint is shown with its control characters made visible", "[kube][exec][untrusted]") {
  ExecConfig e = plugin("/nonexistent/plugin");
  e.install_hint = "install it\x1b]0;owned\x07 from \x1b[31mhere";
  auto got = run_exec_plugin(e, ClusterInfo{});
  REQUIRE_FALSE(got.ok());
  CHECK(got.error().message == "exec plugin \"/nonexistent/plugin\": not found or not executable: install itU+001B]0;"
                               "ownedU+0007 from U+001B[31mhere");
}

TEST_CASE("The plugin inherits no descriptor but stdin, stdout and stderr", "[kube][exec][untrusted]") {
  TempDir dir;
  const int leaked = ::open("/dev/null", O_RDONLY);  // no O_CLOEXEC, like a libcurl socket
  REQUIRE(leaked > 2);
  const auto command = dir.write("plugin", "#!/bin/sh\nif [ -e /proc/$$/fd/" + std::to_string(leaked) +
                                               " ]; then t=leaked; else t=clean; fi\n"
                                               "echo '" + credential(R"({"token":"'$t'"})") + "'\n",
                                 0700);
  auto got = run_exec_plugin(plugin(command), ClusterInfo{});
  ::close(leaked);
  REQUIRE(got.ok());
  CHECK(got->token == "clean");
}

TEST_CASE("A plugin printing without end is stopped at 4 MiB", "[kube][exec][untrusted]") {
  TempDir dir;
  const auto command = dir.write("plugin", "#!/bin/sh\nexec yes\n", 0700);
  auto got = run_exec_plugin(plugin(command), ClusterInfo{});
  REQUIRE_FALSE(got.ok());
  CHECK(got.error().message == "exec plugin \"" + command + "\": printed more than 4 MiB: not an ExecCredential");
}

TEST_CASE("Terminal control sequences and workflow commands from the cluster are made inert", "[kube][untrusted]") {
  CHECK(neutralize_text("plain text\twith tab\n") == "plain text\twith tab\n");
  CHECK(neutralize_text("red \x1b[31malert\x1b[0m") == "red U+001B[31malertU+001B[0m");
  CHECK(neutralize_text("line\r\nnext\rover") == "line\nnextU+000Dover");
  CHECK(neutralize_text("::add-mask::x\n  ::error file=a::boom\nok :: fine") ==
        ": :add-mask::x\n  : :error file=a::boom\nok :: fine");
  CHECK(neutralize_text("c1 \xc2\x9b" "2J and bad \xff byte") == "c1 U+009B2J and bad \\xFF byte");
  CHECK(neutralize_text("héllo ✓") == "héllo ✓");
  nlohmann::json j = {{"message", "::warning::x"}, {"list", {"\x1b[2J", 3}}};
  neutralize_strings(j);
  CHECK(j == nlohmann::json{{"message", ": :warning::x"}, {"list", {"U+001B[2J", 3}}});
}

TEST_CASE("JSON nested beyond the limit is refused before parsing", "[kube][untrusted]") {
  CHECK(parse_json(std::string(600, '[') + std::string(600, ']')) == std::nullopt);
  CHECK(parse_json(std::string(100, '[') + std::string(100, ']')).has_value());
  CHECK(parse_json(R"({"a":"[[[[[[[[[["})", 3).has_value());  // brackets in strings do not count
  CHECK(string_at(nlohmann::json::parse(R"({"a":null})"), {"a"}).empty());
  CHECK(optional_int_at(nlohmann::json::parse(R"({"a":"7"})"), {"a"}).value_or(-1) == -1);
}

TEST_CASE("Proxies are chosen by client-go's rules, not libcurl's", "[kube][proxy]") {
  ProxyEnvironment env;
  env.https_proxy = "proxy.corp:3128";
  env.http_proxy = "http://plain-proxy:80";
  env.no_proxy = "internal.example, 10.0.0.0/8,.svc,[fd00::1]:6443";
  // The kubeconfig's proxy-url wins over the environment, NO_PROXY included.
  CHECK(proxy_for("https", "api.internal.example", "6443", "socks5h://bastion:1080", env) == "socks5h://bastion:1080");
  CHECK(proxy_for("https", "api.example.com", "6443", "", env) == "http://proxy.corp:3128");
  CHECK(proxy_for("http", "api.example.com", "80", "", env) == "http://plain-proxy:80");
  CHECK(proxy_for("https", "internal.example", "6443", "", env).empty());
  CHECK(proxy_for("https", "a.b.internal.example", "6443", "", env).empty());
  CHECK(proxy_for("https", "notinternal.example", "6443", "", env) == "http://proxy.corp:3128");
  CHECK(proxy_for("https", "10.1.2.3", "6443", "", env).empty());
  CHECK(proxy_for("https", "11.1.2.3", "6443", "", env) == "http://proxy.corp:3128");
  CHECK(proxy_for("https", "kube.svc", "443", "", env).empty());
  CHECK(proxy_for("https", "fd00::1", "6443", "", env).empty());
  CHECK(proxy_for("https", "fd00::1", "443", "", env) == "http://proxy.corp:3128");
  // Loopback servers are never proxied; ALL_PROXY is not consulted at all.
  CHECK(proxy_for("https", "127.0.0.1", "6443", "", env).empty());
  CHECK(proxy_for("https", "localhost", "6443", "", env).empty());
  CHECK(proxy_for("https", "::1", "6443", "", env).empty());
  env.cgi = true;
  CHECK(proxy_for("http", "api.example.com", "80", "", env).empty());
  env.no_proxy = "*";
  CHECK(proxy_for("https", "api.example.com", "6443", "", env).empty());
}

TEST_CASE("NO_PROXY is matched against the server's host, not tls-server-name", "[kube][proxy][http]") {
  // A stand-in proxy that records the first request line it gets, then hangs up.
  const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  socklen_t len = sizeof addr;
  REQUIRE(::getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len) == 0);
  REQUIRE(::listen(listener, 4) == 0);
  std::string first_line;
  std::thread proxy([&] {
    const int conn = ::accept(listener, nullptr, nullptr);
    if (conn < 0) return;
    char buffer[512] = {};
    const ssize_t n = ::read(conn, buffer, sizeof buffer - 1);
    if (n > 0) first_line = std::string(buffer, static_cast<std::size_t>(n)).substr(0, std::string(buffer).find('\r'));
    ::close(conn);
  });
  // tls-server-name `localhost` is in NO_PROXY, the server's host is not: client-go proxies.
  ClusterAccess a = test::access_for("https://api.corp.test:6443");
  a.cluster.tls_server_name = "localhost";
  ClientOptions o;
  o.proxy_environment.https_proxy = "http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port));
  o.proxy_environment.no_proxy = "localhost";
  o.transport.max_retries = 0;
  auto client = HttpClient::create(a, o);
  REQUIRE(client.ok());
  CHECK_FALSE((*client)->get(ObjectRef{"v1", "ConfigMap", "default", "a"}).ok());
  ::shutdown(listener, SHUT_RDWR);
  ::close(listener);
  proxy.join();
  CHECK(first_line.rfind("CONNECT ", 0) == 0);
}

TEST_CASE("A response body over the limit fails the request instead of filling memory", "[kube][http][untrusted]") {
  test::TestServer server(true);
  test::serve_core_discovery(server.http());
  server.http().Get("/api/v1/namespaces/default/pods/p/log", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(std::string(3 << 20, 'x'), "text/plain");
  });
  server.start();
  ClientOptions o;
  o.transport.max_body_bytes = std::size_t{2} << 20;
  auto client = HttpClient::create(test::access_for(server.url()), o);
  REQUIRE(client.ok());
  auto logs = (*client)->pod_logs("default", "p", "", kube::LogOptions{10});
  REQUIRE_FALSE(logs.ok());
  CHECK(logs.error().message.find("response body larger than 2 MiB: refusing to read on") != std::string::npos);
}

TEST_CASE("A server error about a Secret never quotes its values", "[kube][secrets]") {
  const auto secret = nlohmann::json::parse(
      R"({"apiVersion":"v1","kind":"Secret","data":{"k":"aHVudGVyMi1kYXRh"},"stringData":{"pin":987654321,"x":"ab"}})");
  const std::string message =
      "apply v1 Secret app/db: 500 Internal Server Error: failed to create typed patch object (/v1, Kind=Secret) "
      "app/db: .stringData.pin: expected string, got &value.valueUnstructured{Value:987654321}; also hunter2-data, "
      "aHVudGVyMi1kYXRh and \"987654321\"; 1 of 2";
  CHECK(redact_secret_values(message, secret) ==
        "apply v1 Secret app/db: 500 Internal Server Error: failed to create typed patch object (/v1, Kind=Secret) "
        "app/db: .stringData.pin: expected string, got &value.valueUnstructured{Value:***}; also ***, "
        "*** and \"***\"; 1 of 2");
  auto config_map = secret;
  config_map["kind"] = "ConfigMap";
  CHECK(redact_secret_values(message, config_map) == message);
}
