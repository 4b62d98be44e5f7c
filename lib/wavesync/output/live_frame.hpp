// What the live terminal view shows at one instant, as plain lines: the collapsed line of a
// finished step, and the active area (the running step with a spinner, counts and elapsed
// time, then the objects still not ready with their current reason). Pure: a RunRecord and a
// time in, lines out; truncated to the terminal width; colour codes only when asked for.
#pragma once

#include "wavesync/output/run_record.hpp"

#include <string>
#include <vector>

namespace wavesync::output {

struct LiveStyle {
  bool color = false;
  bool unicode = true;  // braille spinner and ✓ ✗; ASCII otherwise
  int width = 80;
};

// At most this many not-ready objects are listed under the running step.
inline constexpr std::size_t k_max_waiting_lines = 8;

// `✓ Sync wave 0  3 objects  healthy  5.0s`, then for a step that did not end healthy one line
// per failed or not-ready object.
std::vector<std::string> render_finished_step(const StepRecord& step, const LiveStyle& style);

// The active area; empty when no step is running.
std::vector<std::string> render_active(const RunRecord& record, TimePoint now, int frame, const LiveStyle& style);

}  // namespace wavesync::output
