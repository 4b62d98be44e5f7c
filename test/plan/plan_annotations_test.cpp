// Waves and sync options read from annotations (gitops-engine pkg/sync/syncwaves/waves.go Wave,
// pkg/sync/hook/helm/weight.go, pkg/sync/common/types.go sync options; the cases of
// syncwaves/waves_test.go).
#include "plan/plan_test_util.hpp"

using namespace wavesync;
using namespace wavesync::testing;

namespace {

Resource annotated(nlohmann::json annotations) {
  Resource r = bare({{"apiVersion", "v1"}, {"kind", "ConfigMap"}, {"metadata", {{"name", "c"}, {"annotations", annotations}}}});
  r.source = SourceLocation{"app.yaml", 4, 1};
  r.set_annotation_position("argocd.argoproj.io/sync-wave", 9, 5);
  return r;
}

Wave wave_of(nlohmann::json annotations, std::vector<std::string>* warnings = nullptr) {
  std::vector<std::string> w;
  Wave wave = read_wave(annotated(std::move(annotations)), w);
  if (warnings != nullptr) *warnings = w;
  return wave;
}

}  // namespace

TEST_CASE("waves_test: no annotation is wave 0, sync-wave 1 is 1, helm hook-weight 1 is 1", "[plan][scenario]") {
  CHECK(wave_of(nlohmann::json::object()) == 0);
  CHECK(wave_of({{"argocd.argoproj.io/sync-wave", "1"}}) == 1);
  CHECK(wave_of({{"helm.sh/hook-weight", "1"}}) == 1);
}

TEST_CASE("the sync-wave annotation wins over the Helm hook weight", "[plan]") {
  CHECK(wave_of({{"argocd.argoproj.io/sync-wave", "-2"}, {"helm.sh/hook-weight", "7"}}) == -2);
}

TEST_CASE("a wave is parsed like Go Atoi: sign allowed, no blanks or decimals", "[plan]") {
  CHECK(wave_of({{"argocd.argoproj.io/sync-wave", "+3"}}) == 3);
  CHECK(wave_of({{"argocd.argoproj.io/sync-wave", "-10"}}) == -10);
  CHECK(wave_of({{"argocd.argoproj.io/sync-wave", "007"}}) == 7);
  for (const char* bad : {" 1", "1 ", "1.0", "", "-", "0x1", "1e3", "1_000", "9223372036854775808",
                          "-9223372036854775809", "99999999999999999999"}) {
    INFO(bad);
    CHECK(wave_of({{"argocd.argoproj.io/sync-wave", bad}}) == 0);
  }
}

TEST_CASE("waves are 64-bit as Go's int: 3000000000 is wave 3000000000, the int64 limits parse", "[plan]") {
  std::vector<std::string> warnings;
  CHECK(wave_of({{"argocd.argoproj.io/sync-wave", "3000000000"}}, &warnings) == 3000000000LL);
  CHECK(warnings.empty());
  CHECK(wave_of({{"argocd.argoproj.io/sync-wave", "9223372036854775807"}}) == INT64_MAX);
  CHECK(wave_of({{"argocd.argoproj.io/sync-wave", "-9223372036854775808"}}) == INT64_MIN);
  CHECK(wave_of({{"helm.sh/hook-weight", "-4000000000"}}) == -4000000000LL);
}

TEST_CASE("a wave beyond 32 bits orders after wave 2147483647 in the plan", "[plan]") {
  Plan plan = plan_of(resources_from(R"(apiVersion: v1
kind: ConfigMap
metadata:
  name: late
  annotations:
    argocd.argoproj.io/sync-wave: "3000000000"
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: early
  annotations:
    argocd.argoproj.io/sync-wave: "2147483647"
)"));
  REQUIRE(plan.steps.size() == 2);
  CHECK(plan.steps[0].wave == 2147483647);
  CHECK(plan.steps[1].wave == 3000000000LL);
  CHECK(plan.steps[1].resources.at(0).resource.name() == "late");
  CHECK(plan.warnings.empty());
}

TEST_CASE("an unparsable sync-wave is treated as missing with a warning naming its line", "[plan]") {
  std::vector<std::string> warnings;
  CHECK(wave_of({{"argocd.argoproj.io/sync-wave", "abc"}}, &warnings) == 0);
  CHECK(warnings == std::vector<std::string>{"app.yaml:9: invalid argocd.argoproj.io/sync-wave \"abc\": expected an "
                                             "integer such as \"-1\" or \"5\"; treated as missing (wave 0)"});
}

TEST_CASE("an unparsable sync-wave falls back to the Helm hook weight as in Argo CD", "[plan]") {
  std::vector<std::string> warnings;
  CHECK(wave_of({{"argocd.argoproj.io/sync-wave", "one"}, {"helm.sh/hook-weight", "4"}}, &warnings) == 4);
  CHECK(warnings.size() == 1);
  CHECK(warnings[0].find("treated as missing (wave 4)") != std::string::npos);
}

TEST_CASE("plan warnings carry the bad wave and strict mode turns them into an error", "[plan]") {
  auto input = resources_from(R"(apiVersion: v1
kind: ConfigMap
metadata:
  name: web
  annotations:
    argocd.argoproj.io/sync-wave: "abc"
)");
  Plan plan = plan_of(input);
  CHECK(plan.warnings == std::vector<std::string>{"app.yaml:6: invalid argocd.argoproj.io/sync-wave \"abc\": expected an "
                                                  "integer such as \"-1\" or \"5\"; treated as missing (wave 0)"});
  CHECK(plan.steps.at(0).wave == 0);
  PlanOptions strict;
  strict.strictness = Strictness::strict;
  auto failed = make_plan(input, strict);
  REQUIRE_FALSE(failed.ok());
  CHECK(failed.error().message == "app.yaml:6: invalid argocd.argoproj.io/sync-wave \"abc\": expected an integer such as "
                                  "\"-1\" or \"5\"; treated as missing (wave 0) (--strict)");
  CHECK(failed.error().exit_code == 2);
}

TEST_CASE("hook warnings reach the plan too", "[plan]") {
  auto input = resources_from(R"(apiVersion: batch/v1
kind: Job
metadata:
  name: j
  annotations:
    argocd.argoproj.io/hook: PreSnyc
)");
  Plan plan = plan_of(input);
  CHECK(plan.steps.empty());
  CHECK(plan.warnings.size() == 2);
  CHECK(plan.warnings[0] == "app.yaml:6: unknown hook type \"PreSnyc\" ignored: expected PreSync, Sync, PostSync, SyncFail or Skip");
}

TEST_CASE("sync options are parsed into name and value and kept on the planned resource", "[plan]") {
  auto input = resources_from(R"(apiVersion: v1
kind: ConfigMap
metadata:
  name: c
  annotations:
    argocd.argoproj.io/sync-options: "Prune=false, ServerSideApply=true,Replace=true"
)");
  Plan plan = plan_of(input);
  const SyncOptions& options = plan.steps.at(0).resources.at(0).sync_options;
  CHECK(options.has("Prune", "false"));
  CHECK(options.has("ServerSideApply", "true"));
  CHECK(options.has("Replace", "true"));
  CHECK_FALSE(options.has("Prune", "true"));
  CHECK_FALSE(options.has("Validate", "false"));
  CHECK(plan.warnings.empty());
}

TEST_CASE("a sync option without a value is kept and warned about", "[plan]") {
  std::vector<std::string> warnings;
  Resource r = annotated({{"argocd.argoproj.io/sync-options", "PruneLast"}});
  SyncOptions options = parse_sync_options(r, warnings);
  CHECK(options.values.count("PruneLast") == 1);
  CHECK(warnings == std::vector<std::string>{
                        "app.yaml:4: invalid sync option \"PruneLast\": expected Name=value, such as Prune=false"});
}

TEST_CASE("Skip objects, delete hooks and hooks without a usable type are set aside as never applied", "[plan]") {
  Plan plan = plan_of(resources_from(R"(apiVersion: v1
kind: ConfigMap
metadata:
  name: skipped
  annotations: {argocd.argoproj.io/hook: Skip}
---
apiVersion: batch/v1
kind: Job
metadata:
  name: cleanup
  annotations: {argocd.argoproj.io/hook: PreDelete}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: applied
  annotations: {argocd.argoproj.io/hook: "Skip,PostSync"}
)"));
  REQUIRE(plan.steps.size() == 1);
  CHECK(plan.steps[0].phase == Phase::post_sync);
  CHECK(plan.steps[0].resources.at(0).resource.name() == "applied");
  REQUIRE(plan.unapplied.size() == 2);
  CHECK(plan.unapplied[0].name() == "skipped");
  CHECK(plan.unapplied[1].name() == "cleanup");
  CHECK(plan.warnings.empty());
}

TEST_CASE("an Application's sync options are read from --sync-option items", "[plan]") {
  auto parsed = parse_app_sync_options({"CreateNamespace=true", "ApplyOutOfSyncOnly=true",
                                        "PrunePropagationPolicy=background", "PruneLast=false", "ServerSideApply=true"});
  REQUIRE(parsed.ok());
  CHECK(parsed->create_namespace == true);
  CHECK(parsed->apply_out_of_sync_only == true);
  CHECK(parsed->prune_propagation == std::string("background"));
  CHECK(parsed->prune_last == false);
  auto empty = parse_app_sync_options({});
  REQUIRE(empty.ok());
  CHECK_FALSE(empty->create_namespace.has_value());
  CHECK_FALSE(empty->prune_propagation.has_value());
}

TEST_CASE("an unknown or malformed --sync-option is one clear usage error", "[plan]") {
  auto bad = parse_app_sync_options({"CreateNamespace=yes"});
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message == "--sync-option CreateNamespace=yes: expected CreateNamespace=true or CreateNamespace=false");
  CHECK(bad.error().exit_code == 2);
  auto policy = parse_app_sync_options({"PrunePropagationPolicy=later"});
  REQUIRE_FALSE(policy.ok());
  CHECK(policy.error().message ==
        "--sync-option PrunePropagationPolicy=later: expected PrunePropagationPolicy=foreground, background or orphan");
  auto unknown = parse_app_sync_options({"Replace=true"});
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().message == "--sync-option Replace=true: not supported; supported: CreateNamespace, "
                                   "ApplyOutOfSyncOnly, PrunePropagationPolicy, PruneLast (=true|false) and "
                                   "ServerSideApply=true");
}
