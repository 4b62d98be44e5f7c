// `wavesync delete` as an engine run (engine/delete_run.hpp) on the fake cluster and clock:
// reverse plan order with each step gone before the next, kept objects, stuck objects, and the
// PreDelete / PostDelete hooks as Argo CD runs them (controller/hook.go).
#include "engine/engine_fixture.hpp"
#include "wavesync/engine/delete_run.hpp"

#include <catch2/catch.hpp>

using namespace wavesync;
using namespace wavesync::test;
using namespace std::chrono_literals;

namespace {

Resource delete_hook(json o, const std::string& type, const std::string& policy = "", int line = 1) {
  o["metadata"]["annotations"]["argocd.argoproj.io/hook"] = type;
  if (!policy.empty()) o["metadata"]["annotations"]["argocd.argoproj.io/hook-delete-policy"] = policy;
  Resource r;
  r.set_object(o);
  r.source = SourceLocation{"manifests/hooks.yaml", line, 1};
  return r;
}

engine::DeleteRunResult run(Cluster& c, const Plan& plan, std::chrono::milliseconds timeout = 60s,
                            bool dry_run = false) {
  engine::DeleteRunOptions options;
  options.timeout = timeout;
  options.dry_run = dry_run;
  return engine::run_delete(engine::plan_delete(plan, CrdDeletion::keep), c.client, c.clock, c.sink, options);
}

// `deleting v1 ConfigMap shop/a: gone`, `step-started Sync 1`, ... in order.
std::vector<std::string> lines(const RecordingSink& sink) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < sink.events.size(); ++i) {
    const engine::Event& e = sink.events[i];
    out.push_back(sink.lines[i] + (e.message.empty() || e.type == engine::EventType::sync_started ? "" : ": " + e.message));
  }
  return out;
}

// Fake-clock seconds since the sink was made of the first event `line` (as lines() spells it).
double at(Cluster& c, const std::string& line, engine::TimePoint start) {
  const auto all = lines(c.sink);
  for (std::size_t i = 0; i < all.size(); ++i)
    if (all[i] == line) return std::chrono::duration<double>(c.sink.events[i].time - start).count();
  FAIL("no event " << line);
  return -1;
}

}  // namespace

TEST_CASE("delete runs the steps in reverse plan order, reporting each object as events", "[engine][delete-run]") {
  Cluster c;
  Plan plan = plan_of({resource(c.ns("shop"), -1), resource(deployment("shop", "web"), 1),
                       resource(config_map("shop", "a"), 2)});
  REQUIRE(c.sync(plan).exit_code == 0);
  c.client.clear_calls();
  c.sink.events.clear();
  c.sink.lines.clear();
  auto result = run(c, plan);
  CHECK(result.exit_code == 0);
  CHECK(result.outcome == engine::SyncOutcome::succeeded);
  CHECK(result.deleted == 3);
  CHECK(c.client.writes() == std::vector<std::string>{"delete v1 ConfigMap shop/a foreground",
                                                       "delete apps/v1 Deployment shop/web foreground",
                                                       "delete v1 Namespace shop foreground"});
  CHECK(lines(c.sink) == std::vector<std::string>{
                             "sync-started",
                             "step-started Sync 2",
                             "deleting v1 ConfigMap shop/a: deleting (foreground)",
                             "deleting v1 ConfigMap shop/a: gone",
                             "step-done Sync 2",
                             "step-started Sync 1",
                             "deleting apps/v1 Deployment shop/web: deleting (foreground)",
                             "deleting apps/v1 Deployment shop/web: gone",
                             "step-done Sync 1",
                             "step-started Sync -1",
                             "deleting v1 Namespace shop: deleting (foreground)",
                             "deleting v1 Namespace shop: gone",
                             "step-done Sync -1",
                             "sync-done",
                         });
  const engine::Event& done = c.sink.events.back();
  CHECK(done.deletion);
  CHECK(done.count == 3);
  CHECK(done.exit_code == 0);
  CHECK(*c.sink.events[4].step_result == engine::StepResult::healthy);
}

TEST_CASE("each step is deleted and gone before the next one starts", "[engine][delete-run]") {
  Cluster c;
  c.seed_namespace("shop");
  Plan plan = plan_of({resource(deployment("shop", "web"), 1), resource(config_map("shop", "a"), 2)});
  REQUIRE(c.sync(plan).exit_code == 0);
  // Every deleted object lingers (with a deletionTimestamp) for 5 s, as behind a finalizer.
  c.client.set_deletion_delay(5s);
  const auto start = c.clock.now();
  c.sink.events.clear();
  c.sink.lines.clear();
  auto result = run(c, plan);
  REQUIRE(result.exit_code == 0);
  const double a_gone = at(c, "deleting v1 ConfigMap shop/a: gone", start);
  const double web_deleted = at(c, "deleting apps/v1 Deployment shop/web: deleting (foreground)", start);
  CHECK(a_gone >= 5.0);
  CHECK(web_deleted >= a_gone);
  CHECK(at(c, "step-started Sync 1", start) >= a_gone);
  CHECK(at(c, "deleting apps/v1 Deployment shop/web: gone", start) >= web_deleted + 5.0);
}

TEST_CASE("an object held by a finalizer ends the run at the deadline, naming the finalizer", "[engine][delete-run]") {
  Cluster c;
  c.seed_namespace("shop");
  json cm = config_map("shop", "held");
  cm["metadata"]["finalizers"] = json::array({"example.com/cleanup"});
  Plan plan = plan_of({resource(config_map("shop", "early"), -1), resource(cm, 0)});
  REQUIRE(c.sync(plan).exit_code == 0);
  c.client.clear_calls();
  auto result = run(c, plan, 30s);
  CHECK(result.exit_code == 3);
  CHECK(result.outcome == engine::SyncOutcome::timed_out);
  REQUIRE(result.reasons.size() == 1);
  CHECK(result.reasons[0].rfind("v1 ConfigMap shop/held is still present after 30.0s (--timeout): being deleted since ", 0) == 0);
  CHECK(result.reasons[0].find(", waiting on finalizers: example.com/cleanup") != std::string::npos);
  // The next step was not started.
  CHECK(c.client.writes() == std::vector<std::string>{"delete v1 ConfigMap shop/held foreground"});
  CHECK(c.sink.lines.back() == "sync-done");
  CHECK(c.sink.events.back().reasons == result.reasons);
}

TEST_CASE("objects the manifest or the live object marks as kept are reported and not deleted", "[engine][delete-run]") {
  Cluster c;
  c.seed_namespace("shop");
  PlannedResource manifest_kept = resource(config_map("shop", "manifest"), 0, {{"Delete", "false"}});
  Plan plan = plan_of({resource(config_map("shop", "stays")), resource(config_map("shop", "kept")),
                       resource(config_map("shop", "goes")), manifest_kept});
  REQUIRE(c.sync(plan).exit_code == 0);
  auto annotate = [&](const std::string& name, const std::string& key, const std::string& value) {
    json live = *c.client.object(fakes::ref("v1", "ConfigMap", "shop", name));
    live["metadata"]["annotations"][key] = value;
    c.client.seed(live);
  };
  annotate("stays", "argocd.argoproj.io/sync-options", "Delete=false");
  annotate("kept", "helm.sh/resource-policy", "keep");
  c.client.clear_calls();
  c.sink.lines.clear();
  c.sink.events.clear();
  auto result = run(c, plan);
  CHECK(result.exit_code == 0);
  CHECK(result.deleted == 1);
  CHECK(c.client.writes() == std::vector<std::string>{"delete v1 ConfigMap shop/goes foreground"});
  const auto all = lines(c.sink);
  for (const char* line : {"deleting v1 ConfigMap shop/manifest: kept: Delete=false",
                           "deleting v1 ConfigMap shop/stays: kept: Delete=false on the live object",
                           "deleting v1 ConfigMap shop/kept: kept: helm.sh/resource-policy: keep on the live object"}) {
    CHECK(std::find(all.begin(), all.end(), line) != all.end());
  }
}

TEST_CASE("an object already gone is reported as not found; a second delete finds everything gone",
          "[engine][delete-run]") {
  Cluster c;
  c.seed_namespace("shop");
  Plan plan = plan_of({resource(config_map("shop", "a"))});
  auto result = run(c, plan);
  CHECK(result.exit_code == 0);
  CHECK(result.absent == 1);
  CHECK(result.deleted == 0);
  CHECK(c.client.writes().empty());
  const auto all = lines(c.sink);
  CHECK(std::find(all.begin(), all.end(), "deleting v1 ConfigMap shop/a: not found") != all.end());
}

TEST_CASE("a refused delete fails the run with exit 1 and later steps still go", "[engine][delete-run]") {
  Cluster c;
  c.seed_namespace("shop");
  Plan plan = plan_of({resource(config_map("shop", "first"), 0), resource(config_map("shop", "locked"), 1)});
  REQUIRE(c.sync(plan).exit_code == 0);
  c.client.inject_fault({"delete", "ConfigMap", "locked", 1, Error{"delete v1 ConfigMap shop/locked: 403 Forbidden", 1, 403}});
  auto result = run(c, plan);
  CHECK(result.exit_code == 1);
  CHECK(result.reasons == std::vector<std::string>{"delete v1 ConfigMap shop/locked: 403 Forbidden"});
  CHECK(!c.client.object(fakes::ref("v1", "ConfigMap", "shop", "first")));
}

TEST_CASE("a hook Argo CD left with its hook finalizer is released, then deleted", "[engine][delete-run]") {
  Cluster c;
  c.seed_namespace("shop");
  c.client.seed(job_with_hook_finalizer("shop", "migrate"));
  Plan plan = plan_of({hook(job("shop", "migrate"), Phase::pre_sync)});
  auto result = run(c, plan, 30s);
  CHECK(result.exit_code == 0);
  CHECK(result.deleted == 1);
  CHECK(c.client.writes() == std::vector<std::string>{"patch batch/v1 Job shop/migrate",
                                                       "delete batch/v1 Job shop/migrate foreground"});
}

TEST_CASE("Delete=confirm on the live object asks for confirmation too", "[engine][delete-run]") {
  Cluster c;
  c.seed_namespace("shop");
  Plan plan = plan_of({resource(config_map("shop", "asks")), resource(config_map("shop", "plain")),
                       resource(config_map("shop", "manifest"), 0, {{"Delete", "confirm"}})});
  REQUIRE(c.sync(plan).exit_code == 0);
  for (const char* name : {"asks", "manifest"}) {
    json live = *c.client.object(fakes::ref("v1", "ConfigMap", "shop", name));
    live["metadata"]["annotations"]["argocd.argoproj.io/sync-options"] = "Delete=confirm";
    c.client.seed(live);
  }
  auto asking = engine::live_confirmations(engine::plan_deletion(plan), c.client);
  REQUIRE(asking);
  // `manifest` already asks through its manifest: listed once, by the caller.
  REQUIRE(asking->size() == 1);
  CHECK((*asking)[0].str() == "v1 ConfigMap shop/asks");
}

TEST_CASE("a dry run reports what would go and sends nothing", "[engine][delete-run]") {
  Cluster c;
  c.seed_namespace("shop");
  Plan plan = plan_of({resource(config_map("shop", "a"), 1), resource(config_map("shop", "b"), 2, {{"Delete", "false"}})});
  plan.unapplied.push_back(delete_hook(job("shop", "backup"), "PreDelete"));
  c.client.clear_calls();
  auto result = run(c, plan, 60s, true);
  CHECK(result.exit_code == 0);
  CHECK(c.client.calls().empty());
  CHECK(lines(c.sink) == std::vector<std::string>{
                             "sync-started",
                             "step-started PreDelete 0",
                             "hook-started batch/v1 Job shop/backup: would be created",
                             "step-done PreDelete 0",
                             "step-started Sync 2",
                             "deleting v1 ConfigMap shop/b: kept: Delete=false",
                             "step-done Sync 2",
                             "step-started Sync 1",
                             "deleting v1 ConfigMap shop/a: would be deleted",
                             "step-done Sync 1",
                             "sync-done",
                         });
  CHECK(c.sink.events.back().dry_run);
}

TEST_CASE("delete hooks are read from the plan by type, Helm's included, with their policies", "[engine][delete-run]") {
  // A hook of sync phases and PreDelete sits in the plan once per sync phase; it runs once.
  json both = job("shop", "both");
  both["metadata"]["annotations"]["argocd.argoproj.io/hook"] = "PreSync,PreDelete,PostSync";
  Plan plan = plan_of({resource(config_map("shop", "a")), hook(both, Phase::pre_sync), hook(both, Phase::post_sync)});
  plan.unapplied.push_back(delete_hook(job("shop", "backup"), "PreDelete", "HookSucceeded", 1));
  plan.unapplied.push_back(delete_hook(job("shop", "notify"), "PostDelete", "", 5));
  plan.unapplied.push_back(annotated_manifest(job("shop", "helm-pre"), "helm.sh/hook", "pre-delete", 9));
  const auto pre = engine::delete_hooks_of(plan, Phase::pre_delete);
  REQUIRE(pre.size() == 3);
  CHECK(pre[0].resource.name() == "both");  // manifests/app.yaml sorts before manifests/hooks.yaml
  CHECK(pre[1].resource.name() == "backup");
  CHECK(pre[1].policies == std::vector<DeletePolicy>{DeletePolicy::hook_succeeded});
  CHECK(pre[2].resource.name() == "helm-pre");
  const auto post = engine::delete_hooks_of(plan, Phase::post_delete);
  REQUIRE(post.size() == 1);
  CHECK(post[0].policies == std::vector<DeletePolicy>{DeletePolicy::before_hook_creation});
}

TEST_CASE("PreDelete hooks are created together and waited for until Healthy before anything is deleted",
          "[engine][delete-run]") {
  Cluster c;
  c.seed_namespace("shop");
  c.delays["backup"] = 3s;
  c.delays["export"] = 5s;
  Plan plan = plan_of({resource(config_map("shop", "a"))});
  REQUIRE(c.sync(plan).exit_code == 0);
  plan.unapplied.push_back(delete_hook(job("shop", "backup"), "PreDelete", "", 1));
  plan.unapplied.push_back(delete_hook(job("shop", "export"), "PreDelete", "", 2));
  c.client.clear_calls();
  const auto start = c.clock.now();
  c.sink.events.clear();
  c.sink.lines.clear();
  auto result = run(c, plan);
  CHECK(result.exit_code == 0);
  CHECK(c.client.writes() == std::vector<std::string>{"create batch/v1 Job shop/backup", "create batch/v1 Job shop/export",
                                                       "delete v1 ConfigMap shop/a foreground",
                                                       "delete batch/v1 Job shop/backup foreground",
                                                       "delete batch/v1 Job shop/export foreground"});
  CHECK(at(c, "hook-completed batch/v1 Job shop/backup", start) >= 3.0);
  const double export_done = at(c, "hook-completed batch/v1 Job shop/export", start);
  CHECK(export_done >= 5.0);
  CHECK(export_done < 6.0);
  CHECK(at(c, "step-started Sync 0", start) >= export_done);
  CHECK(at(c, "hook-deleted batch/v1 Job shop/backup: deleting with the application (foreground)", start) >= 5.0);
}

TEST_CASE("a Degraded PreDelete hook is deleted and fails the delete, naming it, and nothing else goes",
          "[engine][delete-run]") {
  Cluster c;
  c.seed_namespace("shop");
  c.fail.push_back("backup");
  Plan plan = plan_of({resource(config_map("shop", "a"))});
  REQUIRE(c.sync(plan).exit_code == 0);
  plan.unapplied.push_back(delete_hook(job("shop", "backup"), "PreDelete"));
  plan.unapplied.push_back(delete_hook(job("shop", "fine"), "PreDelete"));
  auto result = run(c, plan);
  CHECK(result.exit_code == 1);
  CHECK(result.reasons == std::vector<std::string>{"PreDelete hook(s) failed: shop/backup"});
  CHECK(!c.client.object(fakes::ref("batch/v1", "Job", "shop", "backup")));
  CHECK(c.client.object(fakes::ref("batch/v1", "Job", "shop", "fine")));
  CHECK(c.client.object(fakes::ref("v1", "ConfigMap", "shop", "a")));
  CHECK(c.sink.has("hook-failed batch/v1 Job shop/backup"));
}

TEST_CASE("a PreDelete hook still Progressing at the deadline is exit 3", "[engine][delete-run]") {
  Cluster c;
  c.seed_namespace("shop");
  c.never.push_back("slow");
  Plan plan;
  plan.unapplied.push_back(delete_hook(job("shop", "slow"), "PreDelete"));
  auto result = run(c, plan, 10s);
  CHECK(result.exit_code == 3);
  REQUIRE(result.reasons.size() == 1);
  CHECK(result.reasons[0].rfind("PreDelete hook batch/v1 Job shop/slow", 0) == 0);
  CHECK(result.reasons[0].find("is still Progressing (--timeout)") != std::string::npos);
}

TEST_CASE("PostDelete hooks run once everything is gone; HookSucceeded ones are cleaned up, others stay",
          "[engine][delete-run]") {
  Cluster c;
  c.seed_namespace("shop");
  Plan plan = plan_of({resource(config_map("shop", "a"))});
  REQUIRE(c.sync(plan).exit_code == 0);
  plan.unapplied.push_back(delete_hook(job("shop", "notify"), "PostDelete", "HookSucceeded", 1));
  plan.unapplied.push_back(delete_hook(job("shop", "audit"), "PostDelete", "", 2));
  c.client.clear_calls();
  auto result = run(c, plan);
  CHECK(result.exit_code == 0);
  CHECK(c.client.writes() == std::vector<std::string>{"delete v1 ConfigMap shop/a foreground",
                                                       "create batch/v1 Job shop/notify", "create batch/v1 Job shop/audit",
                                                       "delete batch/v1 Job shop/notify background"});
  CHECK(!c.client.object(fakes::ref("batch/v1", "Job", "shop", "notify")));
  CHECK(c.client.object(fakes::ref("batch/v1", "Job", "shop", "audit")));
  CHECK(c.sink.has("hook-deleted batch/v1 Job shop/notify"));
}

TEST_CASE("a generateName delete hook is created under the name the server gives it", "[engine][delete-run]") {
  Cluster c;
  c.seed_namespace("shop");
  json o = job("shop", "");
  o["metadata"].erase("name");
  o["metadata"]["generateName"] = "backup-";
  Plan plan;
  plan.unapplied.push_back(delete_hook(o, "PreDelete"));
  auto result = run(c, plan);
  CHECK(result.exit_code == 0);
  const auto started = std::find_if(c.sink.events.begin(), c.sink.events.end(), [](const engine::Event& e) {
    return e.type == engine::EventType::hook_started;
  });
  REQUIRE(started != c.sink.events.end());
  CHECK(started->resource->name.rfind("backup-", 0) == 0);
  CHECK(started->resource->name.size() > std::string("backup-").size());
}
