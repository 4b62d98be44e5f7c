// HttpClient against a local HTTPS server that requires a client certificate (HTTP/1.1).
#include "kube/kube_test_support.hpp"
#include "wavesync/kube/http_client.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <mutex>

using namespace wavesync;
using namespace wavesync::kube;

namespace {

struct Recorded {
  std::mutex mutex;
  std::vector<std::string> lines;  // `METHOD path?query content-type`
  std::vector<std::string> bodies;
  void add(const httplib::Request& req) {
    std::string query;
    for (const auto& [k, v] : req.params) query += (query.empty() ? "?" : "&") + k + "=" + v;
    std::lock_guard lock(mutex);
    lines.push_back(req.method + " " + req.path + query + " " + req.get_header_value("Content-Type"));
    bodies.push_back(req.body);
  }
};

std::unique_ptr<HttpClient> client_for(const ClusterAccess& access) {
  ClientOptions o;
  o.transport.max_in_flight = 4;  // httplib serves HTTP/1.1 from a small thread pool
  auto c = HttpClient::create(access, o);
  REQUIRE(c.ok());
  return std::move(*c);
}

void serve_configmap(httplib::SSLServer& s) {
  s.Get("/api/v1/namespaces/default/configmaps/a", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(R"({"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"a","namespace":"default"}})", "application/json");
  });
}

}  // namespace

TEST_CASE("Requests carry the kubeconfig client certificate", "[kube][http]") {
  test::TestServer server(true);
  test::serve_core_discovery(server.http());
  serve_configmap(server.http());
  server.start();
  auto client = client_for(test::access_for(server.url()));
  auto got = client->get(ObjectRef{"v1", "ConfigMap", "", "a"});
  REQUIRE(got.ok());
  REQUIRE(got->has_value());
  CHECK((**got)["metadata"]["name"] == "a");

  ClusterAccess anonymous = test::access_for(server.url());
  anonymous.user = UserInfo{};
  auto refused = client_for(anonymous)->get(ObjectRef{"v1", "ConfigMap", "", "a"});
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().exit_code == 4);
  INFO(refused.error().message);
  CHECK(refused.error().message.rfind("get v1 ConfigMap a: discovery /api: cannot reach the API server: ", 0) == 0);
}

TEST_CASE("Only the kubeconfig CA is trusted", "[kube][http]") {
  test::TestServer server(false);
  test::serve_core_discovery(server.http());
  server.start();
  ClusterAccess access = test::access_for(server.url());
  access.cluster.ca_pem = test::test_pki().other_ca_pem;
  auto r = client_for(access)->refresh_discovery();
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().exit_code == 4);
  access.cluster.ca_pem.clear();
  access.cluster.insecure_skip_tls_verify = true;
  CHECK(client_for(access)->refresh_discovery().ok());
}

TEST_CASE("tls-server-name is used for SNI and certificate verification", "[kube][http]") {
  test::TestServer server(true);
  test::serve_core_discovery(server.http());
  server.start();
  // The server certificate names localhost and kube.example, not 127.0.0.1.
  ClusterAccess access = test::access_for("https://127.0.0.1:" + std::to_string(server.port()));
  CHECK_FALSE(client_for(access)->refresh_discovery().ok());
  access.cluster.tls_server_name = "kube.example";
  CHECK(client_for(access)->refresh_discovery().ok());
}

TEST_CASE("Server-side apply sends a strict, field-managed apply patch", "[kube][http]") {
  test::TestServer server(true);
  test::serve_core_discovery(server.http());
  Recorded recorded;
  server.http().Patch(R"(/api/v1/namespaces/(\w+)/configmaps/(\w+))", [&](const httplib::Request& req, httplib::Response& res) {
    recorded.add(req);
    auto body = nlohmann::json::parse(req.body);
    body["metadata"]["uid"] = "uid-" + req.matches[2].str();
    res.status = 201;
    res.set_header("Warning", R"(299 - "unknown field \"spec.foo\"")");
    res.set_content(body.dump(), "application/json");
  });
  server.start();
  auto client = client_for(test::access_for(server.url()));
  const auto object = nlohmann::json::parse(R"({"apiVersion":"v1","kind":"ConfigMap",
    "metadata":{"name":"web","resourceVersion":"9"},"data":{"k":"v"},"status":{}})");
  auto results = client->apply({object}, ApplyOptions{});
  REQUIRE(results.size() == 1);
  REQUIRE(results[0].ok());
  CHECK(results[0]->object["metadata"]["uid"] == "uid-web");
  CHECK(results[0]->warnings == std::vector<std::string>{"unknown field \"spec.foo\""});
  REQUIRE(recorded.lines.size() == 1);
  CHECK(recorded.lines[0] ==
        "PATCH /api/v1/namespaces/default/configmaps/web?fieldManager=wavesync&fieldValidation=Strict application/apply-patch+yaml");
  CHECK(nlohmann::json::parse(recorded.bodies[0]) == nlohmann::json::parse(R"({"apiVersion":"v1","kind":"ConfigMap",
    "metadata":{"name":"web","namespace":"default"},"data":{"k":"v"}})"));

  auto forced = client->apply({object}, ApplyOptions{DryRun::all, ForceConflicts::yes, "wavesync"});
  REQUIRE(forced[0].ok());
  CHECK(recorded.lines[1] ==
        "PATCH /api/v1/namespaces/default/configmaps/web?dryRun=All&fieldManager=wavesync&fieldValidation=Strict&force=true application/apply-patch+yaml");
}

TEST_CASE("Applying many objects returns results in input order", "[kube][http]") {
  test::TestServer server(true);
  test::serve_core_discovery(server.http());
  server.http().Patch(R"(/api/v1/namespaces/(\w+)/configmaps/([\w-]+))", [&](const httplib::Request& req, httplib::Response& res) {
    if (req.matches[2].str() == "bad-7") {
      res.status = 422;
      res.set_content(R"({"kind":"Status","apiVersion":"v1","status":"Failure","reason":"Invalid","code":422,
        "message":"ConfigMap \"bad-7\" is invalid","details":{"causes":[{"reason":"FieldValueInvalid","field":"data","message":"Invalid value: too big"}]}})", "application/json");
      return;
    }
    res.set_content(req.body, "application/json");
  });
  server.start();
  auto client = client_for(test::access_for(server.url()));
  std::vector<nlohmann::json> objects;
  for (int i = 0; i < 30; ++i) {
    const std::string name = (i == 7 ? "bad-" : "cm-") + std::to_string(i);
    objects.push_back({{"apiVersion", "v1"}, {"kind", "ConfigMap"}, {"metadata", {{"name", name}, {"namespace", "shop"}}}});
  }
  objects.push_back({{"apiVersion", "example.com/v1"}, {"kind", "Widget"}, {"metadata", {{"name", "w"}}}});
  auto results = client->apply(objects, ApplyOptions{});
  REQUIRE(results.size() == 31);
  for (int i = 0; i < 30; ++i) {
    if (i == 7) continue;
    REQUIRE(results[i].ok());
    CHECK(results[i]->object["metadata"]["name"] == "cm-" + std::to_string(i));
  }
  REQUIRE_FALSE(results[7].ok());
  CHECK(results[7].error().message == "apply v1 ConfigMap shop/bad-7: 422 Unprocessable Entity: data: Invalid value: too big");
  REQUIRE_FALSE(results[30].ok());
  CHECK(results[30].error().message ==
        "apply example.com/v1 Widget w: no matches for kind \"Widget\" in version \"example.com/v1\": ensure CRDs are installed first");
}

TEST_CASE("Get of a missing object is nullopt and delete of one is success", "[kube][http]") {
  test::TestServer server(true);
  test::serve_core_discovery(server.http());
  Recorded recorded;
  server.http().Get(R"(/api/v1/namespaces/default/configmaps/gone)", [](const httplib::Request&, httplib::Response& res) {
    res.status = 404;
    res.set_content(R"({"kind":"Status","apiVersion":"v1","status":"Failure","reason":"NotFound","code":404,"message":"configmaps \"gone\" not found"})", "application/json");
  });
  server.http().Delete(R"(/api/v1/namespaces/(\w+))", [&](const httplib::Request& req, httplib::Response& res) {
    recorded.add(req);
    res.status = 404;
    res.set_content(R"({"kind":"Status","code":404})", "application/json");
  });
  server.start();
  auto client = client_for(test::access_for(server.url()));
  auto got = client->get(ObjectRef{"v1", "ConfigMap", "default", "gone"});
  REQUIRE(got.ok());
  CHECK_FALSE(got->has_value());
  auto removed = client->remove(ObjectRef{"v1", "Namespace", "", "shop"}, Propagation::foreground);
  CHECK(removed.ok());
  REQUIRE(recorded.lines.size() == 1);
  CHECK(recorded.lines[0] == "DELETE /api/v1/namespaces/shop application/json");
  CHECK(nlohmann::json::parse(recorded.bodies[0])["propagationPolicy"] == "Foreground");
}

TEST_CASE("Pod logs ask for the tail and events come oldest first", "[kube][http]") {
  test::TestServer server(true);
  test::serve_core_discovery(server.http());
  Recorded recorded;
  server.http().Get("/api/v1/namespaces/shop/pods/web-1/log", [&](const httplib::Request& req, httplib::Response& res) {
    recorded.add(req);
    res.set_content("line 1\nline 2\n", "text/plain");
  });
  server.http().Get("/api/v1/namespaces/shop/events", [&](const httplib::Request& req, httplib::Response& res) {
    recorded.add(req);
    res.set_content(R"({"kind":"EventList","items":[
      {"metadata":{"name":"e2"},"lastTimestamp":"2026-01-01T00:00:02Z","message":"second"},
      {"metadata":{"name":"e1"},"lastTimestamp":"2026-01-01T00:00:01Z","message":"first"}]})", "application/json");
  });
  server.start();
  auto client = client_for(test::access_for(server.url()));
  auto logs = client->pod_logs("shop", "web-1", "app", kube::LogOptions{20});
  REQUIRE(logs.ok());
  CHECK(*logs == "line 1\nline 2\n");
  CHECK(recorded.lines[0] == "GET /api/v1/namespaces/shop/pods/web-1/log?container=app&limitBytes=262144&tailLines=20 ");
  auto events = client->events_for(ObjectRef{"apps/v1", "Deployment", "shop", "web"});
  REQUIRE(events.ok());
  REQUIRE(events->size() == 2);
  CHECK((*events)[0]["message"] == "first");
  CHECK(recorded.lines[1] ==
        "GET /api/v1/namespaces/shop/events?fieldSelector=involvedObject.name=web,involvedObject.kind=Deployment,involvedObject.namespace=shop ");
}

TEST_CASE("Aggregated discovery is used when the server offers it", "[kube][http][discovery]") {
  test::TestServer server(true);
  std::atomic<int> legacy{0};
  auto aggregated = [](const std::string& body) {
    return [body](const httplib::Request& req, httplib::Response& res) {
      CHECK(req.get_header_value("Accept").rfind("application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,", 0) == 0);
      res.set_content(body, "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList");
    };
  };
  server.http().Get("/api", aggregated(R"({"kind":"APIGroupDiscoveryList","items":[{"metadata":{"name":""},"versions":[{"version":"v1",
    "resources":[{"resource":"configmaps","responseKind":{"group":"","version":"v1","kind":"ConfigMap"},"scope":"Namespaced"}]}]}]})"));
  server.http().Get("/apis", aggregated(R"({"kind":"APIGroupDiscoveryList","items":[{"metadata":{"name":"apps"},"versions":[{"version":"v1",
    "resources":[{"resource":"deployments","responseKind":{"group":"apps","version":"v1","kind":"Deployment"},"scope":"Namespaced"}]}]}]})"));
  server.http().Get(R"(/api/v1|/apis/.*)", [&](const httplib::Request&, httplib::Response& res) {
    ++legacy;
    res.status = 404;
  });
  server.start();
  auto client = client_for(test::access_for(server.url()));
  auto deployments = client->resolve("apps/v1", "Deployment");
  REQUIRE(deployments.ok());
  CHECK(deployments->resource == "deployments");
  CHECK(client->resolve("v1", "ConfigMap")->resource == "configmaps");
  CHECK(legacy == 0);
}
