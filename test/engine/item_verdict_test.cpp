// The engine's health and hook state machine on its own (item_verdict.hpp), and the tagging of
// failure reasons with missing references (diagnose.hpp).
#include "wavesync/engine/diagnose.hpp"
#include "wavesync/engine/item_verdict.hpp"

#include <catch2/catch.hpp>

using namespace wavesync;
using namespace wavesync::engine;
using health::Health;
using health::Status;

namespace {
ItemVerdict resource(std::optional<Health> h) { return judge_running(false, false, h); }
ItemVerdict hook(std::optional<Health> h) { return judge_running(true, false, h); }
}  // namespace

TEST_CASE("A resource is waited for until Healthy and fails only when Degraded", "[engine][verdict]") {
  CHECK(resource(Health{Status::healthy, ""}).verdict == Verdict::done);
  CHECK(resource(Health{Status::progressing, "1/2 ready"}).verdict == Verdict::waiting);
  CHECK(resource(Health{Status::suspended, ""}).verdict == Verdict::waiting);
  CHECK(resource(Health{Status::unknown, "no status"}).verdict == Verdict::waiting);
  CHECK(resource(Health{Status::missing, ""}).verdict == Verdict::waiting);
  const ItemVerdict degraded = resource(Health{Status::degraded, "CrashLoopBackOff"});
  CHECK(degraded.verdict == Verdict::failed);
  CHECK(degraded.failure == "Degraded: CrashLoopBackOff");
  CHECK(resource(Health{Status::degraded, ""}).failure == "Degraded");
  // No health rule: done once applied.
  CHECK(resource(std::nullopt).verdict == Verdict::done);
}

TEST_CASE("A hook fails when Unknown and is done when Missing, as Argo CD's getOperationPhase", "[engine][verdict]") {
  CHECK(hook(Health{Status::healthy, ""}).verdict == Verdict::done);
  CHECK(hook(Health{Status::progressing, ""}).verdict == Verdict::waiting);
  CHECK(hook(Health{Status::missing, ""}).verdict == Verdict::done);
  const ItemVerdict unknown = hook(Health{Status::unknown, "no pods"});
  CHECK(unknown.verdict == Verdict::failed);
  CHECK(unknown.failure == "Unknown: no pods");
  CHECK(hook(Health{Status::degraded, "BackoffLimitExceeded"}).failure == "Degraded: BackoffLimitExceeded");
  CHECK(hook(std::nullopt).verdict == Verdict::done);
}

TEST_CASE("An object deleted while waited for fails whatever its last health", "[engine][verdict]") {
  CHECK(judge_running(false, true, Health{Status::healthy, ""}).failure ==
        "missing: it was deleted while waiting for it to be healthy");
  CHECK(judge_running(true, true, std::nullopt).failure == "deleted before it completed");
  CHECK(judge_running(true, true, Health{Status::progressing, ""}).verdict == Verdict::failed);
}

TEST_CASE("Missing references tag only the reasons about that object, not one whose name extends it", "[engine][verdict]") {
  Diagnostic web;
  web.resource = ObjectRef{"apps/v1", "Deployment", "shop", "web"};
  web.missing = {"missing Secret shop/db"};
  std::vector<std::string> reasons = {
      "apps/v1 Deployment shop/web: Degraded: pods not ready",
      "apps/v1 Deployment shop/web2: Degraded: pods not ready",
      "timed out after 5m0s waiting for apps/v1 Deployment shop/web",
      "waiting for apps/v1 Deployment shop/webhook (wavesync.dev/wait-for)",
  };
  name_missing_references(reasons, {web});
  CHECK(reasons[0] == "apps/v1 Deployment shop/web: Degraded: pods not ready (missing Secret shop/db)");
  CHECK(reasons[1] == "apps/v1 Deployment shop/web2: Degraded: pods not ready");
  CHECK(reasons[2] == "timed out after 5m0s waiting for apps/v1 Deployment shop/web (missing Secret shop/db)");
  CHECK(reasons[3] == "waiting for apps/v1 Deployment shop/webhook (wavesync.dev/wait-for)");
}
