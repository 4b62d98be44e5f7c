// The live terminal view: frames rendered from a run record, and redraws in place.
#include "output/output_fixture.hpp"
#include "wavesync/output/format.hpp"
#include "wavesync/output/live_frame.hpp"
#include "wavesync/output/live_reporter.hpp"

#include <catch2/catch.hpp>

using namespace wavesync;
using namespace wavesync::test;
using namespace std::chrono_literals;

namespace {

engine::Event at(engine::EventType type, engine::TimePoint t, std::optional<engine::ObjectId> id = std::nullopt) {
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
  const engine::ObjectId web{"apps/v1", "Deployment", "shop", "web"};
  const engine::ObjectId cm{"v1", "ConfigMap", "shop", "settings"};
  auto started = at(engine::EventType::step_started, t0);
  started.count = 2;
  recorder.emit(started);
  recorder.emit(at(engine::EventType::resource_applied, t0, cm));
  recorder.emit(at(engine::EventType::resource_applied, t0, web));
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
