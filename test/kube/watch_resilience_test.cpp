// Watches that never give up on failures that may pass (client-go reflector semantics):
// many consecutive stream failures, Retry-After, a 401 that fresh credentials cure, watches
// the server closes at once; and lists read in pages.
#include "kube/kube_test_support.hpp"
#include "wavesync/kube/http_client.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <fstream>
#include <mutex>

using namespace wavesync;
using namespace wavesync::kube;
using Clock = std::chrono::steady_clock;

namespace {

const char* k_empty_list = R"({"kind":"ConfigMapList","apiVersion":"v1","metadata":{"resourceVersion":"5"},"items":[]})";

std::string added(const std::string& name, const std::string& rv) {
  return R"({"type":"ADDED","object":{"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":")" + name +
         R"(","namespace":"default","resourceVersion":")" + rv + "\"}}}\n";
}

ClientOptions quick() {
  ClientOptions o;
  o.watch_initial_backoff = std::chrono::milliseconds(10);
  o.watch_max_backoff = std::chrono::milliseconds(40);
  o.watch_timeout_seconds = 5;
  o.transport.initial_backoff = std::chrono::milliseconds(5);
  o.transport.max_retries = 1;
  return o;
}

// Waits for the first event; returns its object name, or the error / "timeout".
std::string first_event(Watch& watch, std::chrono::seconds limit) {
  const auto deadline = Clock::now() + limit;
  while (Clock::now() < deadline) {
    auto e = watch.next(std::chrono::milliseconds(100));
    if (!e) return "error: " + e.error().message;
    if (e->has_value()) return (**e).object["metadata"]["name"].get<std::string>();
  }
  return "timeout";
}

void stream(httplib::Response& res, std::string body) {
  res.set_chunked_content_provider("application/json", [body](size_t, httplib::DataSink& sink) {
    sink.write(body.data(), body.size());
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    sink.done();
    return true;
  });
}

}  // namespace

TEST_CASE("A watch outlasts any number of consecutive stream failures", "[kube][watch][faults]") {
  std::atomic<int> watches{0};
  test::TestServer server(true);
  test::serve_core_discovery(server.http());
  server.http().Get("/api/v1/namespaces/default/configmaps", [&](const httplib::Request& req, httplib::Response& res) {
    if (!req.has_param("watch")) return res.set_content(k_empty_list, "application/json");
    if (++watches <= 20) {
      res.status = 503;
      return res.set_content(R"({"kind":"Status","code":503,"message":"etcd leader changed"})", "application/json");
    }
    stream(res, added("late", "6"));
  });
  server.start();
  auto client = HttpClient::create(test::access_for(server.url()), quick());
  REQUIRE(client.ok());
  auto watch = (*client)->watch({WatchRequest{"v1", "ConfigMap", "default", "", ""}}, {});
  REQUIRE(watch.ok());
  CHECK(first_event(**watch, std::chrono::seconds(20)) == "late");
  CHECK(watches > 20);
}

TEST_CASE("A throttled watch waits at least the server's Retry-After", "[kube][watch][faults]") {
  std::atomic<int> watches{0};
  std::atomic<long long> first_at{0};
  std::atomic<long long> second_at{0};
  test::TestServer server(true);
  test::serve_core_discovery(server.http());
  server.http().Get("/api/v1/namespaces/default/configmaps", [&](const httplib::Request& req, httplib::Response& res) {
    if (!req.has_param("watch")) return res.set_content(k_empty_list, "application/json");
    const int n = ++watches;
    if (n == 1) {
      first_at = Clock::now().time_since_epoch().count();
      res.status = 429;
      res.set_header("Retry-After", "2");
      return res.set_content("Too many requests, please try again later.\n", "text/plain");
    }
    if (n == 2) second_at = Clock::now().time_since_epoch().count();
    stream(res, added("after-throttle", "6"));
  });
  server.start();
  auto client = HttpClient::create(test::access_for(server.url()), quick());
  REQUIRE(client.ok());
  auto watch = (*client)->watch({WatchRequest{"v1", "ConfigMap", "default", "", ""}}, {});
  REQUIRE(watch.ok());
  CHECK(first_event(**watch, std::chrono::seconds(10)) == "after-throttle");
  CHECK(std::chrono::nanoseconds(second_at - first_at) >= std::chrono::seconds(2));
}

TEST_CASE("A watch answered 401 fetches fresh credentials and resumes", "[kube][watch][credentials]") {
  test::TempDir dir;
  const std::string token_file = dir.write("token", "old-token\n");
  std::mutex mutex;
  std::vector<std::string> watch_tokens;
  test::TestServer server(false);
  test::serve_core_discovery(server.http());
  server.http().Get("/api/v1/namespaces/default/configmaps", [&](const httplib::Request& req, httplib::Response& res) {
    const std::string auth = req.get_header_value("Authorization");
    if (!req.has_param("watch")) return res.set_content(k_empty_list, "application/json");
    {
      std::lock_guard lock(mutex);
      watch_tokens.push_back(auth);
    }
    if (auth != "Bearer new-token") {
      // The token rotated after the list: the file now holds the new one.
      dir.write("token", "new-token\n");
      res.status = 401;
      return res.set_content(R"({"kind":"Status","code":401,"message":"Unauthorized"})", "application/json");
    }
    stream(res, added("with-new-token", "6"));
  });
  server.start();
  ClusterAccess a = test::access_for(server.url());
  a.user.client_certificate_pem.clear();
  a.user.client_key_pem.clear();
  a.user.token_file = token_file;
  auto client = HttpClient::create(a, quick());
  REQUIRE(client.ok());
  auto watch = (*client)->watch({WatchRequest{"v1", "ConfigMap", "default", "", ""}}, {});
  REQUIRE(watch.ok());
  CHECK(first_event(**watch, std::chrono::seconds(10)) == "with-new-token");
  std::lock_guard lock(mutex);
  CHECK(watch_tokens == std::vector<std::string>{"Bearer old-token", "Bearer new-token"});
}

TEST_CASE("A watch refused 401 even with fresh credentials is an error", "[kube][watch][credentials]") {
  test::TempDir dir;
  test::TestServer server(false);
  test::serve_core_discovery(server.http());
  server.http().Get("/api/v1/namespaces/default/configmaps", [&](const httplib::Request& req, httplib::Response& res) {
    if (!req.has_param("watch")) return res.set_content(k_empty_list, "application/json");
    res.status = 401;
    res.set_content(R"({"kind":"Status","code":401,"message":"Unauthorized"})", "application/json");
  });
  server.start();
  ClusterAccess a = test::access_for(server.url());
  a.user.client_certificate_pem.clear();
  a.user.client_key_pem.clear();
  a.user.token_file = dir.write("token", "revoked\n");
  auto client = HttpClient::create(a, quick());
  REQUIRE(client.ok());
  auto watch = (*client)->watch({WatchRequest{"v1", "ConfigMap", "default", "", ""}}, {});
  REQUIRE(watch.ok());
  const std::string got = first_event(**watch, std::chrono::seconds(5));
  CHECK(got.rfind("error: watch v1 ConfigMap in namespace default: 401 Unauthorized", 0) == 0);
}

TEST_CASE("Watches the server closes at once are restarted with backoff, not in a loop", "[kube][watch][faults]") {
  std::atomic<int> watches{0};
  test::TestServer server(true);
  test::serve_core_discovery(server.http());
  server.http().Get("/api/v1/namespaces/default/configmaps", [&](const httplib::Request& req, httplib::Response& res) {
    if (!req.has_param("watch")) return res.set_content(k_empty_list, "application/json");
    ++watches;
    res.set_content("", "application/json");  // 200, no events, closed
  });
  server.start();
  ClientOptions o = quick();
  o.watch_initial_backoff = std::chrono::milliseconds(200);
  o.watch_max_backoff = std::chrono::milliseconds(1000);
  auto client = HttpClient::create(test::access_for(server.url()), o);
  REQUIRE(client.ok());
  auto watch = (*client)->watch({WatchRequest{"v1", "ConfigMap", "default", "", ""}}, {});
  REQUIRE(watch.ok());
  CHECK(first_event(**watch, std::chrono::seconds(2)) == "timeout");
  // 200 ms doubling with jitter: at most 5 restarts in 2 s; without backoff, hundreds.
  CHECK(watches <= 6);
  CHECK(watches >= 2);
}

TEST_CASE("Lists are read in pages joined by continue tokens", "[kube][http]") {
  std::mutex mutex;
  std::vector<std::string> queries;
  test::TestServer server(true);
  test::serve_core_discovery(server.http());
  server.http().Get("/api/v1/namespaces/default/configmaps", [&](const httplib::Request& req, httplib::Response& res) {
    const std::string cont = req.get_param_value("continue");
    {
      std::lock_guard lock(mutex);
      queries.push_back("limit=" + req.get_param_value("limit") + " continue=" + cont);
    }
    if (cont.empty()) {
      return res.set_content(R"({"kind":"ConfigMapList","metadata":{"resourceVersion":"9","continue":"page2"},"items":[{"metadata":{"name":"a"}}]})",
                             "application/json");
    }
    res.set_content(R"({"kind":"ConfigMapList","metadata":{"resourceVersion":"9"},"items":[{"metadata":{"name":"b"}}]})",
                    "application/json");
  });
  server.start();
  auto client = HttpClient::create(test::access_for(server.url()), quick());
  REQUIRE(client.ok());
  auto list = (*client)->list(WatchRequest{"v1", "ConfigMap", "default", "", ""});
  REQUIRE(list.ok());
  CHECK((*list)["items"] == nlohmann::json::parse(R"([{"metadata":{"name":"a"}},{"metadata":{"name":"b"}}])"));
  CHECK((*list)["metadata"] == nlohmann::json::parse(R"({"resourceVersion":"9"})"));
  std::lock_guard lock(mutex);
  CHECK(queries == std::vector<std::string>{"limit=500 continue=", "limit=500 continue=page2"});
}

TEST_CASE("A watch stream that goes silent past its limit is taken for dead and restarted", "[kube][watch][faults]") {
  std::atomic<int> watches{0};
  std::atomic<bool> stopping{false};
  test::TestServer server(true);
  test::serve_core_discovery(server.http());
  server.http().Get("/api/v1/namespaces/default/configmaps", [&](const httplib::Request& req, httplib::Response& res) {
    if (!req.has_param("watch")) return res.set_content(k_empty_list, "application/json");
    if (++watches == 1) {
      // Headers, then nothing: a connection whose peer vanished looks like this.
      res.set_chunked_content_provider("application/json", [&](size_t, httplib::DataSink& sink) {
        while (!stopping && sink.is_writable()) std::this_thread::sleep_for(std::chrono::milliseconds(20));
        sink.done();
        return true;
      });
      return;
    }
    stream(res, added("after-silence", "6"));
  });
  server.start();
  ClientOptions o = quick();
  o.transport.stream_silence_limit = std::chrono::seconds(2);
  auto client = HttpClient::create(test::access_for(server.url()), o);
  REQUIRE(client.ok());
  auto watch = (*client)->watch({WatchRequest{"v1", "ConfigMap", "default", "", ""}}, {});
  REQUIRE(watch.ok());
  const auto start = Clock::now();
  CHECK(first_event(**watch, std::chrono::seconds(8)) == "after-silence");
  stopping = true;
  CHECK(Clock::now() - start >= std::chrono::seconds(2));
  CHECK(watches == 2);
}

TEST_CASE("Watch streams carry the impersonation headers and the User-Agent like every request", "[kube][watch][impersonation]") {
  std::mutex mutex;
  std::vector<std::string> seen;
  test::TestServer server(true);
  test::serve_core_discovery(server.http());
  server.http().Get("/api/v1/namespaces/default/configmaps", [&](const httplib::Request& req, httplib::Response& res) {
    {
      std::lock_guard lock(mutex);
      seen.push_back(std::string(req.has_param("watch") ? "watch" : "list") + " user=" +
                     req.get_header_value("Impersonate-User") + " group=" + req.get_header_value("Impersonate-Group") +
                     " agent=" + req.get_header_value("User-Agent"));
    }
    if (!req.has_param("watch")) return res.set_content(k_empty_list, "application/json");
    stream(res, added("seen", "6"));
  });
  server.start();
  ClusterAccess a = test::access_for(server.url());
  a.user.impersonate.user = "deployer";
  a.user.impersonate.groups = {"ops"};
  ClientOptions o = quick();
  o.transport.user_agent = "wavesync/1.0 (linux/amd64) abc";
  auto client = HttpClient::create(a, o);
  REQUIRE(client.ok());
  auto watch = (*client)->watch({WatchRequest{"v1", "ConfigMap", "default", "", ""}}, {});
  REQUIRE(watch.ok());
  CHECK(first_event(**watch, std::chrono::seconds(5)) == "seen");
  std::lock_guard lock(mutex);
  REQUIRE(seen.size() >= 2);
  CHECK(seen[0] == "list user=deployer group=ops agent=wavesync/1.0 (linux/amd64) abc");
  CHECK(seen[1] == "watch user=deployer group=ops agent=wavesync/1.0 (linux/amd64) abc");
}

TEST_CASE("A watch delivers only the objects its filter wants, from the list and the stream", "[kube][watch]") {
  test::TestServer server(true);
  test::serve_core_discovery(server.http());
  server.http().Get("/api/v1/namespaces/default/configmaps", [&](const httplib::Request& req, httplib::Response& res) {
    if (!req.has_param("watch")) {
      return res.set_content(
          R"({"kind":"ConfigMapList","apiVersion":"v1","metadata":{"resourceVersion":"5"},"items":[)"
          R"({"metadata":{"name":"listed-other","namespace":"default","resourceVersion":"3"}},)"
          R"({"metadata":{"name":"listed-wanted","namespace":"default","resourceVersion":"4"}}]})",
          "application/json");
    }
    stream(res, added("streamed-other", "6") + added("streamed-wanted", "7"));
  });
  server.start();
  auto client = HttpClient::create(test::access_for(server.url()), quick());
  REQUIRE(client.ok());
  std::vector<std::string> asked;
  auto wanted = [&](const nlohmann::json& object) {
    const std::string name = object["metadata"]["name"].get<std::string>();
    asked.push_back(object["kind"].get<std::string>() + " " + name);
    return name.find("wanted") != std::string::npos;
  };
  auto watch = (*client)->watch({WatchRequest{"v1", "ConfigMap", "default", "", ""}}, wanted);
  REQUIRE(watch.ok());
  CHECK(first_event(**watch, std::chrono::seconds(10)) == "listed-wanted");
  CHECK(first_event(**watch, std::chrono::seconds(10)) == "streamed-wanted");
  // Every object was asked about, with its type already set (list items come without it).
  CHECK(asked == std::vector<std::string>{"ConfigMap listed-other", "ConfigMap listed-wanted",
                                          "ConfigMap streamed-other", "ConfigMap streamed-wanted"});
}
