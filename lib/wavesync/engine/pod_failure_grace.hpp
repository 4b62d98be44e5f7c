// The --pod-failure-grace decision for one waited workload: how long its pods have been held in
// a fail-fast waiting reason, whether that is longer than the grace, and whether the reason
// shown to the user changed. Pure: the engine feeds it each look at the pods and acts on the
// answer. Without a grace the verdict stays Argo CD's (wait for the progress deadline).
#pragma once

#include "wavesync/engine/clock.hpp"
#include "wavesync/health/pod_block.hpp"

#include <chrono>
#include <optional>
#include <string>

namespace wavesync::engine {

struct BlockState {
  // Since when some pod of the workload has been in a fail-fast reason, without a look in
  // between that found none (the pod may be replaced, the reason may alternate between
  // ErrImagePull and ImagePullBackOff: the clock keeps running).
  std::optional<TimePoint> stuck_since;
  std::string shown;  // the line last reported; empty: none
};

struct BlockVerdict {
  BlockState state;
  bool report = false;  // `line` differs from what was shown: report it
  std::string line;     // the current block's line ("" when the pods are no longer blocked)
  bool fail = false;    // stuck longer than the grace
};

// `block` is what the pods show now (with `line` already carrying a crash loop's last log line);
// `grace` nullopt: never fail. A grace of 0 fails on the first look at a fail-fast reason.
BlockVerdict judge_block(const BlockState& previous, const std::optional<health::PodBlock>& block,
                         const std::string& line, TimePoint now, std::optional<std::chrono::milliseconds> grace);

}  // namespace wavesync::engine
