// How `wavesync apply` and `wavesync delete` show a run: picks the reporter (live terminal view
// on a TTY, plain or GitHub Actions log otherwise, NDJSON with -o json plus the summary on
// stderr), and writes apply's --report, --junit and --timeline files when the run ends. Owns
// every sink it makes.
#pragma once

#include "wavesync/engine/clock.hpp"
#include "wavesync/engine/events.hpp"
#include "wavesync/output/run_record.hpp"
#include "wavesync/output/terminal.hpp"
#include "wavesync/plan/plan.hpp"

#include <CLI/CLI.hpp>

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace wavesync::cli {

struct OutputFlags {
  std::string output = "text";  // text | json
  std::string color = "auto";   // auto | always | never
  std::string report;           // --report FILE.json
  std::string junit;            // --junit FILE.xml
  std::string timeline;         // --timeline FILE.svg|.html
};

// Adds -o/--output, --color, --report, --junit, --timeline.
void add_output_flags(CLI::App* cmd, OutputFlags* flags);
// Adds -o/--output and --color only.
void add_output_format_flags(CLI::App* cmd, OutputFlags* flags);

class ApplyOutput {
 public:
  // `plan` (may be null: steps are listed as they start) must outlive this.
  ApplyOutput(const OutputFlags& flags, const Plan* plan, engine::Clock& clock);
  ~ApplyOutput();
  // Thread-safe: events and write_files() take turns, so the files can be written from the
  // signal watcher or the run deadline while the engine is still running.
  engine::EventSink& sink() { return locked_; }
  // A `warning` event (one message; may have several lines): each reporter shows it, the JSON
  // stream as an event, the terminal as `wavesync: warning: ` lines.
  void warn(const std::string& message);
  // Writes the requested files once (later calls return the first result); prints an error
  // per file that could not be written. False when one failed.
  bool write_files();

 private:
  OutputFlags flags_;
  const Plan* plan_;
  engine::Clock& clock_;
  output::FileTerminal err_{stderr};
  output::FileTerminal out_{stdout};
  const output::Recorder* recorder_ = nullptr;  // owned by the reporter in sinks_
  std::vector<std::unique_ptr<engine::EventSink>> sinks_;
  engine::FanOutSink fan_out_;
  std::mutex mutex_;
  std::optional<bool> written_;
  struct Locked final : engine::EventSink {
    ApplyOutput* owner;
    explicit Locked(ApplyOutput* o) : owner(o) {}
    void emit(const engine::Event& event) override {
      std::lock_guard lock(owner->mutex_);
      owner->fan_out_.emit(event);
    }
  } locked_{this};
};

}  // namespace wavesync::cli
