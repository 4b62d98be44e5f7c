// An API server that goes away after it has answered (a restart, a failover) is waited for:
// refused connections are then retried with backoff for the full retry budget instead of the
// fast-fail budget of a cluster that never answered (found by test/e2e/test_faults.py).
#include "kube/kube_test_support.hpp"
#include "wavesync/kube/http_client.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <thread>

using namespace wavesync;
using namespace wavesync::kube;

namespace {

void serve_configmap(httplib::SSLServer& s) {
  s.Get("/api/v1/namespaces/default/configmaps/a", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(R"({"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"a","namespace":"default"}})",
                    "application/json");
  });
}

}  // namespace

TEST_CASE("a request during an API server restart succeeds once the server is back", "[kube][faults]") {
  auto first = std::make_unique<test::TestServer>(false);
  test::serve_core_discovery(first->http());
  serve_configmap(first->http());
  first->start();
  const int port = first->port();
  ClientOptions o;
  o.transport.initial_backoff = std::chrono::milliseconds(50);
  o.transport.max_backoff = std::chrono::milliseconds(1000);
  auto client = HttpClient::create(test::access_for(first->url()), o);
  REQUIRE(client.ok());
  const ObjectRef ref{"v1", "ConfigMap", "default", "a"};
  REQUIRE((*client)->get(ref).ok());

  first.reset();  // the server is gone: connections are refused
  httplib::SSLServer second(test::test_pki().server_cert_path.c_str(), test::test_pki().server_key_path.c_str());
  serve_configmap(second);
  bool bound = false;
  std::thread restart([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    bound = second.bind_to_port("127.0.0.1", port);
    if (bound) second.listen_after_bind();
  });
  auto got = (*client)->get(ref);
  second.stop();
  restart.join();
  REQUIRE(bound);
  INFO((got.ok() ? std::string("ok") : got.error().message));
  REQUIRE(got.ok());
  CHECK(got->has_value());
}

TEST_CASE("a cluster that never answered is reported unreachable within a second or two", "[kube][faults]") {
  int port = 0;
  {
    test::TestServer gone(false);
    gone.start();
    port = gone.port();
  }
  auto client = HttpClient::create(test::access_for("https://localhost:" + std::to_string(port)), ClientOptions{});
  REQUIRE(client.ok());
  const auto start = std::chrono::steady_clock::now();
  auto got = (*client)->get(ObjectRef{"v1", "ConfigMap", "default", "a"});
  REQUIRE_FALSE(got.ok());
  CHECK(got.error().exit_code == 4);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(3));
}

TEST_CASE("throttling is waited out past max_retries: a 429 says later, not no", "[kube][faults]") {
  test::TestServer server(false);
  test::serve_core_discovery(server.http());
  std::atomic<int> calls{0};
  server.http().Get("/api/v1/namespaces/default/configmaps/a", [&](const httplib::Request&, httplib::Response& res) {
    if (++calls <= 15) {
      res.status = 429;
      res.set_header("Retry-After", "0");
      res.set_content("Too many requests, please try again later.\n", "text/plain");
      return;
    }
    res.set_content(R"({"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"a","namespace":"default"}})",
                    "application/json");
  });
  server.start();
  ClientOptions o;
  o.transport.max_retries = 10;
  auto client = HttpClient::create(test::access_for(server.url()), o);
  REQUIRE(client.ok());
  auto got = (*client)->get(ObjectRef{"v1", "ConfigMap", "default", "a"});
  INFO((got.ok() ? std::string("ok") : got.error().message));
  REQUIRE(got.ok());
  CHECK(calls == 16);
}
