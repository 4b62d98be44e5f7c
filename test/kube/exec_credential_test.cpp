#include "kube/kube_test_support.hpp"
#include "wavesync/kube/base64.hpp"
#include "wavesync/kube/credentials.hpp"
#include "wavesync/kube/exec_credential.hpp"
#include "wavesync/kube/http_client.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

using namespace wavesync;
using namespace wavesync::kube;
using wavesync::test::TempDir;

namespace {

// Counts its runs, records what it was given and prints `tok-<run>`, expiring at $EXPIRY.
constexpr const char* k_plugin = R"(#!/bin/sh
dir=$(dirname "$0")
n=$(( $(cat "$dir/count" 2>/dev/null || echo 0) + 1 ))
echo "$n" > "$dir/count"
printf '%s\n' "$@" > "$dir/args"
printf '%s' "$KUBERNETES_EXEC_INFO" > "$dir/info"
printf '%s' "$PLUGIN_GREETING" > "$dir/env"
printf '{"apiVersion":"%s","kind":"ExecCredential","status":{"token":"tok-%s","expirationTimestamp":"%s"}}\n' "$API_VERSION" "$n" "$EXPIRY"
)";

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

ExecConfig plugin_config(const TempDir& dir, const std::string& expiry) {
  ExecConfig e;
  e.command = dir.write("plugin", k_plugin, 0700);
  e.api_version = "client.authentication.k8s.io/v1";
  e.interactive_mode = "Never";
  e.args = {"get-token", "two words", "$HOME;rm -rf /"};
  e.env = {{"PLUGIN_GREETING", "hello"}, {"EXPIRY", expiry},
           {"API_VERSION", "client.authentication.k8s.io/v1"}};
  return e;
}

}  // namespace

TEST_CASE("Exec info carries interactive and, only when asked, the cluster", "[kube][exec]") {
  ExecConfig e;
  e.command = "p";
  e.api_version = "client.authentication.k8s.io/v1beta1";
  e.interactive_mode = "IfAvailable";
  ClusterInfo c;
  c.server = "https://k:6443";
  c.ca_pem = "CA";
  c.exec_extension = nlohmann::json{{"audience", "x"}};
  auto info = exec_info_json(e, c, false);
  REQUIRE(info.ok());
  CHECK(nlohmann::json::parse(*info) ==
        nlohmann::json::parse(R"({"apiVersion":"client.authentication.k8s.io/v1beta1",
          "kind":"ExecCredential","spec":{"interactive":false}})"));
  e.provide_cluster_info = true;
  CHECK(nlohmann::json::parse(*exec_info_json(e, c, true)) ==
        nlohmann::json::parse(R"({"apiVersion":"client.authentication.k8s.io/v1beta1",
          "kind":"ExecCredential","spec":{"interactive":true,"cluster":{"server":"https://k:6443",
          "certificate-authority-data":")" + base64_encode("CA") + R"(","config":{"audience":"x"}}}})"));
  e.interactive_mode = "Never";
  CHECK(nlohmann::json::parse(*exec_info_json(e, c, true))["spec"]["interactive"] == false);
  e.interactive_mode = "Always";
  auto always = exec_info_json(e, c, false);
  REQUIRE_FALSE(always.ok());
  CHECK(always.error().message ==
        "exec plugin \"p\": interactiveMode is Always but stdin is not a terminal: run wavesync "
        "from a terminal or log in with the plugin first");
}

TEST_CASE("Malformed ExecCredential answers are rejected", "[kube][exec]") {
  ExecConfig e;
  e.command = "p";
  e.api_version = "client.authentication.k8s.io/v1";
  auto check = [&](const std::string& out, const std::string& message) {
    auto r = parse_exec_credential(out, e);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message == "exec plugin \"p\": " + message);
  };
  check(R"({"apiVersion":"client.authentication.k8s.io/v1beta1","status":{"token":"t"}})",
        "returned apiVersion \"client.authentication.k8s.io/v1beta1\", expected \"client.authentication.k8s.io/v1\"");
  check(R"({"apiVersion":"client.authentication.k8s.io/v1"})", "returned an ExecCredential without status");
  check(R"({"apiVersion":"client.authentication.k8s.io/v1","status":{}})", "returned neither a token nor a client certificate");
  check(R"({"apiVersion":"client.authentication.k8s.io/v1","status":{"clientCertificateData":"C"}})",
        "returned only one of clientCertificateData and clientKeyData");
  check("not json", "output is not an ExecCredential JSON object");
  auto ok = parse_exec_credential(
      R"({"apiVersion":"client.authentication.k8s.io/v1","status":{"token":"t","expirationTimestamp":"2030-01-02T03:04:05+01:00"}})", e);
  REQUIRE(ok.ok());
  CHECK(ok->expiry == parse_rfc3339("2030-01-02T02:04:05Z"));
}

TEST_CASE("The exec plugin runs with argv and env, never through a shell", "[kube][exec]") {
  TempDir dir;
  ExecConfig e = plugin_config(dir, "");
  e.provide_cluster_info = true;
  ClusterInfo c;
  c.server = "https://k:6443";
  auto cred = run_exec_plugin(e, c);
  REQUIRE(cred.ok());
  CHECK(cred->token == "tok-1");
  CHECK_FALSE(cred->expiry);
  CHECK(slurp(dir.path() + "/args") == "get-token\ntwo words\n$HOME;rm -rf /\n");
  CHECK(slurp(dir.path() + "/env") == "hello");
  CHECK(nlohmann::json::parse(slurp(dir.path() + "/info"))["spec"] ==
        nlohmann::json::parse(R"({"interactive":false,"cluster":{"server":"https://k:6443"}})"));
}

TEST_CASE("A missing exec plugin reports its install hint", "[kube][exec]") {
  ExecConfig e;
  e.command = "wavesync-no-such-plugin";
  e.api_version = "client.authentication.k8s.io/v1";
  e.interactive_mode = "Never";
  e.install_hint = "install it with: apt install no-such-plugin";
  auto r = run_exec_plugin(e, ClusterInfo{});
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message == "exec plugin \"wavesync-no-such-plugin\": not found or not executable: install it with: apt install no-such-plugin");
  CHECK(r.error().exit_code == 4);
}

TEST_CASE("A failing exec plugin reports its exit code", "[kube][exec]") {
  TempDir dir;
  ExecConfig e;
  e.command = dir.write("fail", "#!/bin/sh\nexit 3\n", 0700);
  e.api_version = "client.authentication.k8s.io/v1";
  e.interactive_mode = "Never";
  auto r = run_exec_plugin(e, ClusterInfo{});
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message == "exec plugin \"" + e.command + "\": exited with code 3");
}

TEST_CASE("Exec credentials are cached until they expire", "[kube][exec]") {
  TempDir dir;
  UserInfo user;
  user.name = "u";
  user.exec = plugin_config(dir, "2099-01-01T00:00:00Z");
  Credentials fresh(user, ClusterInfo{});
  CHECK(fresh.current()->bearer_token == "tok-1");
  CHECK(fresh.current()->bearer_token == "tok-1");
  CHECK(fresh.plugin_runs() == 1);

  TempDir dir2;
  user.exec = plugin_config(dir2, "2001-01-01T00:00:00Z");
  Credentials expired(user, ClusterInfo{});
  CHECK(expired.current()->bearer_token == "tok-1");
  CHECK(expired.current()->bearer_token == "tok-2");
  CHECK(expired.plugin_runs() == 2);
}

TEST_CASE("A 401 refreshes exec credentials once and retries the request", "[kube][exec]") {
  test::TestServer server(false);
  test::serve_core_discovery(server.http());
  std::atomic<int> unauthorized{0};
  server.http().set_pre_routing_handler([&](const httplib::Request& req, httplib::Response& res) {
    if (req.get_header_value("Authorization") != "Bearer tok-2") {
      ++unauthorized;
      res.status = 401;
      res.set_content(R"({"kind":"Status","apiVersion":"v1","status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401})", "application/json");
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });
  server.http().Get("/api/v1/namespaces/default/configmaps/a", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(R"({"kind":"ConfigMap","metadata":{"name":"a"}})", "application/json");
  });
  server.start();
  TempDir dir;
  ClusterAccess access = test::access_for(server.url());
  access.user = UserInfo{};
  access.user.name = "u";
  access.user.exec = plugin_config(dir, "2099-01-01T00:00:00Z");
  auto client = HttpClient::create(access);
  REQUIRE(client.ok());
  auto got = (*client)->get(ObjectRef{"v1", "ConfigMap", "default", "a"});
  REQUIRE(got.ok());
  REQUIRE(got->has_value());
  CHECK((**got)["metadata"]["name"] == "a");
  CHECK((*client)->credential_plugin_runs() == 2);
  // Discovery sends /api and /apis at once: both may carry the first token.
  CHECK(unauthorized >= 1);
  CHECK(unauthorized <= 2);
}

TEST_CASE("A token file is read again after a 401", "[kube][exec]") {
  TempDir dir;
  UserInfo user;
  user.name = "u";
  user.token_file = dir.write("token", "first\n");
  Credentials credentials(user, ClusterInfo{});
  auto used = credentials.current();
  REQUIRE(used.ok());
  CHECK(used->bearer_token == "first");
  dir.write("token", "second\n");
  CHECK(credentials.current()->bearer_token == "first");  // cached for a minute
  CHECK(credentials.invalidate(*used));
  CHECK(credentials.current()->bearer_token == "second");

  UserInfo fixed;
  fixed.token = "static";
  Credentials static_token(fixed, ClusterInfo{});
  CHECK_FALSE(static_token.invalidate(*static_token.current()));
}
