// LogReporter: the apply output when stderr is not a terminal (CI logs, files). One
// timestamped line per event, no escape codes, nothing repeated: a resource's health is printed
// when it changes. With GitHub mode (GITHUB_ACTIONS=true) each step is a collapsible
// `::group::` and each failed resource gets an `::error file=,line=::` annotation. Always ends
// with the summary table and, on failure, the diagnostics block.
#pragma once

#include "wavesync/engine/events.hpp"
#include "wavesync/output/run_record.hpp"
#include "wavesync/output/terminal.hpp"

#include <map>
#include <string>

namespace wavesync::output {

enum class LogStyle { plain, github };

class LogReporter final : public engine::EventSink {
 public:
  // `keep_events`: the record keeps every event too (for --report).
  LogReporter(Terminal& out, LogStyle style, const Plan* plan = nullptr, bool keep_events = false);
  void emit(const engine::Event& event) override;
  // The run as recorded so far (the --report, --junit and --timeline files read it too).
  [[nodiscard]] const Recorder& recorder() const { return recorder_; }

 private:
  void line(const engine::Event& event, const std::string& text);
  std::string annotations() const;

  Terminal& out_;
  LogStyle style_;
  Recorder recorder_;
  std::map<std::string, std::string> last_health_;  // id -> last printed health line
  bool in_group_ = false;
};

// `::error file=manifests/web.yaml,line=3,title=...::message` lines for every resource that
// failed or was not ready when the sync ended (pure; used by LogReporter).
std::string github_annotations(const RunRecord& record);

}  // namespace wavesync::output
