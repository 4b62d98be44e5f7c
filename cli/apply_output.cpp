#include "apply_output.hpp"

#include "common.hpp"

#include "wavesync/output/json_events.hpp"
#include "wavesync/output/live_reporter.hpp"
#include "wavesync/output/log_reporter.hpp"
#include "wavesync/output/run_report.hpp"
#include "wavesync/output/summary.hpp"
#include "wavesync/output/timeline.hpp"

#include <cstdlib>
#include <cstring>

namespace wavesync::cli {

void add_output_format_flags(CLI::App* cmd, OutputFlags* flags) {
  cmd->add_option("-o,--output", flags->output, "Event output: text (stderr) or json (NDJSON on stdout)")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  cmd->add_option("--color", flags->color, "Colour on the terminal: auto (honours NO_COLOR), always or never")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->capture_default_str();
}

void add_output_flags(CLI::App* cmd, OutputFlags* flags) {
  add_output_format_flags(cmd, flags);
  cmd->add_option("--report", flags->report, "Write the whole run (plan, events, timings, result) as JSON");
  cmd->add_option("--junit", flags->junit, "Write a JUnit XML report: one test case per resource and hook");
  cmd->add_option("--timeline", flags->timeline, "Write a Gantt chart of the run (.svg, or .html)");
}

namespace {
bool env_is(const char* name, const char* value) {
  const char* v = std::getenv(name);
  return v != nullptr && std::strcmp(v, value) == 0;
}
bool utf8_locale() {
  for (const char* name : {"LC_ALL", "LC_CTYPE", "LANG"}) {
    const char* v = std::getenv(name);
    if (v != nullptr && *v != '\0') return std::strstr(v, "UTF-8") != nullptr || std::strstr(v, "utf8") != nullptr;
  }
  return false;
}
}  // namespace

ApplyOutput::ApplyOutput(const OutputFlags& flags, const Plan* plan, engine::Clock& clock)
    : flags_(flags), plan_(plan), clock_(clock) {
  // One record of the run, kept by the reporter that prints the summary; the files read it
  // too (a second Recorder would hold every object's record twice: 100,000 objects, 40 MB).
  const bool keep_events = !flags.report.empty();
  if (flags.output == "json") {
    sinks_.push_back(std::make_unique<output::JsonEventReporter>(out_));
    auto summary = std::make_unique<output::SummaryReporter>(err_, plan, keep_events);
    recorder_ = &summary->recorder();
    sinks_.push_back(std::move(summary));
  } else if (env_is("GITHUB_ACTIONS", "true")) {
    auto log = std::make_unique<output::LogReporter>(err_, output::LogStyle::github, plan, keep_events);
    recorder_ = &log->recorder();
    sinks_.push_back(std::move(log));
  } else if (err_.is_tty() && !env_is("TERM", "dumb")) {
    const output::ColorMode mode = flags.color == "always"  ? output::ColorMode::always
                                   : flags.color == "never" ? output::ColorMode::never
                                                            : output::ColorMode::auto_detect;
    output::LiveStyle style;
    style.color = output::use_color(mode, true, std::getenv("NO_COLOR"), std::getenv("TERM"));
    style.unicode = utf8_locale();
    auto live = std::make_unique<output::LiveReporter>(err_, clock, style, plan, output::k_redraw_interval, keep_events);
    recorder_ = &live->recorder();
    sinks_.push_back(std::move(live));
  } else {
    auto log = std::make_unique<output::LogReporter>(err_, output::LogStyle::plain, plan, keep_events);
    recorder_ = &log->recorder();
    sinks_.push_back(std::move(log));
  }
  for (auto& sink : sinks_) fan_out_.add(sink.get());
}

ApplyOutput::~ApplyOutput() = default;

void ApplyOutput::warn(const std::string& message) {
  engine::Event event;
  event.type = engine::EventType::warning;
  event.time = clock_.now();
  event.message = message;
  locked_.emit(event);
}

bool ApplyOutput::write_files() {
  std::lock_guard lock(mutex_);
  if (written_) return *written_;
  bool ok = true;
  auto write = [&](const std::string& flag, const std::string& path, const std::string& text) {
    if (path.empty()) return;
    if (auto written = output::write_text_file(flag, path, text); !written) {
      print_error(written.error());
      ok = false;
    }
  };
  const output::RunRecord& record = recorder_->record();
  if (!flags_.report.empty())
    write("--report", flags_.report, output::run_report_json(record, plan_).dump(2, ' ', false,
                                                                                 nlohmann::json::error_handler_t::replace) + "\n");
  if (!flags_.junit.empty()) write("--junit", flags_.junit, output::junit_xml(record));
  if (!flags_.timeline.empty()) {
    const bool html = flags_.timeline.size() >= 5 && flags_.timeline.substr(flags_.timeline.size() - 5) == ".html";
    write("--timeline", flags_.timeline, html ? output::timeline_html(record) : output::timeline_svg(record));
  }
  written_ = ok;
  return ok;
}

}  // namespace wavesync::cli
