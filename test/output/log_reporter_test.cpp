// The plain CI log and GitHub Actions output of `wavesync apply`, against golden files.
#include "output/output_fixture.hpp"
#include "wavesync/output/log_reporter.hpp"

#include <catch2/catch.hpp>

using namespace wavesync;
using namespace wavesync::test;
using namespace std::chrono_literals;

TEST_CASE("the plain log of a small sync is exactly the golden text", "[output]") {
  Cluster c;
  c.delays["web"] = 5s;
  c.delays["migrate"] = 2s;
  Plan plan = small_plan(c);
  output::StringTerminal out;
  output::LogReporter reporter(out, output::LogStyle::plain, &plan);
  engine::run_sync(plan, c.client, c.clock, reporter, {});
  check_golden("small-sync.txt", out.text());
  CHECK(out.text().find('\x1b') == std::string::npos);
}

TEST_CASE("a health status is printed once however often the engine reports it", "[output]") {
  output::StringTerminal out;
  output::LogReporter reporter(out, output::LogStyle::plain);
  engine::Event e;
  e.type = engine::EventType::health_changed;
  e.phase = Phase::sync;
  e.resource = ObjectRef{"apps/v1", "Deployment", "shop", "web"};
  e.health = health::Health{health::Status::progressing, "Waiting for rollout"};
  reporter.emit(e);
  reporter.emit(e);
  CHECK(out.text() == "00:00:00   apps/v1 Deployment shop/web: Progressing: Waiting for rollout\n");
}

TEST_CASE("under GitHub Actions each step is a group and each failed resource an annotation", "[output]") {
  Cluster c;
  c.fail.push_back("web");
  Plan plan = small_plan(c);
  output::StringTerminal out;
  output::LogReporter reporter(out, output::LogStyle::github, &plan);
  auto result = engine::run_sync(plan, c.client, c.clock, reporter, {});
  REQUIRE(result.exit_code == 1);
  check_golden("small-sync-github.txt", out.text());
  const std::string text = out.text();
  CHECK(text.find("::group::PreSync wave 0 (1 object)\n") != std::string::npos);
  CHECK(text.find("::error file=manifests/web.yaml,line=3,col=1,title=apps/v1 Deployment shop/web failed::")
        != std::string::npos);
}

TEST_CASE("annotation properties escape colons and commas, messages escape newlines and percent", "[output]") {
  output::RunRecord record;
  output::StepRecord step;
  output::ResourceRecord r;
  r.id = ObjectRef{"v1", "ConfigMap", "a", "b"};
  r.source = SourceLocation{"dir,x/c:d.yaml", 7, 0};
  r.outcome = output::Outcome::failed;
  r.edit_details().message = "100% broken\nsecond line\r";
  step.resources.push_back(r);
  record.steps.push_back(step);
  CHECK(output::github_annotations(record) ==
        "::error file=dir%2Cx/c%3Ad.yaml,line=7,title=v1 ConfigMap a/b failed::100%25 broken%0Asecond line%0D\n");
}

TEST_CASE("a warning event is printed as the CLI prints warnings, a prefix on every line", "[output]") {
  output::StringTerminal out;
  output::LogReporter reporter(out, output::LogStyle::plain);
  engine::Event e;
  e.type = engine::EventType::warning;
  e.message = "these objects are no longer in the manifests; --prune would delete them:\n  v1 ConfigMap shop/b (wave 2)";
  reporter.emit(e);
  CHECK(out.text() ==
        "wavesync: warning: these objects are no longer in the manifests; --prune would delete them:\n"
        "wavesync: warning:   v1 ConfigMap shop/b (wave 2)\n");
}
