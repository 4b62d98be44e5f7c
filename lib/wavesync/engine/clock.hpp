// Clock: the engine's only view of time, so timeouts and delays are testable without
// sleeping. Waiting on the cluster is done through kube::Watch::next(timeout); a fake watch
// advances a fake clock instead of blocking. sleep_for is only for the pause between --retry
// attempts, when nothing is watched. Not a scheduler, not a timer.
#pragma once

#include <chrono>
#include <thread>

namespace wavesync::engine {

using TimePoint = std::chrono::system_clock::time_point;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint now() = 0;
  // Blocks for `d` (a fake clock moves forward instead).
  virtual void sleep_for(std::chrono::milliseconds d) = 0;
};

// Wall-clock time.
class SystemClock final : public Clock {
 public:
  TimePoint now() override { return std::chrono::system_clock::now(); }
  void sleep_for(std::chrono::milliseconds d) override { std::this_thread::sleep_for(d); }
};

}  // namespace wavesync::engine
