// StepOutcome: how the parts of a step combine what they decided (step_outcome.hpp), and the
// structured causes a sync ends with.
#include "engine/engine_fixture.hpp"
#include "wavesync/engine/step_outcome.hpp"

#include <catch2/catch.hpp>

using namespace wavesync;
using namespace wavesync::test;
using namespace std::chrono_literals;
using engine::Reason;
using engine::detail::ExitClass;
using engine::detail::Stop;
using engine::detail::StepOutcome;

namespace {
const ObjectRef k_web{"apps/v1", "Deployment", "shop", "web"};
const ObjectRef k_db{"v1", "Secret", "shop", "db"};

StepOutcome with(Stop stop, std::vector<Reason> reasons, std::optional<Reason> timeout = std::nullopt) {
  StepOutcome out;
  out.stop = stop;
  out.reasons = std::move(reasons);
  out.timeout = std::move(timeout);
  return out;
}
}  // namespace

TEST_CASE("a step's outcome lists the reasons of its parts in the order they were found", "[engine][outcome]") {
  StepOutcome out = with(Stop::none, {Reason{k_web, "apps/v1 Deployment shop/web: Degraded"}});
  out.merge(with(Stop::failed, {Reason{std::nullopt, "watch: connection reset"}, Reason{k_db, "prune v1 Secret shop/db: 409"}}));
  CHECK(out.stop == Stop::failed);
  CHECK(out.reasons == std::vector<Reason>{Reason{k_web, "apps/v1 Deployment shop/web: Degraded"},
                                           Reason{std::nullopt, "watch: connection reset"},
                                           Reason{k_db, "prune v1 Secret shop/db: 409"}});
  CHECK(engine::detail::texts_of(out.reasons) ==
        std::vector<std::string>{"apps/v1 Deployment shop/web: Degraded", "watch: connection reset",
                                 "prune v1 Secret shop/db: 409"});
}

TEST_CASE("the first stop and the first timeout reason win when outcomes combine", "[engine][outcome]") {
  StepOutcome out = with(Stop::timed_out, {}, Reason{k_web, "timed out after 3.0s (wavesync.dev/timeout) waiting for web"});
  out.merge(with(Stop::failed, {}, Reason{std::nullopt, "timed out after 10m (--timeout) waiting for Sync wave 0"}));
  CHECK(out.stop == Stop::timed_out);
  REQUIRE(out.timeout);
  CHECK(out.timeout->object == k_web);
  CHECK(out.timeout->text == "timed out after 3.0s (wavesync.dev/timeout) waiting for web");

  StepOutcome quiet;
  quiet.merge(with(Stop::interrupted, {}));
  CHECK(quiet.stop == Stop::interrupted);
  CHECK_FALSE(quiet.timeout);
}

TEST_CASE("a cluster error's exit class wins over a plain failure, in either order", "[engine][outcome]") {
  const Error unreachable{"connection refused", exit_code::k_cluster};
  const Error rejected{"422 Unprocessable Entity", exit_code::k_sync_failed, 422};

  StepOutcome plain;
  plain.note(rejected);
  CHECK(plain.exit_class == ExitClass::sync_failed);
  CHECK(plain.failure_exit_code() == 1);

  StepOutcome cluster_first;
  cluster_first.note(unreachable);
  cluster_first.note(rejected);
  CHECK(cluster_first.failure_exit_code() == 4);

  StepOutcome cluster_later = plain;
  StepOutcome part;
  part.note(unreachable);
  cluster_later.merge(part);
  CHECK(cluster_later.exit_class == ExitClass::cluster);
  part.merge(plain);
  CHECK(part.failure_exit_code() == 4);
}

TEST_CASE("a wait's end becomes a stop; a broken watch fails with a reason and its exit class", "[engine][outcome]") {
  using engine::WaitEnd;
  CHECK(engine::detail::outcome_of(WaitEnd::satisfied).stop == Stop::none);
  CHECK(engine::detail::outcome_of(WaitEnd::timed_out).stop == Stop::timed_out);
  CHECK(engine::detail::outcome_of(WaitEnd::interrupted).stop == Stop::interrupted);
  CHECK(engine::detail::outcome_of(WaitEnd::timed_out).reasons.empty());

  StepOutcome broken = engine::detail::outcome_of(Result<WaitEnd>(Error{"watch v1 Pod: connection refused", exit_code::k_cluster}));
  CHECK(broken.stop == Stop::failed);
  CHECK(broken.reasons == std::vector<Reason>{Reason{std::nullopt, "watch: watch v1 Pod: connection refused"}});
  CHECK(broken.failure_exit_code() == 4);

  StepOutcome gone = engine::detail::outcome_of(Result<WaitEnd>(Error{"watch v1 Pod: 410 Gone", exit_code::k_sync_failed, 410}));
  CHECK(gone.stop == Stop::failed);
  CHECK(gone.failure_exit_code() == 1);
}

TEST_CASE("a failed sync's causes are about the objects that failed, and its reasons are their texts", "[engine][outcome]") {
  Cluster c;
  c.fail = {"web"};
  auto result = c.sync(plan_of({resource(deployment("default", "web")), resource(config_map("default", "later"), 1)}));
  CHECK(result.exit_code == 1);
  REQUIRE(result.causes.size() == 1);
  CHECK(result.causes[0].object == ObjectRef{"apps/v1", "Deployment", "default", "web"});
  CHECK(result.reasons == engine::detail::texts_of(result.causes));
  CHECK(c.sink.events.back().reasons == result.reasons);
}

TEST_CASE("an unreachable API server during one apply ends the sync with exit 4 beside a plain rejection",
          "[engine][outcome]") {
  Cluster c;
  c.client.inject_fault({"apply", "ConfigMap", "a", 1, Error{"apply v1 ConfigMap default/a: connection refused", exit_code::k_cluster}});
  c.client.inject_fault({"apply", "ConfigMap", "b", 1, Error{"apply v1 ConfigMap default/b: 422 Unprocessable Entity", 1, 422}});
  auto result = c.sync(plan_of({resource(config_map("default", "a")), resource(config_map("default", "b"))}));
  CHECK(result.exit_code == 4);
  REQUIRE(result.causes.size() == 2);
  CHECK(result.causes[0].object == ObjectRef{"v1", "ConfigMap", "default", "a"});
  CHECK(result.causes[1].object == ObjectRef{"v1", "ConfigMap", "default", "b"});
}

TEST_CASE("a timed-out sync's first cause is about the object whose own timeout passed, or about none for --timeout",
          "[engine][outcome]") {
  Cluster c;
  c.never = {"slow"};
  PlannedResource slow = resource(deployment("default", "slow"));
  engine::RunOptions options;
  SECTION("wavesync.dev/timeout") {
    slow.policy.timeout = 3s;
    auto result = c.sync(plan_of({slow}), options);
    CHECK(result.exit_code == 3);
    REQUIRE(result.causes.size() == 2);
    CHECK(result.causes[0].object == ObjectRef{"apps/v1", "Deployment", "default", "slow"});
    CHECK(result.causes[1].object == ObjectRef{"apps/v1", "Deployment", "default", "slow"});
    CHECK(result.causes[1].text.rfind("apps/v1 Deployment default/slow is not ready: ", 0) == 0);
  }
  SECTION("--timeout") {
    options.timeout = 4s;
    auto result = c.sync(plan_of({slow}), options);
    CHECK(result.exit_code == 3);
    REQUIRE(result.causes.size() == 2);
    CHECK_FALSE(result.causes[0].object);
    CHECK(result.causes[0].text == "timed out after 4.0s (--timeout) waiting for Sync wave 0");
    CHECK(result.causes[1].object == ObjectRef{"apps/v1", "Deployment", "default", "slow"});
  }
}
