#include "wavesync/engine/retry_policy.hpp"

#include <algorithm>
#include <cmath>

namespace wavesync::engine {

std::chrono::milliseconds retry_delay(const RetryPolicy& policy, int retry) {
  // Argo CD computes in float64 nanoseconds and caps at max; a year bounds it without a max.
  const double exponent = std::max(0, retry - 1);
  double wait = static_cast<double>(policy.backoff.count()) * std::pow(static_cast<double>(policy.factor), exponent);
  if (policy.max.count() > 0) wait = std::min(wait, static_cast<double>(policy.max.count()));
  wait = std::min(wait, 366.0 * 24 * 3600 * 1000);
  return std::chrono::milliseconds(static_cast<std::int64_t>(std::max(0.0, wait)));
}

bool should_retry(const RetryPolicy& policy, SyncOutcome outcome, int attempts) {
  return outcome == SyncOutcome::failed && attempts <= policy.limit;
}

}  // namespace wavesync::engine
