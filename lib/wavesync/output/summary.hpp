// The end-of-run text every apply prints, whatever the output mode: a table with one row per
// step (resources, hooks, duration, result), the verdict line, and on failure the reasons and
// the engine's diagnostics block. Pure: a RunRecord in, text out.
#pragma once

#include "wavesync/output/run_record.hpp"

#include <string>

namespace wavesync::output {

// Result column of a step: `healthy`, `applied`, `failed`, `timed-out`, `interrupted`,
// `not run`, `running`.
std::string step_result_text(const StepRecord& step);

// The table and the verdict line, each line ending in `\n`.
std::string format_summary(const RunRecord& record);

// `diagnostics:` and one indented block per resource; empty when there are none.
std::string format_diagnostics(const std::vector<engine::Diagnostic>& diagnostics);

// Summary, then (on failure) reasons and diagnostics.
std::string format_final_report(const RunRecord& record);

}  // namespace wavesync::output

#include "wavesync/output/format.hpp"
#include "wavesync/output/terminal.hpp"

namespace wavesync::output {

// Prints only the final report (summary and diagnostics) when the sync ends, and the warnings;
// used next to the JSON event stream, which goes to stdout while this goes to stderr.
class SummaryReporter final : public engine::EventSink {
 public:
  // `keep_events`: the record keeps every event too (for --report).
  SummaryReporter(Terminal& out, const Plan* plan = nullptr, bool keep_events = false)
      : out_(out), recorder_(plan != nullptr ? Recorder(*plan, keep_events) : Recorder(keep_events)) {}
  void emit(const engine::Event& event) override {
    recorder_.emit(event);
    if (event.type == engine::EventType::sync_done) out_.write(format_final_report(recorder_.record()));
    if (event.type == engine::EventType::warning) out_.write(warning_lines(event.message));
  }
  // The run as recorded so far (the --report, --junit and --timeline files read it too).
  [[nodiscard]] const Recorder& recorder() const { return recorder_; }

 private:
  Terminal& out_;
  Recorder recorder_;
};

}  // namespace wavesync::output
