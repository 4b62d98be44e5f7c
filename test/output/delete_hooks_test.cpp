// wavesync delete's PreDelete and PostDelete hooks (output/delete_hooks), as Argo CD runs them when
// an Application is deleted (controller/hook.go).
#include "output/output_fixture.hpp"
#include "wavesync/output/delete_hooks.hpp"
#include "wavesync/output/deletion.hpp"

#include <catch2/catch.hpp>

using namespace wavesync;
using namespace wavesync::test;
using namespace std::chrono_literals;

namespace {
Resource delete_hook(json o, const std::string& type, const std::string& policy = "", int line = 1) {
  o["metadata"]["annotations"]["argocd.argoproj.io/hook"] = type;
  if (!policy.empty()) o["metadata"]["annotations"]["argocd.argoproj.io/hook-delete-policy"] = policy;
  Resource r;
  r.object = std::move(o);
  r.source = SourceLocation{"manifests/hooks.yaml", line, 1};
  return r;
}

struct Run {
  std::vector<std::string> log;
  std::function<void(const std::string&)> sink() {
    return [this](const std::string& line) { log.push_back(line); };
  }
};

// The PreDelete hooks of `plan`, run with `seconds` to go.
output::DeleteHooksRun run_pre_delete(Cluster& c, const Plan& plan, Run& run, std::chrono::seconds seconds = 60s) {
  return output::run_delete_hooks(output::delete_hooks_of(plan, output::DeleteHookType::pre_delete),
                                  output::DeleteHookType::pre_delete, c.client, c.clock, c.clock.now() + seconds,
                                  run.sink());
}
}  // namespace

TEST_CASE("delete hooks are read from the plan by type, Helm's included, with their policies", "[output][delete-hooks]") {
  // A hook of sync phases and PreDelete sits in the plan once per sync phase; it runs once.
  json both = job("shop", "both");
  both["metadata"]["annotations"]["argocd.argoproj.io/hook"] = "PreSync,PreDelete,PostSync";
  Plan plan = plan_of({resource(config_map("shop", "a")), hook(both, Phase::pre_sync), hook(both, Phase::post_sync)});
  plan.unapplied.push_back(delete_hook(job("shop", "backup"), "PreDelete", "HookSucceeded", 1));
  plan.unapplied.push_back(delete_hook(job("shop", "notify"), "PostDelete", "", 5));
  Resource helm;
  helm.object = job("shop", "helm-pre");
  helm.object["metadata"]["annotations"]["helm.sh/hook"] = "pre-delete";
  helm.source = SourceLocation{"manifests/hooks.yaml", 9, 1};
  plan.unapplied.push_back(helm);
  const auto pre = output::delete_hooks_of(plan, output::DeleteHookType::pre_delete);
  REQUIRE(pre.size() == 3);
  CHECK(pre[0].resource.name() == "both");  // manifests/app.yaml sorts before manifests/hooks.yaml
  CHECK(pre[1].resource.name() == "backup");
  CHECK(pre[1].policies == std::vector<DeletePolicy>{DeletePolicy::hook_succeeded});
  CHECK(pre[2].resource.name() == "helm-pre");
  const auto post = output::delete_hooks_of(plan, output::DeleteHookType::post_delete);
  REQUIRE(post.size() == 1);
  CHECK(post[0].policies == std::vector<DeletePolicy>{DeletePolicy::before_hook_creation});
  CHECK(output::format_delete_hooks(pre, output::DeleteHookType::pre_delete) ==
        "PreDelete hooks\n"
        "  would create batch/v1 Job shop/both (manifests/app.yaml:1)\n"
        "  would create batch/v1 Job shop/backup (manifests/hooks.yaml:1)\n"
        "  would create batch/v1 Job shop/helm-pre (manifests/hooks.yaml:9)\n");
}

TEST_CASE("PreDelete hooks are created together and waited for until Healthy", "[output][delete-hooks]") {
  Cluster c;
  c.seed_namespace("shop");
  c.delays["backup"] = 3s;
  c.delays["export"] = 5s;
  Plan plan = plan_of({resource(config_map("shop", "a"))});
  plan.unapplied.push_back(delete_hook(job("shop", "backup"), "PreDelete", "", 1));
  plan.unapplied.push_back(delete_hook(job("shop", "export"), "PreDelete", "", 2));
  const auto hooks = output::delete_hooks_of(plan, output::DeleteHookType::pre_delete);
  Run run;
  const auto start = c.clock.now();
  auto ran = output::run_delete_hooks(hooks, output::DeleteHookType::pre_delete, c.client, c.clock, start + 60s,
                                      run.sink());
  CHECK(ran.exit_code == 0);
  CHECK(ran.all_healthy);
  CHECK(c.client.writes() == std::vector<std::string>{"create batch/v1 Job shop/backup", "create batch/v1 Job shop/export"});
  const double took = std::chrono::duration<double>(c.clock.now() - start).count();
  CHECK(took >= 5.0);
  CHECK(took < 7.0);
  // A hook that already exists is not created again, but is waited for.
  c.client.clear_calls();
  auto again = output::run_delete_hooks(hooks, output::DeleteHookType::pre_delete, c.client, c.clock, c.clock.now() + 60s,
                                        run.sink());
  CHECK(again.exit_code == 0);
  CHECK(again.hooks.size() == 2);
}

TEST_CASE("a Degraded PreDelete hook is deleted and fails the delete, naming it", "[output][delete-hooks]") {
  Cluster c;
  c.seed_namespace("shop");
  c.fail.push_back("backup");
  Plan plan = plan_of({resource(config_map("shop", "a"))});
  plan.unapplied.push_back(delete_hook(job("shop", "backup"), "PreDelete"));
  plan.unapplied.push_back(delete_hook(job("shop", "fine"), "PreDelete"));
  Run run;
  auto ran = run_pre_delete(c, plan, run);
  CHECK(ran.exit_code == 1);
  REQUIRE(ran.problems.size() == 1);
  CHECK(ran.problems[0] == "PreDelete hook(s) failed: shop/backup");
  CHECK(!c.client.object(fakes::ref("batch/v1", "Job", "shop", "backup")));
  CHECK(c.client.object(fakes::ref("batch/v1", "Job", "shop", "fine")));
}

TEST_CASE("a PreDelete hook still Progressing at the deadline is exit 3", "[output][delete-hooks]") {
  Cluster c;
  c.seed_namespace("shop");
  c.never.push_back("slow");
  Plan plan;
  plan.unapplied.push_back(delete_hook(job("shop", "slow"), "PreDelete"));
  Run run;
  auto ran = run_pre_delete(c, plan, run, 10s);
  CHECK(ran.exit_code == 3);
  REQUIRE(ran.problems.size() == 1);
  CHECK(ran.problems[0].find("PreDelete hook batch/v1 Job shop/slow is still Progressing (--timeout)") == 0);
}

TEST_CASE("PostDelete hooks are cleaned up by HookSucceeded; with no policy they stay", "[output][delete-hooks]") {
  Cluster c;
  c.seed_namespace("shop");
  Plan plan;
  plan.unapplied.push_back(delete_hook(job("shop", "notify"), "PostDelete", "HookSucceeded", 1));
  plan.unapplied.push_back(delete_hook(job("shop", "audit"), "PostDelete", "", 2));
  const auto hooks = output::delete_hooks_of(plan, output::DeleteHookType::post_delete);
  Run run;
  auto ran = output::run_delete_hooks(hooks, output::DeleteHookType::post_delete, c.client, c.clock,
                                      c.clock.now() + 60s, run.sink());
  REQUIRE(ran.exit_code == 0);
  c.client.clear_calls();
  auto cleaned = output::clean_up_delete_hooks(hooks, ran, c.client, c.clock, c.clock.now() + 60s, run.sink());
  CHECK(cleaned.exit_code == 0);
  CHECK(c.client.writes() == std::vector<std::string>{"delete batch/v1 Job shop/notify background"});
  CHECK(!c.client.object(fakes::ref("batch/v1", "Job", "shop", "notify")));
  CHECK(c.client.object(fakes::ref("batch/v1", "Job", "shop", "audit")));
}

TEST_CASE("a generateName delete hook is created under the name the server gives it", "[output][delete-hooks]") {
  Cluster c;
  c.seed_namespace("shop");
  json o = job("shop", "");
  o["metadata"].erase("name");
  o["metadata"]["generateName"] = "backup-";
  Plan plan;
  plan.unapplied.push_back(delete_hook(o, "PreDelete"));
  Run run;
  auto ran = run_pre_delete(c, plan, run);
  CHECK(ran.exit_code == 0);
  REQUIRE(ran.hooks.size() == 1);
  CHECK(ran.hooks[0].name.rfind("backup-", 0) == 0);
  CHECK(ran.hooks[0].name.size() > std::string("backup-").size());
}
