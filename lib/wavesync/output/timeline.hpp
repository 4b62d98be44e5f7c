// `--timeline FILE.svg|.html`: a Gantt-style picture of one run. One row per resource and
// hook, a bar from its apply to its readiness coloured by outcome, steps as labelled bands,
// hooks marked with a diamond, a time axis in seconds since the sync started, and a tooltip
// per bar. Plain SVG written by hand (no dependency); the .html form wraps the same SVG.
// Pure: a RunRecord in, text out.
#pragma once

#include "wavesync/output/run_record.hpp"

#include <string>

namespace wavesync::output {

inline constexpr int k_timeline_width = 1200;

std::string timeline_svg(const RunRecord& record);
std::string timeline_html(const RunRecord& record);

// A "nice" tick step (1, 2, 5 x 10^n seconds, or minutes) giving at most ~12 ticks over `span`.
double timeline_tick_seconds(double span_seconds);

}  // namespace wavesync::output
