// The pure decisions behind --pod-failure-grace and --retry.
#include "wavesync/engine/pod_failure_grace.hpp"
#include "wavesync/engine/retry_policy.hpp"
#include "wavesync/engine/sync.hpp"

#include <catch2/catch.hpp>

using namespace wavesync;
using namespace wavesync::engine;
using namespace std::chrono_literals;

namespace {
health::PodBlock block(const std::string& reason) {
  health::PodBlock b;
  b.pod = "web-1";
  b.reason = reason;
  b.fail_fast = health::is_fail_fast_reason(reason);
  return b;
}
const TimePoint t0 = TimePoint(std::chrono::hours(1000));
}  // namespace

TEST_CASE("a fail-fast reason fails the workload once it outlasts the grace", "[engine][grace]") {
  auto b = block("CreateContainerConfigError");
  BlockVerdict first = judge_block({}, b, "pod web-1: CreateContainerConfigError", t0, 10s);
  CHECK(first.report);
  CHECK_FALSE(first.fail);
  CHECK(first.state.stuck_since == t0);
  BlockVerdict later = judge_block(first.state, b, "pod web-1: CreateContainerConfigError", t0 + 9s, 10s);
  CHECK_FALSE(later.report);  // printed when it changes, never repeated
  CHECK_FALSE(later.fail);
  CHECK(judge_block(later.state, b, "pod web-1: CreateContainerConfigError", t0 + 10s, 10s).fail);
}

TEST_CASE("without a grace the engine never fails on a block, it only reports it", "[engine][grace]") {
  BlockVerdict v = judge_block({}, block("CrashLoopBackOff"), "x", t0, std::nullopt);
  v = judge_block(v.state, block("CrashLoopBackOff"), "x", t0 + 24h, std::nullopt);
  CHECK_FALSE(v.fail);
}

TEST_CASE("the grace clock restarts when a look finds no fail-fast reason", "[engine][grace]") {
  BlockVerdict v = judge_block({}, block("ImagePullBackOff"), "a", t0, 10s);
  v = judge_block(v.state, block("ErrImagePull"), "b", t0 + 5s, 10s);  // alternating reasons keep the clock
  CHECK(v.report);
  CHECK(v.state.stuck_since == t0);
  v = judge_block(v.state, std::nullopt, "", t0 + 6s, 10s);
  CHECK_FALSE(v.report);
  CHECK_FALSE(v.state.stuck_since.has_value());
  v = judge_block(v.state, block("ImagePullBackOff"), "a", t0 + 12s, 10s);
  CHECK(v.report);  // the same reason coming back is shown again
  CHECK_FALSE(v.fail);
  v = judge_block(v.state, block("Unschedulable"), "c", t0 + 30s, 10s);  // not fail-fast: no clock
  CHECK_FALSE(v.fail);
  CHECK_FALSE(v.state.stuck_since.has_value());
}

TEST_CASE("a grace of 0 fails on the first look at a fail-fast reason", "[engine][grace]") {
  CHECK(judge_block({}, block("InvalidImageName"), "x", t0, 0ms).fail);
}

TEST_CASE("retry delays follow Argo CD's NextRetryAt: backoff * factor^(n-1), capped", "[engine][retry]") {
  RetryPolicy p;  // Argo CD's defaults: 5s, factor 2, max 3m
  CHECK(retry_delay(p, 1) == 5s);
  CHECK(retry_delay(p, 2) == 10s);
  CHECK(retry_delay(p, 3) == 20s);
  CHECK(retry_delay(p, 6) == 160s);
  CHECK(retry_delay(p, 7) == 3min);
  CHECK(retry_delay(p, 100) == 3min);
  p.max = 0ms;
  CHECK(retry_delay(p, 7) == 320s);
  p.factor = 1;
  CHECK(retry_delay(p, 9) == 5s);
}

TEST_CASE("only a failed sync is retried, at most --retry times", "[engine][retry]") {
  RetryPolicy p;
  p.limit = 2;
  CHECK(should_retry(p, SyncOutcome::failed, 1));
  CHECK(should_retry(p, SyncOutcome::failed, 2));
  CHECK_FALSE(should_retry(p, SyncOutcome::failed, 3));
  CHECK_FALSE(should_retry(p, SyncOutcome::timed_out, 1));
  CHECK_FALSE(should_retry(p, SyncOutcome::interrupted, 1));
  CHECK_FALSE(should_retry(p, SyncOutcome::succeeded, 1));
  CHECK_FALSE(should_retry(RetryPolicy{}, SyncOutcome::failed, 1));
}

TEST_CASE("the run's hard bound counts SyncFail time only when the plan has SyncFail hooks", "[engine][retry]") {
  RunOptions options;
  options.timeout = 25s;
  CHECK(longest_run(options, SyncFailHooks::none) == 25s);
  CHECK(longest_run(options, SyncFailHooks::some) == 50s);  // SyncFail hooks get min(--timeout, 2m)
  options.timeout = 10min;
  CHECK(longest_run(options, SyncFailHooks::some) == 12min);
  // Each retry adds its pause and another attempt.
  options.timeout = 25s;
  options.retry.limit = 1;
  options.retry.backoff = 5s;
  CHECK(longest_run(options, SyncFailHooks::none) == 55s);
}
