// Fault injection: 429 with Retry-After, 500s, dropped connections and 410 Gone mid-watch.
#include "kube/kube_test_support.hpp"
#include "wavesync/kube/http_client.hpp"

#include <catch2/catch.hpp>

#include <atomic>

using namespace wavesync;
using namespace wavesync::kube;
using Clock = std::chrono::steady_clock;

namespace {

std::unique_ptr<HttpClient> fast_client(const test::TestServer& server, int max_retries = 10) {
  ClientOptions o;
  o.transport.max_in_flight = 4;
  o.transport.max_retries = max_retries;
  o.transport.max_throttle_retries = max_retries;
  o.transport.initial_backoff = std::chrono::milliseconds(10);
  o.watch_timeout_seconds = 5;
  auto c = HttpClient::create(test::access_for(server.url()), o);
  REQUIRE(c.ok());
  return std::move(*c);
}

const char* k_configmap = R"({"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"a"}})";

// Ends the response after the headers with the body missing: libcurl sees a dropped
// connection ("transfer closed with N bytes remaining").
void drop(httplib::Response& res) {
  res.set_content_provider(100, "application/json",
                           [](size_t, size_t, httplib::DataSink&) { return false; });
}

std::string event(const std::string& type, const std::string& name, const std::string& rv) {
  return R"({"type":")" + type + R"(","object":{"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":")" +
         name + R"(","namespace":"default","resourceVersion":")" + rv + "\"}}}\n";
}

std::string list(const std::vector<std::string>& names, const std::string& rv) {
  std::string items;
  for (const auto& n : names) {
    items += (items.empty() ? "" : ",") + std::string(R"({"metadata":{"name":")") + n +
             R"(","namespace":"default","resourceVersion":")" + rv + "\"}}";
  }
  return R"({"kind":"ConfigMapList","apiVersion":"v1","metadata":{"resourceVersion":")" + rv +
         R"("},"items":[)" + items + "]}";
}

std::string describe(const WatchEvent& e) {
  const char* type = e.type == WatchEvent::Type::added      ? "added"
                     : e.type == WatchEvent::Type::modified ? "modified"
                                                            : "deleted";
  return std::string(type) + " " + e.object["metadata"].value("name", "");
}

}  // namespace

TEST_CASE("A 429 is retried after the server's Retry-After", "[kube][faults]") {
  test::TestServer server(true);
  test::serve_core_discovery(server.http());
  std::atomic<int> calls{0};
  server.http().Get("/api/v1/namespaces/default/configmaps/a", [&](const httplib::Request&, httplib::Response& res) {
    if (++calls == 1) {
      res.status = 429;
      res.set_header("Retry-After", "1");
      res.set_content("Too many requests, please try again later.\n", "text/plain");
      return;
    }
    res.set_content(k_configmap, "application/json");
  });
  server.start();
  auto client = fast_client(server);
  REQUIRE(client->refresh_discovery().ok());
  const auto start = Clock::now();
  auto got = client->get(ObjectRef{"v1", "ConfigMap", "default", "a"});
  REQUIRE(got.ok());
  CHECK(got->has_value());
  CHECK(calls == 2);
  CHECK(Clock::now() - start >= std::chrono::milliseconds(1000));
}

TEST_CASE("A create is retried after a 429 but a persistent 429 is reported", "[kube][faults]") {
  test::TestServer server(true);
  test::serve_core_discovery(server.http());
  std::atomic<int> calls{0};
  server.http().Post("/api/v1/namespaces/default/configmaps", [&](const httplib::Request&, httplib::Response& res) {
    ++calls;
    res.status = 429;
    res.set_header("Retry-After", "0");
    res.set_content("Too many requests, please try again later.\n", "text/plain");
  });
  server.start();
  auto client = fast_client(server, 2);
  auto created = client->create(nlohmann::json::parse(R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"generateName":"job-"}})"),
                                DryRun::none);
  REQUIRE_FALSE(created.ok());
  CHECK(created.error().message ==
        "create v1 ConfigMap default/job-*: 429 Too Many Requests: Too many requests, please try again later.");
  CHECK(calls == 3);
}

TEST_CASE("Server errors on idempotent calls are retried with backoff", "[kube][faults]") {
  test::TestServer server(true);
  test::serve_core_discovery(server.http());
  std::atomic<int> calls{0};
  server.http().Get("/api/v1/namespaces/default/configmaps/a", [&](const httplib::Request&, httplib::Response& res) {
    if (++calls <= 2) {
      res.status = 500;
      res.set_content(R"({"kind":"Status","code":500,"message":"etcdserver: leader changed"})", "application/json");
      return;
    }
    res.set_content(k_configmap, "application/json");
  });
  server.start();
  auto got = fast_client(server)->get(ObjectRef{"v1", "ConfigMap", "default", "a"});
  REQUIRE(got.ok());
  CHECK(calls == 3);
}

TEST_CASE("Dropped connections are retried for apply but not for create", "[kube][faults]") {
  test::TestServer server(true);
  test::serve_core_discovery(server.http());
  std::atomic<int> patches{0};
  std::atomic<int> posts{0};
  server.http().Patch("/api/v1/namespaces/default/configmaps/a", [&](const httplib::Request& req, httplib::Response& res) {
    if (++patches == 1) return drop(res);
    res.set_content(req.body, "application/json");
  });
  server.http().Post("/api/v1/namespaces/default/configmaps", [&](const httplib::Request&, httplib::Response& res) {
    ++posts;
    drop(res);
  });
  server.start();
  auto client = fast_client(server);
  const auto object = nlohmann::json::parse(k_configmap);
  auto applied = client->apply({object}, ApplyOptions{});
  REQUIRE(applied[0].ok());
  CHECK(patches == 2);
  auto created = client->create(object, DryRun::none);
  REQUIRE_FALSE(created.ok());
  CHECK(created.error().exit_code == 4);
  CHECK(created.error().message.rfind("create v1 ConfigMap default/a: cannot reach the API server: ", 0) == 0);
  CHECK(posts == 1);
}

TEST_CASE("A watch re-lists after 410 Gone and parses events split across chunks", "[kube][faults][watch]") {
  // The handlers' state is declared before the server, so it outlives the server's threads.
  std::atomic<int> lists{0};
  std::atomic<int> watches{0};
  std::atomic<bool> stopping{false};
  std::mutex mutex;
  std::vector<std::string> watch_versions;
  std::atomic<long long> sent_at{0};
  test::TestServer server(true);
  test::serve_core_discovery(server.http());
  server.http().Get("/api/v1/namespaces/default/configmaps", [&](const httplib::Request& req, httplib::Response& res) {
    if (!req.has_param("watch")) {
      res.set_content(++lists == 1 ? list({"a"}, "10") : list({"b", "c"}, "20"), "application/json");
      return;
    }
    {
      std::lock_guard lock(mutex);
      watch_versions.push_back(req.get_param_value("resourceVersion") + " " + req.get_param_value("allowWatchBookmarks"));
    }
    const int n = ++watches;
    res.set_chunked_content_provider("application/json", [&, n](size_t, httplib::DataSink& sink) {
      if (n == 1) {
        const std::string added = event("ADDED", "b", "11");
        sink.write(added.data(), 25);  // half an event, then the rest
        std::this_thread::sleep_for(std::chrono::milliseconds(30));
        sink.write(added.data() + 25, added.size() - 25);
        const std::string bookmark = R"({"type":"BOOKMARK","object":{"kind":"ConfigMap","apiVersion":"v1","metadata":{"resourceVersion":"12"}}})" "\n";
        sink.write(bookmark.data(), bookmark.size());
        const std::string gone = R"j({"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","status":"Failure","message":"too old resource version: 10 (15)","reason":"Expired","code":410}})j" "\n";
        sink.write(gone.data(), gone.size());
      } else if (n == 2) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        const std::string modified = event("MODIFIED", "c", "21");
        sent_at = Clock::now().time_since_epoch().count();
        sink.write(modified.data(), modified.size());
        while (!stopping && sink.is_writable()) std::this_thread::sleep_for(std::chrono::milliseconds(10));
      } else {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
      sink.done();
      return true;
    });
  });
  server.start();
  auto client = fast_client(server);
  auto watch = client->watch({WatchRequest{"v1", "ConfigMap", "default", "", ""}}, {});
  REQUIRE(watch.ok());
  std::vector<std::string> seen;
  long long received_at = 0;
  const auto deadline = Clock::now() + std::chrono::seconds(10);
  while (seen.size() < 6 && Clock::now() < deadline) {
    auto e = (*watch)->next(std::chrono::milliseconds(200));
    REQUIRE(e.ok());
    if (e->has_value()) {
      seen.push_back(describe(**e));
      received_at = Clock::now().time_since_epoch().count();
    }
  }
  stopping = true;
  {
    std::lock_guard lock(mutex);
    for (const auto& v : watch_versions) UNSCOPED_INFO("watch from " << v);
  }
  CHECK(seen == std::vector<std::string>{"added a", "added b", "added b", "added c", "deleted a", "modified c"});
  {
    std::lock_guard lock(mutex);
    REQUIRE(watch_versions.size() >= 2);
    CHECK(watch_versions[0] == "10 true");
    CHECK(watch_versions[1] == "20 true");
  }
  CHECK(lists == 2);
  const auto latency = std::chrono::nanoseconds(received_at - sent_at.load());
  INFO("event latency " << std::chrono::duration_cast<std::chrono::microseconds>(latency).count() << " us");
  CHECK(latency < std::chrono::milliseconds(20));
  watch->reset();
}

TEST_CASE("A watch resumes from the last resourceVersion after a dropped stream", "[kube][faults][watch]") {
  std::atomic<int> watches{0};  // declared before the server: outlives its threads
  std::mutex mutex;
  std::vector<std::string> versions;
  test::TestServer server(true);
  test::serve_core_discovery(server.http());
  server.http().Get("/api/v1/namespaces/default/configmaps", [&](const httplib::Request& req, httplib::Response& res) {
    if (!req.has_param("watch")) {
      res.set_content(list({}, "5"), "application/json");
      return;
    }
    {
      std::lock_guard lock(mutex);
      versions.push_back(req.get_param_value("resourceVersion"));
    }
    const int n = ++watches;
    if (n == 2) return drop(res);
    res.set_chunked_content_provider("application/json", [n](size_t, httplib::DataSink& sink) {
      if (n == 1 || n == 3) {
        const std::string e = event("ADDED", n == 1 ? "x" : "y", n == 1 ? "6" : "7");
        sink.write(e.data(), e.size());
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      sink.done();
      return true;
    });
  });
  server.start();
  auto client = fast_client(server);
  auto watch = client->watch({WatchRequest{"v1", "ConfigMap", "default", "", ""}}, {});
  REQUIRE(watch.ok());
  std::vector<std::string> seen;
  const auto deadline = Clock::now() + std::chrono::seconds(10);
  while (seen.size() < 2 && Clock::now() < deadline) {
    auto e = (*watch)->next(std::chrono::milliseconds(200));
    REQUIRE(e.ok());
    if (e->has_value()) seen.push_back(describe(**e));
  }
  CHECK(seen == std::vector<std::string>{"added x", "added y"});
  std::lock_guard lock(mutex);
  REQUIRE(versions.size() >= 3);
  CHECK(versions[0] == "5");
  CHECK(versions[1] == "6");  // the server ended the stream: resume after x
  CHECK(versions[2] == "6");  // the stream was dropped before any event: same place
}

TEST_CASE("A watch of an unknown kind fails at once", "[kube][faults][watch]") {
  test::TestServer server(true);
  test::serve_core_discovery(server.http());
  server.start();
  auto watch = fast_client(server)->watch({WatchRequest{"example.com/v1", "Widget", "", "", ""}}, {});
  REQUIRE_FALSE(watch.ok());
  CHECK(watch.error().message ==
        "watch example.com/v1 Widget: no matches for kind \"Widget\" in version \"example.com/v1\": ensure CRDs are installed first");
}
