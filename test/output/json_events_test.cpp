// The NDJSON event stream of `apply --output json`.
#include "output/output_fixture.hpp"
#include "wavesync/output/json_events.hpp"

#include <catch2/catch.hpp>

using namespace wavesync;
using namespace wavesync::test;
using namespace std::chrono_literals;

TEST_CASE("the JSON event stream of a small sync is exactly the golden text", "[output]") {
  Cluster c;
  c.delays["web"] = 5s;
  c.delays["migrate"] = 2s;
  Plan plan = small_plan(c);
  output::StringTerminal out;
  output::JsonEventReporter reporter(out);
  engine::run_sync(plan, c.client, c.clock, reporter, {});
  check_golden("small-sync.ndjson", out.text());
}

TEST_CASE("every JSON event is one line with its name and an RFC 3339 UTC time", "[output]") {
  engine::Event e;
  e.type = engine::EventType::apply_failed;
  e.time = std::chrono::sys_days{std::chrono::year{2026} / 3 / 4} + 5h + 6min + 7s + 89ms;
  e.phase = Phase::pre_sync;
  e.wave = -2;
  e.resource = ObjectRef{"v1", "Namespace", "", "shop"};
  e.message = "line one\nline two";
  CHECK(output::event_to_json(e).dump() ==
        R"({"event":"apply-failed","hook":false,"message":"line one\nline two","phase":"PreSync",)"
        R"("resource":{"apiVersion":"v1","kind":"Namespace","name":"shop"},"time":"2026-03-04T05:06:07.089Z","wave":-2})");
}

TEST_CASE("a warning is an event with its message and no step", "[output]") {
  engine::Event e;
  e.type = engine::EventType::warning;
  e.time = std::chrono::sys_days{std::chrono::year{2026} / 3 / 4};
  e.message = "these objects are no longer in the manifests; --prune would delete them:\n  v1 ConfigMap shop/b (wave 2)";
  CHECK(output::event_to_json(e).dump() ==
        R"x({"event":"warning","message":"these objects are no longer in the manifests; --prune would delete them:\n)x"
        R"x(  v1 ConfigMap shop/b (wave 2)","time":"2026-03-04T00:00:00.000Z"})x");
}
