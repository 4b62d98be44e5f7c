// Errors found by the e2e reliability suites: a certificate that does not match names the server
// and the failed check (test_secrets.py), a namespace being deleted is not called an RBAC problem
// and malformed Status causes do not throw (test_faults.py).
#include "kube/kube_test_support.hpp"
#include "wavesync/kube/http_client.hpp"
#include "wavesync/kube/status_error.hpp"

#include <catch2/catch.hpp>

using namespace wavesync;
using namespace wavesync::kube;

namespace {

Error discovery_error(const ClusterAccess& access) {
  auto client = HttpClient::create(access, ClientOptions{});
  REQUIRE(client.ok());
  auto r = (*client)->refresh_discovery();
  REQUIRE_FALSE(r.ok());
  return r.error();
}

}  // namespace

TEST_CASE("a server certificate from another CA is an error naming the server and the certificate problem",
          "[kube][http][tls]") {
  test::TestServer server(false);
  test::serve_core_discovery(server.http());
  server.start();
  ClusterAccess access = test::access_for(server.url());
  access.cluster.ca_pem = test::test_pki().other_ca_pem;
  Error e = discovery_error(access);
  INFO(e.message);
  CHECK(e.exit_code == 4);
  CHECK(e.message.find("cannot reach the API server: " + server.url()) != std::string::npos);
  CHECK(e.message.find("SSL certificate problem") != std::string::npos);
}

TEST_CASE("a server certificate without the tls-server-name is an error naming the server and the name",
          "[kube][http][tls]") {
  test::TestServer server(false);
  test::serve_core_discovery(server.http());
  server.start();
  ClusterAccess access = test::access_for(server.url());
  access.cluster.tls_server_name = "wrong.example";
  Error e = discovery_error(access);
  INFO(e.message);
  CHECK(e.exit_code == 4);
  // The server is named as TLS addressed it: the tls-server-name with the kubeconfig's port.
  CHECK(e.message.find("cannot reach the API server: https://wrong.example:" + std::to_string(server.port()) +
                       ": SSL: no alternative certificate subject name matches target host name 'wrong.example'") !=
        std::string::npos);
}

TEST_CASE("a write into a namespace being deleted is a sync failure saying so, not an RBAC problem",
          "[kube][errors]") {
  HttpResponse terminating;
  terminating.status = 403;
  terminating.body = R"({"kind":"Status","apiVersion":"v1","status":"Failure",
    "message":"configmaps \"app\" is forbidden: unable to create new content in namespace shop because it is being terminated",
    "reason":"Forbidden","details":{"name":"app","kind":"configmaps","causes":[{"reason":"NamespaceTerminating",
    "message":"namespace shop is being terminated","field":"metadata.namespace"}]},"code":403})";
  Error e = response_error("apply v1 ConfigMap shop/app", terminating);
  CHECK(e.message == "apply v1 ConfigMap shop/app: 403 Forbidden: metadata.namespace: namespace shop is being "
                     "terminated (the namespace is being deleted: wait until it is gone, or remove the finalizers "
                     "that hold it)");
  CHECK(e.exit_code == 1);

  HttpResponse rbac;
  rbac.status = 403;
  rbac.body = R"({"kind":"Status","apiVersion":"v1","status":"Failure","message":"forbidden","reason":"Forbidden",
    "details":{"causes":["not an object"]},"code":403})";
  CHECK(response_error("get v1 Pod a/b", rbac).exit_code == 4);
}
