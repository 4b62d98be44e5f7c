#include "wavesync/engine/pod_failure_grace.hpp"

namespace wavesync::engine {

BlockVerdict judge_block(const BlockState& previous, const std::optional<health::PodBlock>& block,
                         const std::string& line, TimePoint now, std::optional<std::chrono::milliseconds> grace) {
  BlockVerdict v;
  v.state = previous;
  v.line = block ? line : std::string();
  if (block && block->fail_fast) {
    if (!v.state.stuck_since) v.state.stuck_since = now;
  } else {
    v.state.stuck_since.reset();
  }
  // A cleared block is not reported (the health line that follows says what happens next), but
  // it is forgotten, so the same reason coming back is shown again.
  v.report = !v.line.empty() && v.line != previous.shown;
  v.state.shown = v.line;
  v.fail = grace.has_value() && v.state.stuck_since.has_value() && now - *v.state.stuck_since >= *grace;
  return v;
}

}  // namespace wavesync::engine
