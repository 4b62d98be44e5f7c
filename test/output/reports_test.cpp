// --report, --junit and --timeline files of a run.
#include "output/output_fixture.hpp"
#include "wavesync/output/run_report.hpp"
#include "wavesync/output/timeline.hpp"

#include <catch2/catch.hpp>

using namespace wavesync;
using namespace wavesync::test;
using namespace std::chrono_literals;

namespace {
output::RunRecord failed_run(Cluster& c, Plan& plan) {
  c.fail.push_back("web");
  plan = small_plan(c);
  output::Recorder recorder(plan);
  engine::run_sync(plan, c.client, c.clock, recorder, {});
  return recorder.record();
}
}  // namespace

TEST_CASE("the JUnit file has one suite per step and one case per resource and hook", "[output]") {
  Cluster c;
  Plan plan;
  const output::RunRecord record = failed_run(c, plan);
  const std::string xml = output::junit_xml(record);
  check_golden("small-sync-failed.junit.xml", xml);
  CHECK(xml.find("<testsuites name=\"wavesync\" tests=\"4\" failures=\"1\" errors=\"0\" skipped=\"1\"") !=
        std::string::npos);
  CHECK(xml.find("<failure message=\"Degraded: Deployment &quot;web&quot; exceeded its progress deadline\"") !=
        std::string::npos);
}

TEST_CASE("the JSON report carries the plan without object bodies, timings and the verdict", "[output]") {
  Cluster c;
  Plan plan;
  const output::RunRecord record = failed_run(c, plan);
  const nlohmann::json report = output::run_report_json(record, &plan);
  CHECK(report["result"] == "failed");
  CHECK(report["exitCode"] == 1);
  CHECK(report["plan"]["steps"][2]["resources"][0]["name"] == "web");
  CHECK_FALSE(report["plan"]["steps"][2]["resources"][0].contains("object"));
  CHECK(report["steps"][2]["resources"][0]["outcome"] == "failed");
  CHECK(report["steps"][0]["resources"][0]["durationMs"] == 1000);
  CHECK(report["steps"][3]["result"] == "not run");
  CHECK(report["events"].size() == record.events.size());
}

TEST_CASE("the timeline draws a bar per applied object coloured by outcome and marks hooks", "[output]") {
  Cluster c;
  Plan plan;
  const output::RunRecord record = failed_run(c, plan);
  const std::string svg = output::timeline_svg(record);
  CHECK(svg.rfind("<?xml", 0) == 0);
  CHECK(svg.find("fill=\"#cf222e\"><title>apps/v1 Deployment shop/web") != std::string::npos);  // failed: red
  CHECK(svg.find("fill=\"#2da44e\"><title>hook batch/v1 Job shop/migrate") != std::string::npos);
  CHECK(svg.find("class=\"hookmark\"") != std::string::npos);
  CHECK(svg.find("Sync wave 2 — not run") != std::string::npos);
  CHECK(output::timeline_html(record).find("<!DOCTYPE html>") == 0);
}

TEST_CASE("timeline ticks are 1, 2 or 5 times a power of ten, at most twelve", "[output]") {
  CHECK(output::timeline_tick_seconds(7) == 1);
  CHECK(output::timeline_tick_seconds(20) == 2);
  CHECK(output::timeline_tick_seconds(360) == 30);
}
