#include "wavesync/health/health.hpp"

#include <catch2/catch.hpp>

using namespace wavesync::health;
using nlohmann::json;

namespace {

Health verdict(const std::string& text, Options options = {}) {
  auto health = assess(json::parse(text), options);
  REQUIRE(health.has_value());
  return *health;
}

std::string pod(const std::string& restart_policy, const std::string& status,
                const std::string& annotations = "{}") {
  std::string spec = restart_policy.empty() ? "{}" : R"({"restartPolicy":")" + restart_policy + R"("})";
  return R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","annotations":)" + annotations +
         R"(},"spec":)" + spec + R"(,"status":)" + status + "}";
}

const std::string k_config_error = R"({"phase":"Pending","containerStatuses":[
  {"name":"app","state":{"waiting":{"reason":"CreateContainerConfigError","message":"secret \"app-pg-credentials\" not found"}}},
  {"name":"side","state":{"waiting":{"reason":"ImagePullBackOff","message":"Back-off pulling image \"x\""}}}]})";

}  // namespace

TEST_CASE("a long-running pod with a container error reason is degraded with the joined messages", "[health]") {
  CHECK(verdict(pod("Always", k_config_error)) ==
        Health{Status::degraded, "secret \"app-pg-credentials\" not found, Back-off pulling image \"x\""});
  // The API server defaults restartPolicy to Always.
  CHECK(verdict(pod("", k_config_error)).status == Status::degraded);
}

TEST_CASE("waiting reasons that Argo CD does not count as errors leave a pod progressing", "[health]") {
  for (const char* reason : {"ContainerCreating", "InvalidImageName", "PodInitializing"}) {
    INFO(reason);
    std::string status = R"({"phase":"Pending","message":"m","containerStatuses":[{"name":"a","state":{"waiting":{"reason":")" +
                         std::string(reason) + R"("}}}]})";
    CHECK(verdict(pod("Always", status)) == Health{Status::progressing, "m"});
  }
  for (const char* reason : {"ErrImagePull", "CrashLoopBackOff", "CreateContainerError"}) {
    INFO(reason);
    std::string status = R"({"phase":"Running","containerStatuses":[{"name":"a","state":{"waiting":{"reason":")" +
                         std::string(reason) + R"(","message":"why"}}}]})";
    CHECK(verdict(pod("Always", status)) == Health{Status::degraded, "why"});
  }
}

TEST_CASE("init container waiting reasons do not degrade a pod", "[health]") {
  CHECK(verdict(pod("Always", R"({"phase":"Pending","initContainerStatuses":[{"name":"i","state":{"waiting":{"reason":"CrashLoopBackOff"}}}]})"))
            .status == Status::progressing);
}

TEST_CASE("a run-to-completion pod with an image pull error keeps progressing", "[health]") {
  CHECK(verdict(pod("Never", k_config_error)).status == Status::progressing);
  CHECK(verdict(pod("OnFailure", k_config_error)).status == Status::progressing);
}

TEST_CASE("the ignore-restart-policy annotation makes a non-hook pod long-running", "[health]") {
  std::string ann = R"({"argocd.argoproj.io/ignore-restart-policy":"true"})";
  CHECK(verdict(pod("Never", k_config_error, ann)).status == Status::degraded);
  std::string ready = R"({"phase":"Running","conditions":[{"type":"Ready","status":"True"}]})";
  CHECK(verdict(pod("Never", ready, ann)).status == Status::healthy);
  CHECK(verdict(pod("Never", ready, R"({"argocd.argoproj.io/ignore-restart-policy":"false"})")).status ==
        Status::progressing);
}

TEST_CASE("a hook pod ignores the ignore-restart-policy annotation", "[health]") {
  std::string ann = R"({"argocd.argoproj.io/ignore-restart-policy":"true"})";
  std::string ready = R"({"phase":"Running","conditions":[{"type":"Ready","status":"True"}]})";
  CHECK(verdict(pod("Never", ready, ann), Options{ConditionsRule::annotated_only, Role::hook}).status ==
        Status::progressing);
  CHECK(verdict(pod("Never", k_config_error, ann), Options{ConditionsRule::annotated_only, Role::hook})
            .status == Status::progressing);
  // Recognised from the annotations alone too (Argo CD's and Helm's).
  CHECK(verdict(pod("Never", ready, R"({"argocd.argoproj.io/ignore-restart-policy":"true","argocd.argoproj.io/hook":"PreSync"})"))
            .status == Status::progressing);
  CHECK(verdict(pod("Never", ready, R"({"argocd.argoproj.io/ignore-restart-policy":"true","helm.sh/hook":"pre-install"})"))
            .status == Status::progressing);
  // `Skip` alone and Helm's crd-install are not hooks.
  CHECK(verdict(pod("Never", ready, R"({"argocd.argoproj.io/ignore-restart-policy":"true","argocd.argoproj.io/hook":"Skip"})"))
            .status == Status::healthy);
  CHECK(verdict(pod("Never", ready, R"({"argocd.argoproj.io/ignore-restart-policy":"true","helm.sh/hook":"crd-install"})"))
            .status == Status::healthy);
}

TEST_CASE("a hook pod with restartPolicy Always is done once ready", "[health]") {
  std::string ready = R"({"phase":"Running","conditions":[{"type":"Ready","status":"True"}]})";
  CHECK(verdict(pod("Always", ready), Options{ConditionsRule::annotated_only, Role::hook}).status ==
        Status::healthy);
}

TEST_CASE("pod phases map to health", "[health]") {
  CHECK(verdict(pod("Always", R"({"phase":"Pending","message":"waiting"})")) ==
        Health{Status::progressing, "waiting"});
  CHECK(verdict(pod("Never", R"({"phase":"Succeeded"})")) == Health{Status::healthy, ""});
  CHECK(verdict(pod("Never", R"({"phase":"Running"})")).status == Status::progressing);
  CHECK(verdict(pod("Always", R"({"phase":"Running","conditions":[{"type":"Ready","status":"False"}]})")).status ==
        Status::progressing);
  CHECK(verdict(pod("Always", R"({"phase":"Running","message":"m","containerStatuses":[{"name":"a","lastState":{"terminated":{"exitCode":1}}}]})")) ==
        Health{Status::degraded, "m"});
  CHECK(verdict(pod("Always", R"({"phase":"Weird","message":"m"})")) == Health{Status::unknown, "m"});
  CHECK(verdict(pod("Always", R"({})")).status == Status::unknown);
}

TEST_CASE("a failed pod explains itself in Argo CD's order", "[health]") {
  CHECK(verdict(pod("Never", R"({"phase":"Failed","message":"The node was low on resource: memory."})")) ==
        Health{Status::degraded, "The node was low on resource: memory."});
  CHECK(verdict(pod("Never", R"({"phase":"Failed","initContainerStatuses":[{"name":"i","state":{"terminated":{"exitCode":3,"message":"init broke"}}}],
      "containerStatuses":[{"name":"a","state":{"terminated":{"exitCode":1}}}]})")) ==
        Health{Status::degraded, "init broke"});
  CHECK(verdict(pod("Never", R"({"phase":"Failed","containerStatuses":[{"name":"a","state":{"terminated":{"exitCode":137,"reason":"OOMKilled"}}}]})")) ==
        Health{Status::degraded, "OOMKilled"});
  CHECK(verdict(pod("Never", R"({"phase":"Failed","containerStatuses":[{"name":"main","state":{"terminated":{"exitCode":2,"reason":"Error"}}}]})")) ==
        Health{Status::degraded, "container \"main\" failed with exit code 2"});
  CHECK(verdict(pod("Never", R"({"phase":"Failed","containerStatuses":[{"name":"a","state":{"terminated":{"exitCode":0}}}]})")) ==
        Health{Status::degraded, ""});
}

TEST_CASE("a pod in an unsupported version is unknown", "[health]") {
  CHECK(verdict(R"({"apiVersion":"v2","kind":"Pod"})").status == Status::unknown);
}

namespace {
std::string job(const std::string& conditions) {
  return R"({"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"migrate"},"status":{"conditions":)" +
         conditions + "}}";
}
}  // namespace

TEST_CASE("a job is judged by its terminal conditions", "[health]") {
  CHECK(verdict(R"({"apiVersion":"batch/v1","kind":"Job","status":{"active":1}})") ==
        Health{Status::progressing, ""});
  CHECK(verdict(job(R"([{"type":"Complete","status":"True","message":"done"}])")) ==
        Health{Status::healthy, "done"});
  CHECK(verdict(job(R"([{"type":"Failed","status":"True","message":"Job has reached the specified backoff limit"}])")) ==
        Health{Status::degraded, "Job has reached the specified backoff limit"});
  CHECK(verdict(job(R"([{"type":"Suspended","status":"True","message":"Job suspended"}])")) ==
        Health{Status::suspended, "Job suspended"});
  // Argo CD's quirk: a Suspended condition with status False still counts as complete.
  CHECK(verdict(job(R"([{"type":"Suspended","status":"False","message":"Job resumed"}])")) ==
        Health{Status::healthy, "Job resumed"});
  CHECK(verdict(R"({"apiVersion":"batch/v1beta1","kind":"Job"})").status == Status::unknown);
}

namespace {
std::string cron(const std::string& spec, const std::string& status) {
  return R"({"apiVersion":"batch/v1","kind":"CronJob","metadata":{"name":"c"},"spec":)" + spec +
         (status.empty() ? std::string() : R"(,"status":)" + status) + "}";
}
}  // namespace

TEST_CASE("a cronjob follows Argo CD's bundled script, a suspended one is healthy", "[health]") {
  CHECK(verdict(cron(R"({"suspend":true})", "")) == Health{Status::healthy, "CronJob is Suspended"});
  CHECK(verdict(cron("{}", "")) == Health{Status::progressing, "Waiting for CronJob"});
  CHECK(verdict(cron("{}", "{}")) == Health{Status::healthy, "CronJob has not been scheduled yet"});
  CHECK(verdict(cron("{}", R"({"lastScheduleTime":"2026-01-02T00:00:00Z"})")).message ==
        "The Cronjob never completed succesfully. It may not be healthy");
  CHECK(verdict(cron("{}", R"({"lastScheduleTime":"2026-01-02T00:00:00Z","lastSuccessfulTime":"2026-01-01T00:00:00Z","active":[{"name":"j"}]})")) ==
        Health{Status::healthy, "The job is running. Its last execution may not have been successful"});
  CHECK(verdict(cron("{}", R"({"lastScheduleTime":"2026-01-02T00:00:00Z","lastSuccessfulTime":"2026-01-01T00:00:00Z"})")) ==
        Health{Status::degraded, "CronJob has not completed its last execution successfully"});
  CHECK(verdict(cron("{}", R"({"lastScheduleTime":"2026-01-02T00:00:00Z","lastSuccessfulTime":"2026-01-02T00:00:05Z"})")) ==
        Health{Status::healthy, "CronJob has completed its last execution successfully"});
}
