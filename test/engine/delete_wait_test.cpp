// The engine's one delete-and-wait (engine/delete_wait.hpp), on the fake cluster and clock.
#include "engine/engine_fixture.hpp"
#include "wavesync/engine/delete_wait.hpp"

#include <catch2/catch.hpp>

using namespace wavesync;
using namespace wavesync::test;
using namespace std::chrono_literals;

namespace {
ObjectRef cm_id(const std::string& name) { return ObjectRef{"v1", "ConfigMap", "shop", name}; }
kube::ObjectRef cm_ref(const std::string& name) { return fakes::ref("v1", "ConfigMap", "shop", name); }
json held_config_map(const std::string& name) {
  json cm = config_map("shop", name);
  cm["metadata"]["finalizers"] = json::array({"example.com/hold"});
  return cm;
}
engine::WaitLimits limits(fakes::FakeClock& clock, std::chrono::milliseconds within) {
  return engine::WaitLimits{clock.now() + within, 200ms, nullptr};
}
}  // namespace

TEST_CASE("a deletion is waited for until the finalizer holding it goes", "[engine][delete-wait]") {
  Cluster c;
  c.seed_namespace("shop");
  c.client.seed(held_config_map("held"));
  engine::LiveView view(c.client);
  auto started = engine::start_deletions(c.client, view, {{cm_id("held"), kube::Propagation::foreground}});
  REQUIRE(started);
  REQUIRE(started->objects.size() == 1);
  CHECK(started->objects[0].state == engine::DeleteStart::deleting);
  CHECK(started->objects[0].finalizers == std::vector<std::string>{"example.com/hold"});
  CHECK(c.client.writes() == std::vector<std::string>{"delete v1 ConfigMap shop/held foreground"});
  const auto start = c.clock.now();
  c.client.schedule(7s, [&] { c.client.clear_finalizers(cm_ref("held")); });
  std::vector<std::string> gone;
  auto waited = engine::wait_until_gone(view, c.clock, {cm_id("held")}, limits(c.clock, 60s),
                                        [&](const ObjectRef& id) { gone.push_back(id.str()); });
  REQUIRE(waited);
  CHECK(waited->end == engine::WaitEnd::satisfied);
  CHECK(waited->left.empty());
  CHECK(gone == std::vector<std::string>{"v1 ConfigMap shop/held"});
  // Not before the finalizer went, and not much after (the watch said so).
  const double took = std::chrono::duration<double>(c.clock.now() - start).count();
  CHECK(took >= 7.0);
  CHECK(took < 7.5);
}

TEST_CASE("an object already being deleted gets no second DELETE", "[engine][delete-wait]") {
  Cluster c;
  c.seed_namespace("shop");
  c.client.seed(held_config_map("held"));
  REQUIRE(c.client.remove(cm_ref("held"), kube::Propagation::background));
  c.client.clear_calls();
  engine::LiveView view(c.client);
  auto started = engine::start_deletions(c.client, view, {{cm_id("held"), kube::Propagation::foreground}});
  REQUIRE(started);
  CHECK(started->objects[0].state == engine::DeleteStart::already_deleting);
  CHECK(c.client.writes().empty());
}

TEST_CASE("the deadline ends the wait and names the finalizers that hold the object", "[engine][delete-wait]") {
  Cluster c;
  c.seed_namespace("shop");
  c.client.seed(held_config_map("held"));
  engine::LiveView view(c.client);
  REQUIRE(engine::start_deletions(c.client, view, {{cm_id("held"), kube::Propagation::foreground}}));
  const auto deadline = c.clock.now() + 30s;
  auto waited = engine::wait_until_gone(view, c.clock, {cm_id("held")}, engine::WaitLimits{deadline, 200ms, nullptr}, {});
  REQUIRE(waited);
  CHECK(waited->end == engine::WaitEnd::timed_out);
  CHECK(waited->left == std::vector<ObjectRef>{cm_id("held")});
  CHECK(c.clock.now() >= deadline);
  CHECK(c.clock.now() < deadline + 1s);
  const std::string reason = engine::still_there_reason(view.find(cm_id("held")));
  CHECK(reason.rfind("being deleted since ", 0) == 0);
  CHECK(reason.find(", waiting on finalizers: example.com/hold") != std::string::npos);
}

TEST_CASE("Argo CD's hook finalizer is taken off before the delete only when asked", "[engine][delete-wait]") {
  Cluster c;
  c.seed_namespace("shop");
  c.client.seed(job_with_hook_finalizer("shop", "migrate"));
  const ObjectRef id{"batch/v1", "Job", "shop", "migrate"};
  engine::LiveView view(c.client);
  auto started = engine::start_deletions(
      c.client, view, {{id, kube::Propagation::background, engine::HookFinalizer::release, engine::LiveKeep::ignore}});
  REQUIRE(started);
  CHECK(started->objects[0].state == engine::DeleteStart::deleting);
  CHECK(started->objects[0].finalizers.empty());
  CHECK(c.client.writes() == std::vector<std::string>{"patch batch/v1 Job shop/migrate",
                                                       "delete batch/v1 Job shop/migrate background"});
  auto waited = engine::wait_until_gone(view, c.clock, {id}, limits(c.clock, 10s), {});
  REQUIRE(waited);
  CHECK(waited->end == engine::WaitEnd::satisfied);
}

TEST_CASE("gone and kept objects get no DELETE; a refused one says why", "[engine][delete-wait]") {
  Cluster c;
  c.seed_namespace("shop");
  json kept = config_map("shop", "kept");
  kept["metadata"]["annotations"]["argocd.argoproj.io/sync-options"] = "Delete=false";
  c.client.seed(kept);
  c.client.seed(config_map("shop", "refused"));
  c.client.inject_fault({"delete", "ConfigMap", "refused", 1, Error{"delete v1 ConfigMap shop/refused: 403 Forbidden", 1, 403}});
  engine::LiveView view(c.client);
  auto started = engine::start_deletions(
      c.client, view,
      {{cm_id("missing"), kube::Propagation::foreground, engine::HookFinalizer::keep, engine::LiveKeep::honour},
       {cm_id("kept"), kube::Propagation::foreground, engine::HookFinalizer::keep, engine::LiveKeep::honour},
       {cm_id("refused"), kube::Propagation::foreground, engine::HookFinalizer::keep, engine::LiveKeep::honour}});
  REQUIRE(started);
  REQUIRE(started->objects.size() == 3);
  CHECK(started->objects[0].state == engine::DeleteStart::gone);
  CHECK(started->objects[1].state == engine::DeleteStart::kept);
  CHECK(started->objects[1].kept == "Delete=false on the live object");
  CHECK(started->objects[2].state == engine::DeleteStart::refused);
  CHECK(started->objects[2].error.message == "delete v1 ConfigMap shop/refused: 403 Forbidden");
  CHECK(c.client.writes() == std::vector<std::string>{"delete v1 ConfigMap shop/refused foreground"});
}

TEST_CASE("a deletion that finishes at once is seen without waiting", "[engine][delete-wait]") {
  Cluster c;
  c.seed_namespace("shop");
  c.client.seed(config_map("shop", "a"));
  engine::LiveView view(c.client);
  REQUIRE(engine::start_deletions(c.client, view, {{cm_id("a"), kube::Propagation::foreground}}));
  const auto start = c.clock.now();
  int gone = 0;
  auto waited = engine::wait_until_gone(view, c.clock, {cm_id("a")}, limits(c.clock, 60s),
                                        [&](const ObjectRef&) { ++gone; });
  REQUIRE(waited);
  CHECK(waited->end == engine::WaitEnd::satisfied);
  CHECK(gone == 1);
  CHECK(c.clock.now() - start < 1s);
}

TEST_CASE("a Namespace's spec finalizers count as blocking", "[engine][delete-wait]") {
  json ns{{"apiVersion", "v1"},
          {"kind", "Namespace"},
          {"metadata", {{"name", "shop"}, {"finalizers", {"example.com/a"}}}},
          {"spec", {{"finalizers", {"kubernetes"}}}}};
  CHECK(engine::blocking_finalizers(ns) == std::vector<std::string>{"example.com/a", "kubernetes"});
  CHECK(engine::finalizers_text(engine::blocking_finalizers(ns)) == "example.com/a, kubernetes");
}

TEST_CASE("a deletion is watched metadata-only and keeps no data of the object", "[engine][delete-wait]") {
  // Pruning 50,000 ConfigMaps must not download and keep their data: the wait needs only
  // deletionTimestamp and finalizers.
  Cluster c;
  c.seed_namespace("shop");
  json held = held_config_map("held");
  held["data"] = {{"big", std::string(4096, 'x')}};
  c.client.seed(held);
  engine::LiveView view(c.client);
  REQUIRE(engine::start_deletions(c.client, view, {{cm_id("held"), kube::Propagation::foreground}}));
  std::vector<std::string> watches;
  for (const auto& call : c.client.calls())
    if (call.rfind("watch", 0) == 0) watches.push_back(call);
  CHECK(watches == std::vector<std::string>{"watch v1 ConfigMap shop (metadata)"});
  const engine::Observed* seen = view.find(cm_id("held"));
  REQUIRE(seen != nullptr);
  CHECK_FALSE(seen->object.contains("data"));
  CHECK(engine::blocking_finalizers(seen->object) == std::vector<std::string>{"example.com/hold"});
  // What the metadata-only watch delivers is recorded as the object's type, with no data.
  c.client.schedule(1s, [&] { c.client.clear_finalizers(cm_ref("held")); });
  auto waited = engine::wait_until_gone(view, c.clock, {cm_id("held")}, limits(c.clock, 30s), {});
  REQUIRE(waited);
  CHECK(waited->end == engine::WaitEnd::satisfied);
}

TEST_CASE("a Namespace's deletion is watched whole: spec.finalizers holds it too", "[engine][delete-wait]") {
  Cluster c;
  c.seed_namespace("gone-soon");
  engine::LiveView view(c.client);
  REQUIRE(engine::start_deletions(c.client, view, {{ObjectRef{"v1", "Namespace", "", "gone-soon"}, kube::Propagation::foreground}}));
  std::vector<std::string> watches;
  for (const auto& call : c.client.calls())
    if (call.rfind("watch", 0) == 0) watches.push_back(call);
  CHECK(watches == std::vector<std::string>{"watch v1 Namespace"});
}

TEST_CASE("a collection watched metadata-only is watched whole once an object in it needs health", "[engine][delete-wait]") {
  Cluster c;
  c.seed_namespace("shop");
  c.client.seed(config_map("shop", "old"));
  engine::LiveView view(c.client);
  REQUIRE(view.cover({cm_id("old")}, engine::Detail::deletion));
  REQUIRE(view.cover({cm_id("old")}, engine::Detail::deletion));  // nothing new: no new watch
  REQUIRE(view.cover({cm_id("new")}, engine::Detail::full));
  REQUIRE(view.cover({cm_id("other")}, engine::Detail::deletion));  // never back to metadata
  std::vector<std::string> watches;
  for (const auto& call : c.client.calls())
    if (call.rfind("watch", 0) == 0) watches.push_back(call);
  CHECK(watches == std::vector<std::string>{"watch v1 ConfigMap shop (metadata)", "watch v1 ConfigMap shop"});
  // The whole watch delivers data again.
  REQUIRE(view.next(100ms));
  const engine::Observed* seen = view.find(cm_id("old"));
  REQUIRE(seen != nullptr);
  CHECK(seen->object.contains("data"));
}

TEST_CASE("a forgotten object is dropped from the view and later events about it are ignored", "[engine][live-view]") {
  Cluster c;
  c.seed_namespace("shop");
  c.client.seed(config_map("shop", "a"));
  engine::LiveView view(c.client);
  REQUIRE(view.cover({cm_id("a")}));
  auto live = c.client.get(cm_ref("a"));
  REQUIRE(live);
  REQUIRE(live->has_value());
  view.record(cm_id("a"), **live);
  REQUIRE(view.find(cm_id("a")) != nullptr);
  view.forget({cm_id("a")});
  CHECK(view.find(cm_id("a")) == nullptr);
  // The watch still delivers the object's events; nobody asks for it, so none is recorded.
  for (int i = 0; i < 3; ++i) {
    auto next = view.next(100ms);
    REQUIRE(next);
    CHECK_FALSE(next->has_value());
  }
  CHECK(view.find(cm_id("a")) == nullptr);
}

TEST_CASE("deletions are read, then deleted, a chunk at a time, with results in request order", "[engine][delete-wait]") {
  // 500 objects are read together and then deleted together (HttpClient sends each group
  // concurrently); a 5,000-object prune wave was 10,000 round trips one after another.
  Cluster c;
  c.seed_namespace("shop");
  std::vector<engine::DeleteRequest> requests;
  for (int i = 0; i < 600; ++i) {
    const std::string name = "cm-" + std::to_string(i);
    if (i != 7) c.client.seed(config_map("shop", name));  // cm-7 is already gone
    requests.push_back({cm_id(name), kube::Propagation::foreground});
  }
  c.client.clear_calls();
  engine::LiveView view(c.client);
  auto started = engine::start_deletions(c.client, view, requests);
  REQUIRE(started);
  REQUIRE(started->objects.size() == 600);
  for (int i = 0; i < 600; ++i) {
    CHECK(started->objects[i].id == cm_id("cm-" + std::to_string(i)));
    CHECK(started->objects[i].state == (i == 7 ? engine::DeleteStart::gone : engine::DeleteStart::deleting));
  }
  std::vector<std::string> verbs;  // the order of gets and deletes, one letter per call
  for (const std::string& call : c.client.calls()) {
    if (call.rfind("get v1 ConfigMap", 0) == 0) verbs.push_back("g");
    if (call.rfind("delete v1 ConfigMap", 0) == 0) verbs.push_back("d");
  }
  std::vector<std::string> expected(500, "g");
  expected.insert(expected.end(), 499, "d");
  expected.insert(expected.end(), 100, "g");
  expected.insert(expected.end(), 100, "d");
  CHECK(verbs == expected);
}
