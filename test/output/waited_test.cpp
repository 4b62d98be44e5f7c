// Whether an object is waited on is the engine's decision, carried in its resource-applied
// event: the live view, the run record, JUnit and the timeline follow it, so a custom resource
// judged by its conditions is ready when it turns Ready, not when it is applied.
#include "output/output_fixture.hpp"
#include "wavesync/output/json_events.hpp"
#include "wavesync/output/live_frame.hpp"
#include "wavesync/output/run_record.hpp"
#include "wavesync/output/run_report.hpp"
#include "wavesync/output/timeline.hpp"

#include <catch2/catch.hpp>

using namespace wavesync;
using namespace wavesync::test;
using namespace std::chrono_literals;

namespace {

// Records the run and renders the live view after every event, as the terminal would show it.
class Frames final : public engine::EventSink {
 public:
  explicit Frames(const Plan& plan) : recorder_(plan) {}
  void emit(const engine::Event& event) override {
    recorder_.emit(event);
    events.push_back(event);
    frames.push_back(output::render_active(recorder_.record(), event.time, 0, output::LiveStyle{false, true, 100}));
  }
  [[nodiscard]] const output::RunRecord& record() const { return recorder_.record(); }
  std::vector<engine::Event> events;
  std::vector<std::vector<std::string>> frames;

 private:
  output::Recorder recorder_;
};

json widget(const json& annotations) {
  json w = object("test.dev/v1", "Widget", "shop", "w1", {{"spec", {{"size", 1}}}});
  if (!annotations.empty()) w["metadata"]["annotations"] = annotations;
  return w;
}

// Wave 0: the widget and a ConfigMap; wave 1: another ConfigMap. The widget's controller
// writes Ready=True 4 s after the sync starts; nothing else ever touches its status.
Plan widget_plan(Cluster& c, const json& annotations) {
  c.seed_namespace("shop");
  c.client.add_builtin_kind("test.dev/v1", "Widget", "widgets", true);
  c.never.push_back("w1");
  c.client.schedule(4s, [&c] {
    c.client.set_status(fakes::ref("test.dev/v1", "Widget", "shop", "w1"),
                        json{{"conditions", json::array({{{"type", "Ready"}, {"status", "True"},
                                                          {"reason", "Reconciled"}, {"message", "widget is up"}}})}});
  });
  return plan_of({resource(widget(annotations), 0), resource(config_map("shop", "settings"), 0),
                  resource(config_map("shop", "after"), 1)});
}

const engine::Event& applied_event(const std::vector<engine::Event>& events, const std::string& name) {
  auto it = std::find_if(events.begin(), events.end(), [&](const engine::Event& e) {
    return e.type == engine::EventType::resource_applied && e.resource && e.resource->name == name;
  });
  REQUIRE(it != events.end());
  return *it;
}

bool shows(const std::vector<std::string>& frame, const std::string& start) {
  return std::any_of(frame.begin(), frame.end(), [&](const std::string& l) { return l.rfind(start, 0) == 0; });
}

std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& l : lines) out += l + "\n";
  return out;
}

}  // namespace

TEST_CASE("a custom resource judged by its conditions is shown waiting until it turns Ready", "[output]") {
  Cluster c;
  engine::RunOptions options;
  json annotations = json::object();
  SECTION("by its wavesync.dev/health annotation") { annotations = {{"wavesync.dev/health", "conditions"}}; }
  SECTION("by --health-conditions") { options.conditions = health::ConditionsRule::all_custom_resources; }
  const Plan plan = widget_plan(c, annotations);
  Frames frames(plan);
  REQUIRE(engine::run_sync(plan, c.client, c.clock, frames, options).exit_code == 0);

  CHECK(applied_event(frames.events, "w1").waited);
  CHECK_FALSE(applied_event(frames.events, "settings").waited);
  CHECK(output::event_to_json(applied_event(frames.events, "w1"))["waited"] == true);
  CHECK(output::event_to_json(applied_event(frames.events, "settings"))["waited"] == false);

  // The live view: after the widget's apply it is listed as waiting and not counted healthy;
  // the ConfigMap beside it is.
  const auto progressing = std::find_if(frames.events.begin(), frames.events.end(), [](const engine::Event& e) {
    return e.type == engine::EventType::health_changed && e.resource && e.resource->name == "w1";
  });
  REQUIRE(progressing != frames.events.end());
  const auto& frame = frames.frames[static_cast<std::size_t>(progressing - frames.events.begin())];
  INFO(joined(frame));
  CHECK(shows(frame, "⠋ Sync wave 0  applied 2/2  healthy 1/2  "));
  CHECK(shows(frame, "    Widget shop/w1  Progressing: waiting for status conditions"));

  // The record, JUnit and the timeline: ready 4 s after its apply.
  const output::ResourceRecord* w1 = frames.record().find(ObjectRef{"test.dev/v1", "Widget", "shop", "w1"});
  REQUIRE(w1 != nullptr);
  CHECK(w1->outcome == output::Outcome::ready);
  REQUIRE((w1->applied && w1->ended));
  CHECK(*w1->ended - *w1->applied == 4s);
  const std::string xml = output::junit_xml(frames.record());
  CHECK(xml.find("<testcase name=\"test.dev/v1 Widget shop/w1\" classname=\"wavesync.Sync.wave0\" "
                 "file=\"manifests/app.yaml\" line=\"1\" time=\"4.000\">") != std::string::npos);
  CHECK(output::timeline_svg(frames.record()).find("<title>test.dev/v1 Widget shop/w1&#10;ready after 4.0s&#10;") !=
        std::string::npos);
}

TEST_CASE("a custom resource no health rule applies to is ready once applied", "[output]") {
  Cluster c;
  const Plan plan = widget_plan(c, json::object());
  Frames frames(plan);
  REQUIRE(engine::run_sync(plan, c.client, c.clock, frames, {}).exit_code == 0);
  CHECK_FALSE(applied_event(frames.events, "w1").waited);
  const output::ResourceRecord* w1 = frames.record().find(ObjectRef{"test.dev/v1", "Widget", "shop", "w1"});
  REQUIRE(w1 != nullptr);
  CHECK(w1->outcome == output::Outcome::ready);
  REQUIRE((w1->applied && w1->ended));
  CHECK(*w1->ended == *w1->applied);
  // Nothing held wave 0, so wave 1 ran long before the widget's controller wrote anything.
  const output::ResourceRecord* after = frames.record().find(ObjectRef{"v1", "ConfigMap", "shop", "after"});
  REQUIRE((after != nullptr && after->applied));
  CHECK(*after->applied - *w1->applied < 4s);
}

TEST_CASE("the recorder counts an object ready at its apply only when the event says it is not waited on",
          "[output]") {
  const engine::TimePoint t0{};
  output::Recorder recorder;
  engine::Event started;
  started.type = engine::EventType::step_started;
  started.time = t0;
  started.phase = Phase::sync;
  recorder.emit(started);
  // Same kind, same everything but the engine's decision.
  for (const auto& [name, waited] : {std::pair<std::string, bool>{"held", true}, {"free", false}}) {
    engine::Event e = started;
    e.type = engine::EventType::resource_applied;
    e.resource = ObjectRef{"test.dev/v1", "Widget", "shop", name};
    e.waited = waited;
    recorder.emit(e);
  }
  const auto* held = recorder.record().find(ObjectRef{"test.dev/v1", "Widget", "shop", "held"});
  const auto* free = recorder.record().find(ObjectRef{"test.dev/v1", "Widget", "shop", "free"});
  REQUIRE((held != nullptr && free != nullptr));
  CHECK(held->outcome == output::Outcome::running);
  CHECK_FALSE(held->ended);
  CHECK(free->outcome == output::Outcome::ready);
  const auto lines = output::render_active(recorder.record(), t0 + 1s, 0, output::LiveStyle{false, true, 100});
  CHECK(lines == std::vector<std::string>{"⠋ Sync wave 0  applied 2/2  healthy 1/2  1.0s",
                                          "    Widget shop/held  applied, waiting for status"});
}
