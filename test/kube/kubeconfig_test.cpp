#include "kube/kube_test_support.hpp"
#include "wavesync/kube/base64.hpp"
#include "wavesync/kube/http_client.hpp"
#include "wavesync/kube/kubeconfig.hpp"
#include "wavesync/kube/make_client.hpp"

#include <catch2/catch.hpp>

using namespace wavesync;
using namespace wavesync::kube;
using wavesync::test::TempDir;

namespace {

std::string config(const std::string& current, const std::string& clusters,
                   const std::string& users, const std::string& contexts) {
  return "apiVersion: v1\nkind: Config\ncurrent-context: \"" + current + "\"\nclusters:\n" +
         clusters + "users:\n" + users + "contexts:\n" + contexts;
}

std::string cluster(const std::string& name, const std::string& server) {
  return "- name: " + name + "\n  cluster:\n    server: " + server + "\n";
}

std::string user_token(const std::string& name, const std::string& token) {
  return "- name: " + name + "\n  user:\n    token: " + token + "\n";
}

std::string context(const std::string& name, const std::string& cl, const std::string& us,
                    const std::string& ns = "") {
  std::string s = "- name: " + name + "\n  context:\n    cluster: " + cl + "\n    user: " + us + "\n";
  if (!ns.empty()) s += "    namespace: " + ns + "\n";
  return s;
}

ConfigSources env_with(std::optional<std::string> kubeconfig_env, std::string home = "/nonexistent") {
  ConfigSources s;
  s.kubeconfig_env = std::move(kubeconfig_env);
  s.home = std::move(home);
  return s;
}

}  // namespace

TEST_CASE("KUBECONFIG files merge with the first file winning per entry", "[kube][kubeconfig]") {
  TempDir dir;
  const auto a = dir.write("a.yaml", config("", cluster("shared", "https://first:6443"),
                                            user_token("u", "token-a"), context("ctx-a", "shared", "u")));
  const auto b = dir.write("b.yaml", config("ctx-b", cluster("shared", "https://second:6443") +
                                                         cluster("only-b", "https://b:6443"),
                                            user_token("u", "token-b"),
                                            context("ctx-b", "shared", "u", "shop") +
                                                context("ctx-a", "only-b", "u")));
  const auto c = dir.write("c.yaml", config("ctx-c", "", "", context("ctx-c", "only-b", "u")));
  auto access = load_cluster_access(env_with(a + "::" + b + ":" + dir.path() + "/missing.yaml:" + c + ":" + a), {});
  REQUIRE(access.ok());
  // current-context: the first non-empty one (b), not the last (c).
  CHECK(access->context == "ctx-b");
  CHECK(access->cluster.server == "https://first:6443");
  CHECK(access->user.token == "token-a");
  CHECK(access->namespace_name == "shop");
  CHECK(access->origin == "kubeconfig " + a + ":" + b + ":" + c);

  // ctx-a is defined in both a and b: a's definition wins as a whole.
  auto selected = load_cluster_access(env_with(a + ":" + b), Selection{"ctx-a", ""});
  REQUIRE(selected.ok());
  CHECK(selected->cluster.server == "https://first:6443");
  CHECK(selected->namespace_name == "default");
}

TEST_CASE("--kubeconfig reads only that file and ignores KUBECONFIG", "[kube][kubeconfig]") {
  TempDir dir;
  const auto a = dir.write("a.yaml", config("a", cluster("c", "https://a:6443"), user_token("u", "t"), context("a", "c", "u")));
  const auto b = dir.write("b.yaml", config("b", cluster("c", "https://b:6443"), user_token("u", "t"), context("b", "c", "u")));
  auto sources = env_with(a);
  sources.kubeconfig_flag = b;
  auto access = load_cluster_access(sources, {});
  REQUIRE(access.ok());
  CHECK(access->cluster.server == "https://b:6443");

  sources.kubeconfig_flag = dir.path() + "/nope.yaml";
  auto missing = load_cluster_access(sources, {});
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().message ==
        "--kubeconfig " + dir.path() + "/nope.yaml: no such file: pass the path of an existing kubeconfig");
  CHECK(missing.error().exit_code == 4);
}

TEST_CASE("Without KUBECONFIG the home kubeconfig is used", "[kube][kubeconfig]") {
  TempDir home;
  home.write(".kube/config", config("h", cluster("c", "https://home:6443"), user_token("u", "t"), context("h", "c", "u")));
  auto access = load_cluster_access(env_with(std::nullopt, home.path()), {});
  REQUIRE(access.ok());
  CHECK(access->cluster.server == "https://home:6443");
}

TEST_CASE("No kubeconfig and no service account is a clear exit-code-4 error", "[kube][kubeconfig]") {
  TempDir home;
  auto access = load_cluster_access(env_with(std::nullopt, home.path()), {});
  REQUIRE_FALSE(access.ok());
  CHECK(access.error().message == "no kubeconfig found: set KUBECONFIG or pass --kubeconfig");
  CHECK(access.error().exit_code == 4);
}

TEST_CASE("An unknown --context names the contexts that exist", "[kube][kubeconfig]") {
  TempDir dir;
  const auto a = dir.write("a.yaml", config("x", cluster("c", "https://a:6443"), user_token("u", "t"),
                                            context("x", "c", "u") + context("y", "c", "u")));
  auto access = load_cluster_access(env_with(a), Selection{"prod", ""});
  REQUIRE_FALSE(access.ok());
  CHECK(access.error().message == "context \"prod\" not found in kubeconfig " + a + ": use one of: x, y");
  CHECK(access.error().exit_code == 4);
}

TEST_CASE("A kubeconfig without current-context asks for --context", "[kube][kubeconfig]") {
  TempDir dir;
  const auto a = dir.write("a.yaml", config("", cluster("c", "https://a:6443"), user_token("u", "t"), context("x", "c", "u")));
  auto access = load_cluster_access(env_with(a), {});
  REQUIRE_FALSE(access.ok());
  CHECK(access.error().message == "kubeconfig " + a +
                                      " has no current-context: pass --context or run 'kubectl "
                                      "config use-context NAME'");
}

TEST_CASE("The namespace comes from the flag, else the context, else default", "[kube][kubeconfig]") {
  TempDir dir;
  const auto a = dir.write("a.yaml", config("with-ns", cluster("c", "https://a:6443"), user_token("u", "t"),
                                            context("with-ns", "c", "u", "shop") + context("no-ns", "c", "u")));
  CHECK(load_cluster_access(env_with(a), Selection{"", "flag-ns"})->namespace_name == "flag-ns");
  CHECK(load_cluster_access(env_with(a), Selection{"", ""})->namespace_name == "shop");
  CHECK(load_cluster_access(env_with(a), Selection{"no-ns", ""})->namespace_name == "default");
}

TEST_CASE("Relative paths resolve against the kubeconfig that defined them", "[kube][kubeconfig]") {
  TempDir dir;
  dir.write("conf/pki/ca.crt", "CA-PEM");
  dir.write("conf/pki/client.crt", "CERT-PEM");
  dir.write("conf/pki/client.key", "KEY-PEM");
  const auto file = dir.write("conf/kubeconfig", R"(apiVersion: v1
kind: Config
current-context: ctx
clusters:
- name: c
  cluster:
    server: https://k:6443
    certificate-authority: pki/ca.crt
users:
- name: u
  user:
    client-certificate: pki/client.crt
    client-key: ./pki/client.key
    tokenFile: pki/token
    exec:
      apiVersion: client.authentication.k8s.io/v1
      command: ./bin/plugin
      interactiveMode: Never
- name: bare
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      command: kubelogin
contexts:
- name: ctx
  context: {cluster: c, user: u}
- name: bare
  context: {cluster: c, user: bare}
)");
  // KUBECONFIG given relative to nothing in particular: resolution uses the file's folder.
  auto access = load_cluster_access(env_with(file), {});
  REQUIRE(access.ok());
  CHECK(access->cluster.ca_pem == "CA-PEM");
  CHECK(access->user.client_certificate_pem == "CERT-PEM");
  CHECK(access->user.client_key_pem == "KEY-PEM");
  CHECK(access->user.token_file == dir.path() + "/conf/pki/token");
  REQUIRE(access->user.exec);
  CHECK(access->user.exec->command == dir.path() + "/conf/bin/plugin");

  auto bare = load_cluster_access(env_with(file), Selection{"bare", ""});
  REQUIRE(bare.ok());
  CHECK(bare->user.exec->command == "kubelogin");  // looked up in PATH, not resolved
  CHECK(bare->user.exec->interactive_mode == "IfAvailable");  // v1beta1 default
}

TEST_CASE("Inline data is base64-decoded", "[kube][kubeconfig]") {
  TempDir dir;
  const auto file = dir.write("k", "apiVersion: v1\nkind: Config\ncurrent-context: x\nclusters:\n"
                                   "- name: c\n  cluster:\n    server: https://k\n"
                                   "    certificate-authority-data: " + base64_encode("INLINE-CA") + "\n"
                                   "users:\n- name: u\n  user: {}\n"
                                   "contexts:\n- name: x\n  context: {cluster: c, user: u}\n");
  auto access = load_cluster_access(env_with(file), {});
  REQUIRE(access.ok());
  CHECK(access->cluster.ca_pem == "INLINE-CA");
}

TEST_CASE("Invalid kubeconfig combinations are refused with what to do", "[kube][kubeconfig]") {
  TempDir dir;
  auto load = [&](const std::string& cluster_body, const std::string& user_body) {
    const auto file = dir.write("k", "apiVersion: v1\nkind: Config\ncurrent-context: x\nclusters:\n"
                                     "- name: c\n  cluster:\n" + cluster_body +
                                     "users:\n- name: u\n  user:\n" + user_body +
                                     "contexts:\n- name: x\n  context: {cluster: c, user: u}\n");
    return load_cluster_access(env_with(file), {});
  };
  const std::string where_c = "cluster \"c\" in " + dir.path() + "/k";
  const std::string where_u = "user \"u\" in " + dir.path() + "/k";
  auto insecure = load("    server: https://k\n    insecure-skip-tls-verify: true\n"
                       "    certificate-authority-data: " + base64_encode("CA") + "\n",
                       "    token: t\n");
  REQUIRE_FALSE(insecure.ok());
  CHECK(insecure.error().message == where_c + ": certificate-authority and insecure-skip-tls-verify cannot both be set: remove one of them");

  auto provider = load("    server: https://k\n", "    auth-provider:\n      name: oidc\n      config: {}\n");
  REQUIRE_FALSE(provider.ok());
  CHECK(provider.error().message == where_u + ": auth-provider \"oidc\" is not supported: use an exec credential plugin (e.g. kubelogin) instead");
  CHECK(provider.error().exit_code == 4);

  auto half_cert = load("    server: https://k\n", "    client-certificate-data: " + base64_encode("C") + "\n");
  REQUIRE_FALSE(half_cert.ok());
  CHECK(half_cert.error().message == where_u + ": a client certificate needs a client key and vice versa");

  auto two = load("    server: https://k\n", "    token: t\n    username: a\n    password: b\n");
  REQUIRE_FALSE(two.ok());
  CHECK(two.error().message == where_u + ": more than one authentication method (token and username/password): keep one");

  auto no_mode = load("    server: https://k\n", "    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: x\n");
  REQUIRE_FALSE(no_mode.ok());
  CHECK(no_mode.error().message == where_u + ": exec: interactiveMode is required for client.authentication.k8s.io/v1: set Never, IfAvailable or Always");

  auto insecure_only = load("    server: https://k\n    insecure-skip-tls-verify: true\n", "    token: t\n");
  REQUIRE(insecure_only.ok());
  CHECK(insecure_only->cluster.insecure_skip_tls_verify);
}

TEST_CASE("A name defined twice in one kubeconfig is an error", "[kube][kubeconfig]") {
  TempDir dir;
  const auto file = dir.write("k", config("x", cluster("c", "https://a") + cluster("c", "https://b"),
                                          user_token("u", "t"), context("x", "c", "u")));
  auto access = load_cluster_access(env_with(file), {});
  REQUIRE_FALSE(access.ok());
  CHECK(access.error().message == file + ": duplicate name \"c\" in clusters");
}

TEST_CASE("In-cluster config is used when no kubeconfig exists", "[kube][kubeconfig]") {
  TempDir home;
  TempDir sa;
  sa.write("token", "sa-token\n");
  sa.write("ca.crt", "SA-CA");
  sa.write("namespace", "ci\n");
  ConfigSources s = env_with(std::nullopt, home.path());
  s.service_host = "10.0.0.1";
  s.service_port = "443";
  s.service_account_dir = sa.path();
  auto access = load_cluster_access(s, {});
  REQUIRE(access.ok());
  CHECK(access->cluster.server == "https://10.0.0.1:443");
  CHECK(access->cluster.ca_pem == "SA-CA");
  CHECK(access->user.token_file == sa.path() + "/token");
  CHECK(access->user.token.empty());  // re-read from the file, never kept forever
  CHECK(access->namespace_name == "ci");
  CHECK(access->origin == "in-cluster service account " + sa.path());

  s.pod_namespace = "from-env";
  CHECK(load_cluster_access(s, {})->namespace_name == "from-env");
  CHECK(load_cluster_access(s, Selection{"", "flag"})->namespace_name == "flag");
  s.service_host = "fd00::1";
  CHECK(load_cluster_access(s, {})->cluster.server == "https://[fd00::1]:443");

  // An existing kubeconfig wins over the service account.
  home.write(".kube/config", config("h", cluster("c", "https://home:6443"), user_token("u", "t"), context("h", "c", "u")));
  CHECK(load_cluster_access(s, {})->cluster.server == "https://home:6443");
}

TEST_CASE("The server URL keeps its path prefix and tls-server-name replaces the host", "[kube][kubeconfig]") {
  ClusterAccess a;
  a.cluster.server = "https://rancher.example:8443/k8s/clusters/c-x/";
  auto client = HttpClient::create(a);
  REQUIRE(client.ok());
  CHECK((*client)->url("/api") == "https://rancher.example:8443/k8s/clusters/c-x/api");

  a.cluster.server = "https://127.0.0.1:6443";
  a.cluster.tls_server_name = "kube.example";
  auto sni = HttpClient::create(a);
  REQUIRE(sni.ok());
  CHECK((*sni)->url("/api") == "https://kube.example:6443/api");

  a.cluster.server = "kube.example:6443";
  auto bad = HttpClient::create(a);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().exit_code == 4);
}

TEST_CASE("make_client resolves the namespace and builds a client from the flags", "[kube][kubeconfig]") {
  TempDir dir;
  const auto file = dir.write("k", config("x", cluster("c", "https://k.example:6443"), user_token("u", "t"),
                                          context("x", "c", "u", "shop")));
  ConfigSources sources = env_with(std::nullopt);
  ConnectionOptions options;
  options.kubeconfig = file;
  auto connection = make_client(options, sources);
  REQUIRE(connection.ok());
  CHECK(connection->client != nullptr);
  CHECK(connection->namespace_name == "shop");
  CHECK(connection->context == "x");
  CHECK(connection->server == "https://k.example:6443");
  options.namespace_name = "other";
  CHECK(make_client(options, sources)->namespace_name == "other");
  options.context = "missing";
  auto wrong = make_client(options, sources);
  REQUIRE_FALSE(wrong.ok());
  CHECK(wrong.error().exit_code == 4);
}
