// Clock: the engine's only view of time, so timeouts and delays are testable without
// sleeping. Waiting itself is done through kube::Watch::next(timeout); a fake watch advances
// a fake clock instead of blocking. Not a scheduler, not a timer.
#pragma once

#include <chrono>

namespace wavesync::engine {

using TimePoint = std::chrono::system_clock::time_point;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint now() = 0;
};

// Wall-clock time.
class SystemClock final : public Clock {
 public:
  TimePoint now() override { return std::chrono::system_clock::now(); }
};

}  // namespace wavesync::engine
