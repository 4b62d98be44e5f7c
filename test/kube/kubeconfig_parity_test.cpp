// kubeconfig features that client-go has and wavesync matches: impersonation, --cluster and
// --user, token files, CA file and data, kubeconfigs given as FIFOs (the README's table).
#include "kube/kube_test_support.hpp"
#include "wavesync/kube/credentials.hpp"
#include "wavesync/kube/http_client.hpp"
#include "wavesync/kube/kubeconfig.hpp"
#include "wavesync/kube/make_client.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <fcntl.h>
#include <fstream>
#include <filesystem>
#include <mutex>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

using namespace wavesync;
using namespace wavesync::kube;
using wavesync::test::TempDir;

namespace {

ConfigSources only(const std::string& file) {
  ConfigSources s;
  s.kubeconfig_flag = file;
  s.home = "/nonexistent";
  return s;
}

std::string kubeconfig_with_user(const std::string& user_fields) {
  return "apiVersion: v1\nkind: Config\ncurrent-context: c\n"
         "clusters:\n- name: one\n  cluster:\n    server: https://one:6443\n"
         "- name: two\n  cluster:\n    server: https://two:6443\n"
         "users:\n- name: u\n  user:\n" + user_fields +
         "- name: other\n  user:\n    token: other-token\n"
         "contexts:\n- name: c\n  context:\n    cluster: one\n    user: u\n";
}

}  // namespace

TEST_CASE("Impersonation in the kubeconfig becomes Impersonate-* headers", "[kube][kubeconfig][impersonation]") {
  TempDir dir;
  const auto file = dir.write("config", kubeconfig_with_user(
      "    token: t\n    as: nobody-at-all\n    as-uid: \"1234\"\n    as-groups: [dev, ops]\n"
      "    as-user-extra:\n      scopes.example.com/x: [a, b]\n      reason: [deploy]\n"));
  auto access = load_cluster_access(only(file), {});
  REQUIRE(access.ok());
  CHECK(impersonation_headers(access->user.impersonate) ==
        std::vector<std::string>{"Impersonate-User: nobody-at-all", "Impersonate-Uid: 1234",
                                 "Impersonate-Group: dev", "Impersonate-Group: ops",
                                 "Impersonate-Extra-reason: deploy",
                                 "Impersonate-Extra-scopes.example.com%2Fx: a",
                                 "Impersonate-Extra-scopes.example.com%2Fx: b"});
}

TEST_CASE("--as, --as-group and --as-uid replace the kubeconfig's impersonation", "[kube][kubeconfig][impersonation]") {
  TempDir dir;
  const auto file = dir.write("config", kubeconfig_with_user("    token: t\n    as: a\n    as-groups: [g]\n"));
  Selection s;
  s.as = "flag-user";
  s.as_groups = {"x", "y"};
  s.as_uid = "u-1";
  auto access = load_cluster_access(only(file), s);
  REQUIRE(access.ok());
  CHECK(access->user.impersonate.user == "flag-user");
  CHECK(access->user.impersonate.uid == "u-1");
  CHECK(access->user.impersonate.groups == std::vector<std::string>{"x", "y"});
}

TEST_CASE("Impersonating groups without a user is refused as client-go refuses it", "[kube][kubeconfig][impersonation]") {
  TempDir dir;
  const auto file = dir.write("config", kubeconfig_with_user("    token: t\n    as-groups: [system:masters]\n"));
  auto access = load_cluster_access(only(file), {});
  REQUIRE_FALSE(access.ok());
  CHECK(access.error().message == "user \"u\" in " + file +
                                      ": impersonation uid, groups or user-extra without a user to impersonate: "
                                      "set `as` in the kubeconfig or pass --as");
  CHECK(access.error().exit_code == 4);
  Selection flags;
  flags.as_groups = {"g"};
  const auto plain = dir.write("plain", kubeconfig_with_user("    token: t\n"));
  CHECK_FALSE(load_cluster_access(only(plain), flags).ok());
  flags.as = "someone";
  CHECK(load_cluster_access(only(plain), flags).ok());
}

TEST_CASE("An impersonation value with a line break is refused, not sent as a second header", "[kube][impersonation]") {
  ClusterAccess a = test::access_for("https://localhost:1");
  a.user.impersonate.user = "x\r\nAuthorization: Bearer stolen";
  auto client = HttpClient::create(a);
  REQUIRE_FALSE(client.ok());
  CHECK(client.error().message == "user \"test\": impersonation values must not contain line breaks");
}

TEST_CASE("--cluster and --user replace the context's cluster and user", "[kube][kubeconfig]") {
  TempDir dir;
  const auto file = dir.write("config", kubeconfig_with_user("    token: t\n"));
  Selection s;
  s.cluster = "two";
  s.user = "other";
  auto access = load_cluster_access(only(file), s);
  REQUIRE(access.ok());
  CHECK(access->cluster.server == "https://two:6443");
  CHECK(access->user.token == "other-token");
  s.cluster = "three";
  auto missing = load_cluster_access(only(file), s);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().message == "--cluster cluster \"three\", which is not defined in kubeconfig " + file +
                                       ": use one of: one, two");
  s.cluster.clear();
  s.user = "nobody";
  auto no_user = load_cluster_access(only(file), s);
  REQUIRE_FALSE(no_user.ok());
  CHECK(no_user.error().message == "--user user \"nobody\", which is not defined in kubeconfig " + file +
                                       ": use one of: other, u");
}

TEST_CASE("A CA given both as a file and as data is an error, as in client-go", "[kube][kubeconfig]") {
  TempDir dir;
  dir.write("ca.crt", "CA");
  const auto file = dir.write("config",
      "apiVersion: v1\nkind: Config\ncurrent-context: c\nclusters:\n- name: one\n  cluster:\n"
      "    server: https://one:6443\n    certificate-authority: ca.crt\n    certificate-authority-data: Q0E=\n"
      "users:\n- name: u\n  user:\n    token: t\ncontexts:\n- name: c\n  context:\n    cluster: one\n    user: u\n");
  auto access = load_cluster_access(only(file), {});
  REQUIRE_FALSE(access.ok());
  CHECK(access.error().message == "cluster \"one\" in " + file +
                                      ": certificate-authority-data and certificate-authority are both set: keep one of them");
}

TEST_CASE("A kubeconfig can be read from a FIFO such as <(...)", "[kube][kubeconfig]") {
  TempDir dir;
  const std::string fifo = dir.path() + "/fifo";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  const std::string content = kubeconfig_with_user("    token: from-fifo\n");
  std::thread writer([&] {
    const int fd = ::open(fifo.c_str(), O_WRONLY);
    if (fd < 0) return;
    (void)!::write(fd, content.data(), content.size());
    ::close(fd);
  });
  auto access = load_cluster_access(only(fifo), {});
  writer.join();
  REQUIRE(access.ok());
  CHECK(access->user.token == "from-fifo");
}

TEST_CASE("With token and tokenFile the file wins and the token is the fallback", "[kube][credentials]") {
  TempDir dir;
  UserInfo u;
  u.name = "u";
  u.token = "static";
  u.token_file = dir.write("token", "  from-file\n");
  CHECK(Credentials(u, {}).current()->bearer_token == "from-file");
  u.token_file = dir.path() + "/missing";
  CHECK(Credentials(u, {}).current()->bearer_token == "static");
  u.token_file = dir.write("empty", "\n");
  CHECK(Credentials(u, {}).current()->bearer_token == "static");
  u.token.clear();
  auto empty = Credentials(u, {}).current();
  REQUIRE_FALSE(empty.ok());
  CHECK(empty.error().message == "user \"u\": tokenFile " + u.token_file + " is empty: write the token into it");
}

TEST_CASE("The User-Agent names wavesync, its version, the platform and the revision", "[kube][http]") {
  CHECK(user_agent("1.2.3", "abc1234") == "wavesync/1.2.3 (linux/amd64) abc1234");
}

TEST_CASE("Credentials are withheld from a plain-http server, impersonation is not", "[kube][http][credentials]") {
  TempDir dir;
  const auto counter = dir.path() + "/runs";
  const auto plugin = dir.write("plugin", "#!/bin/sh\necho run >> " + counter +
                                              "\necho '{\"apiVersion\":\"client.authentication.k8s.io/v1\","
                                              "\"kind\":\"ExecCredential\",\"status\":{\"token\":\"plugin-token\"}}'\n",
                                0700);
  httplib::Server server;
  std::mutex mutex;
  std::vector<std::string> seen;
  server.Get("/api/v1/namespaces/default/pods/p/log", [&](const httplib::Request& req, httplib::Response& res) {
    std::lock_guard lock(mutex);
    seen.push_back("authorization=" + req.get_header_value("Authorization") +
                   " impersonate=" + req.get_header_value("Impersonate-User") +
                   " agent=" + req.get_header_value("User-Agent"));
    res.set_content("log line\n", "text/plain");
  });
  const int port = server.bind_to_any_port("127.0.0.1");
  std::thread t([&] { server.listen_after_bind(); });
  for (const bool use_exec : {false, true}) {
    ClusterAccess a;
    a.cluster.name = "plain";
    a.cluster.server = "http://127.0.0.1:" + std::to_string(port);
    a.user.name = "u";
    a.user.impersonate.user = "someone";
    if (use_exec) {
      ExecConfig e;
      e.command = plugin;
      e.api_version = "client.authentication.k8s.io/v1";
      e.interactive_mode = "Never";
      a.user.exec = e;
    } else {
      a.user.token = "secret-token";
      a.user.username = "admin";
      a.user.password = "pw";
    }
    ClientOptions o;
    o.transport.user_agent = "wavesync/test";
    auto client = HttpClient::create(a, o);
    REQUIRE(client.ok());
    REQUIRE((*client)->pod_logs("default", "p", "", kube::LogOptions{5}).ok());
  }
  server.stop();
  t.join();
  CHECK(seen == std::vector<std::string>{"authorization= impersonate=someone agent=wavesync/test",
                                         "authorization= impersonate=someone agent=wavesync/test"});
  CHECK_FALSE(std::filesystem::exists(counter));
}

TEST_CASE("make_client warns that a plain-http server gets no credentials", "[kube][credentials]") {
  TempDir dir;
  const auto file = dir.write("config",
      "apiVersion: v1\nkind: Config\ncurrent-context: c\nclusters:\n- name: plain\n  cluster:\n"
      "    server: http://127.0.0.1:1\nusers:\n- name: u\n  user:\n    token: t\n"
      "contexts:\n- name: c\n  context:\n    cluster: plain\n    user: u\n");
  ConnectionOptions o;
  o.kubeconfig = file;
  auto c = make_client(o, only(file));
  REQUIRE(c.ok());
  CHECK(c->warnings == std::vector<std::string>{
                           "cluster \"plain\": server http://127.0.0.1:1 is plain http: the credentials of user \"u\" "
                           "are not sent and its exec plugin is not run (as kubectl): use https"});
}

TEST_CASE("SSL_CERT_FILE and SSL_CERT_DIR replace the system trust store as in Go", "[kube][http]") {
  test::TestServer server(false);
  test::serve_core_discovery(server.http());
  server.http().Get("/api/v1/namespaces/default/configmaps/a", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(R"({"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"a"}})", "application/json");
  });
  server.start();
  ClusterAccess a = test::access_for(server.url());
  a.cluster.ca_pem.clear();  // no CA in the kubeconfig: the system trust store decides
  const ObjectRef ref{"v1", "ConfigMap", "default", "a"};
  auto with = [&](const std::string& file, const std::string& dir) {
    ClientOptions o;
    o.transport.max_retries = 0;
    o.ssl_cert_file = file;
    o.ssl_cert_dir = dir;
    auto client = HttpClient::create(a, o);
    REQUIRE(client.ok());
    return (*client)->get(ref).ok();
  };
  CHECK_FALSE(with("", ""));
  CHECK(with(test::test_pki().ca_path, ""));
  // A directory of hashed certificates, as c_rehash makes it.
  TempDir certs;
  const std::string hashed = certs.path() + "/hash";
  REQUIRE(std::system(("openssl x509 -hash -noout -in " + test::test_pki().ca_path + " > " + hashed).c_str()) == 0);
  std::ifstream in(hashed);
  std::string hash;
  in >> hash;
  certs.write(hash + ".0", test::test_pki().ca_pem);
  CHECK(with("", certs.path()));
}

TEST_CASE("disable-compression stops asking for compressed answers", "[kube][http]") {
  std::mutex mutex;
  std::vector<std::string> encodings;
  test::TestServer server(true);
  test::serve_core_discovery(server.http());
  server.http().Get("/api/v1/namespaces/default/configmaps/a", [&](const httplib::Request& req, httplib::Response& res) {
    std::lock_guard lock(mutex);
    encodings.push_back(req.get_header_value("Accept-Encoding"));
    res.set_content(R"({"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"a"}})", "application/json");
  });
  server.start();
  for (const bool disable : {false, true}) {
    ClusterAccess a = test::access_for(server.url());
    a.cluster.disable_compression = disable;
    auto client = HttpClient::create(a);
    REQUIRE(client.ok());
    REQUIRE((*client)->get(ObjectRef{"v1", "ConfigMap", "default", "a"}).ok());
  }
  std::lock_guard lock(mutex);
  REQUIRE(encodings.size() == 2);
  CHECK(encodings[0].find("gzip") != std::string::npos);
  CHECK(encodings[1].empty());
}
