// Retries of a failed sync, as Argo CD's sync retry policy (RetryStrategy.NextRetryAt in
// pkg/apis/application/v1alpha1/types.go): the n-th retry waits backoff * factor^(n-1), at most
// max. Only a failed sync is retried; a timed-out or interrupted one is not (Argo CD does not
// retry a terminated operation either). Pure.
#pragma once

#include "wavesync/engine/events.hpp"

#include <chrono>
#include <cstdint>

namespace wavesync::engine {

struct RetryPolicy {
  int limit = 0;                                      // --retry: retries after the first attempt
  std::chrono::milliseconds backoff{5000};            // --retry-backoff (Argo CD's default 5s)
  std::int64_t factor = 2;                            // --retry-factor
  std::chrono::milliseconds max{std::chrono::minutes(3)};  // --retry-max; 0: no cap
};

// The wait before retry number `retry` (1 for the first retry).
std::chrono::milliseconds retry_delay(const RetryPolicy& policy, int retry);

// Whether a sync that ended with `outcome` after `attempts` attempts (1 after the first) runs again.
bool should_retry(const RetryPolicy& policy, SyncOutcome outcome, int attempts);

}  // namespace wavesync::engine
