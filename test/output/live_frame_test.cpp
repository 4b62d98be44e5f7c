// The live terminal view: frames rendered from a run record, and redraws in place.
#include "output/output_fixture.hpp"
#include "wavesync/output/format.hpp"
#include "wavesync/output/live_frame.hpp"
#include "wavesync/output/live_reporter.hpp"
#include "wavesync/output/log_reporter.hpp"

#include <catch2/catch.hpp>

using namespace wavesync;
using namespace wavesync::test;
using namespace std::chrono_literals;

namespace {

engine::Event at(engine::EventType type, engine::TimePoint t, std::optional<ObjectRef> id = std::nullopt) {
  engine::Event e;
  e.type = type;
  e.time = t;
  e.phase = Phase::sync;
  e.wave = 1;
  e.resource = std::move(id);
  return e;
}

}  // namespace

TEST_CASE("the running step shows counts, elapsed time and the objects not ready with their reason", "[output]") {
  const engine::TimePoint t0{};
  output::Recorder recorder;
  const ObjectRef web{"apps/v1", "Deployment", "shop", "web"};
  const ObjectRef cm{"v1", "ConfigMap", "shop", "settings"};
  auto started = at(engine::EventType::step_started, t0);
  started.count = 2;
  recorder.emit(started);
  recorder.emit(at(engine::EventType::resource_applied, t0, cm));
  auto web_applied = at(engine::EventType::resource_applied, t0, web);
  web_applied.waited = true;
  recorder.emit(web_applied);
  auto progressing = at(engine::EventType::health_changed, t0 + 1s, web);
  progressing.health = health::Health{health::Status::progressing,
                                      "Waiting for rollout to finish: 0 of 3 updated replicas are available..."};
  recorder.emit(progressing);
  const auto lines = output::render_active(recorder.record(), t0 + 4200ms, 0, output::LiveStyle{false, true, 80});
  REQUIRE(lines.size() == 2);
  CHECK(lines[0] == "⠋ Sync wave 1  applied 2/2  healthy 1/2  4.2s");
  CHECK(lines[1] == "    Deployment shop/web  Progressing: Waiting for rollout to finish: 0 of 3 upd…");
  CHECK(output::display_width(lines[1]) == 80);
}

TEST_CASE("without colour the live view writes no colour codes, with colour it marks the spinner", "[output]") {
  output::Recorder recorder;
  auto started = at(engine::EventType::step_started, {});
  recorder.emit(started);
  auto plain = output::render_active(recorder.record(), {}, 2, output::LiveStyle{false, false, 80});
  CHECK(plain[0].find('\x1b') == std::string::npos);
  CHECK(plain[0].rfind("- Sync wave 1", 0) == 0);
  auto colored = output::render_active(recorder.record(), {}, 2, output::LiveStyle{true, false, 80});
  CHECK(colored[0].rfind("\x1b[36m-\x1b[0m Sync wave 1", 0) == 0);
}

TEST_CASE("a finished step collapses to one line and the view ends with the summary", "[output]") {
  Cluster c;
  c.delays["web"] = 5s;
  c.delays["migrate"] = 2s;
  Plan plan = small_plan(c);
  output::StringTerminal out(80);
  {
    output::LiveReporter reporter(out, c.clock, output::LiveStyle{false, true, 80}, &plan, 0ms);
    engine::run_sync(plan, c.client, c.clock, reporter, {});
  }
  const std::string text = out.text();
  CHECK(text.find("✓ PreSync wave 0  1 object  healthy  2.0s\n") != std::string::npos);
  CHECK(text.find("✓ Sync wave 1  1 object  healthy  5.0s\n") != std::string::npos);
  CHECK(text.find("sync succeeded in 7.0s (4 objects applied)\n") != std::string::npos);
  // Redrawn in place: cursor up and clear, never a colour code.
  CHECK(text.find("\x1b[1A\r\x1b[J") != std::string::npos);
  CHECK(text.find("\x1b[3") == std::string::npos);
}

TEST_CASE("under a waiting object the live view shows why it is blocked", "[output][policy]") {
  const engine::TimePoint t0{};
  output::Recorder recorder;
  const ObjectRef app{"apps/v1", "Deployment", "shop", "app"};
  recorder.emit(at(engine::EventType::step_started, t0));
  auto applied = at(engine::EventType::resource_applied, t0, app);
  applied.waited = true;
  recorder.emit(applied);
  auto blocked = at(engine::EventType::blocked, t0 + 1s, app);
  blocked.message = R"(pod app-6cb4-x2k: CreateContainerConfigError: secret "app-pg-credentials" not found)";
  blocked.block_reason = "CreateContainerConfigError";
  recorder.emit(blocked);
  const auto lines = output::render_active(recorder.record(), t0 + 2s, 0, output::LiveStyle{false, true, 100});
  REQUIRE(lines.size() == 3);
  CHECK(lines[1] == "    Deployment shop/app  applied, waiting for status");
  CHECK(lines[2] == R"(      pod app-6cb4-x2k: CreateContainerConfigError: secret "app-pg-credentials" not found)");
}

TEST_CASE("a retried sync shows the new attempt from the plan again and says why it retried", "[output][policy]") {
  Cluster c;
  fakes::Fault fault;
  fault.verb = "apply";
  fault.kind = "ConfigMap";
  fault.error = Error{"apply v1 ConfigMap shop/settings: 404 Not Found", 1, 404};
  c.client.inject_fault(fault);
  c.delays["web"] = 1s;
  Plan plan = small_plan(c);
  engine::RunOptions options;
  options.retry.limit = 1;
  output::StringTerminal out(100);
  {
    output::LogReporter reporter(out, output::LogStyle::plain, &plan);
    auto result = engine::run_sync(plan, c.client, c.clock, reporter, options);
    CHECK(result.exit_code == 0);
  }
  const std::string text = out.text();
  INFO(text);
  CHECK(text.find("attempt 1 failed after 2.0s; retrying in 5.0s (attempt 2)\n") != std::string::npos);
  CHECK(text.find("  v1 ConfigMap shop/settings: apply v1 ConfigMap shop/settings: 404 Not Found\n") != std::string::npos);
  CHECK(text.find("sync started: 4 steps (attempt 2)\n") != std::string::npos);
  CHECK(text.find("sync succeeded") != std::string::npos);
}
