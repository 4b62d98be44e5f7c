#include "wavesync/output/log_reporter.hpp"

#include "wavesync/output/format.hpp"
#include "wavesync/output/summary.hpp"

#include <fmt/core.h>

namespace wavesync::output {

using engine::EventType;

LogReporter::LogReporter(Terminal& out, LogStyle style, const Plan* plan, bool keep_events)
    : out_(out), style_(style), recorder_(plan != nullptr ? Recorder(*plan, keep_events) : Recorder(keep_events)) {}

void LogReporter::line(const engine::Event& event, const std::string& text) {
  out_.write(format_clock(event.time) + " " + text + "\n");
}

namespace {
std::string subject(const engine::Event& e) {
  return (e.hook ? "hook " : "") + (e.resource ? e.resource->str() : std::string("?"));
}
std::string with_message(std::string head, const std::string& message) {
  return message.empty() ? head : head + ": " + message;
}
std::string count_text(std::size_t n, const char* noun) {
  return fmt::format("{} {}{}", n, noun, n == 1 ? "" : "s");
}
}  // namespace

void LogReporter::emit(const engine::Event& e) {
  recorder_.emit(e);
  const std::string dry = e.dry_run ? " (dry run)" : "";
  switch (e.type) {
    case EventType::sync_started:
      line(e, fmt::format("{} started{}: {}{}", e.deletion ? "delete" : "sync", dry, count_text(e.count, "step"),
                          e.attempt > 1 ? fmt::format(" (attempt {})", e.attempt) : std::string()));
      return;
    case EventType::step_started: {
      const std::string label = step_label(e.phase.value_or(Phase::sync), e.wave);
      if (style_ == LogStyle::github) {
        out_.write(fmt::format("::group::{} ({})\n", github_escape_data(label), count_text(e.count, "object")));
        in_group_ = true;
      }
      line(e, fmt::format("{}: {} {}", label, e.deletion ? "deleting" : "applying", count_text(e.count, "object")));
      return;
    }
    case EventType::resource_applied: {
      std::string text = "  " + subject(e) + ": " +
                         std::string(e.apply_result ? engine::apply_result_name(*e.apply_result) : "applied") + dry;
      line(e, text);
      for (const std::string& w : e.warnings) line(e, "  " + subject(e) + ": warning: " + w);
      return;
    }
    case EventType::apply_failed:
      line(e, with_message("  " + subject(e) + (e.deletion ? ": delete failed" : ": apply failed"), e.message));
      return;
    case EventType::health_changed: {
      // A hook's Healthy is said by the hook-completed line that follows.
      if (e.hook && e.message.empty() && e.health && e.health->status == health::Status::healthy) return;
      std::string& last = last_health_[subject(e)];
      std::string text = e.health ? health_text(*e.health) : std::string("Unknown");
      if (!e.message.empty()) {
        // The engine reports a failure after the health change that caused it; say it once.
        if (last == e.message) return;
        text = "failed: " + e.message;
      }
      if (last == text) return;
      last = text;
      line(e, "  " + subject(e) + ": " + text);
      return;
    }
    case EventType::deleting:
      // A delete run's messages say it all (`deleting (foreground)`, `gone`, `kept: ...`).
      line(e, e.deletion ? "  " + subject(e) + ": " + e.message : with_message("  " + subject(e) + ": deleting", e.message));
      return;
    case EventType::hook_started: line(e, "  " + subject(e) + ": started" + dry); return;
    case EventType::hook_completed:
      line(e, with_message("  " + subject(e) + ": completed", e.health ? e.health->message : ""));
      return;
    case EventType::hook_failed:
      line(e, with_message("  " + subject(e) + ": failed",
                           !e.message.empty() ? e.message : (e.health ? e.health->message : "")));
      return;
    case EventType::hook_deleted: line(e, with_message("  " + subject(e) + ": deleted", e.message)); return;
    case EventType::step_done:
      line(e, fmt::format("{}: {} in {}", step_label(e.phase.value_or(Phase::sync), e.wave),
                          e.step_result ? engine::step_result_name(*e.step_result) : "done",
                          format_duration(e.duration)));
      if (in_group_) {
        out_.write("::endgroup::\n");
        in_group_ = false;
      }
      return;
    case EventType::diagnostics: return;  // printed once, in the final block
    case EventType::blocked: line(e, "  " + subject(e) + ": blocked: " + e.message); return;
    case EventType::retrying: {
      if (in_group_) {
        out_.write("::endgroup::\n");
        in_group_ = false;
      }
      std::string why;
      for (const std::string& r : e.reasons) why += "\n  " + r;
      line(e, fmt::format("attempt {} failed after {}; retrying in {} (attempt {}){}", e.attempt - 1,
                          format_duration(e.duration), format_duration(e.delay), e.attempt, why));
      return;
    }
    case EventType::warning: out_.write(warning_lines(e.message)); return;
    case EventType::sync_done: {
      if (in_group_) {
        out_.write("::endgroup::\n");
        in_group_ = false;
      }
      std::string text = "\n" + format_final_report(recorder_.record());
      if (style_ == LogStyle::github) text += github_annotations(recorder_.record());
      out_.write(text);
      return;
    }
  }
}

std::string github_annotations(const RunRecord& record) {
  std::string out;
  for (const StepRecord& s : record.steps) {
    for (const ResourceRecord& r : s.resources) {
      if (r.outcome != Outcome::failed && r.outcome != Outcome::timed_out) continue;
      std::string message = r.outcome == Outcome::failed
                                ? (r.details().message.empty() ? std::string("failed") : r.details().message)
                                : "not ready when the sync ended" +
                                      (r.details().health ? ": " + health_text(*r.details().health) : std::string());
      for (const engine::Diagnostic& d : record.diagnostics) {
        if (d.resource != r.id) continue;
        for (const std::string& p : d.pod_reasons) message += "\n" + p;
        for (const std::string& ev : d.events) message += "\nevent: " + ev;
      }
      std::string props;
      if (!r.source.file.empty()) {
        props = "file=" + github_escape_property(r.source.file.str());
        if (r.source.line > 0) props += ",line=" + std::to_string(r.source.line);
        if (r.source.column > 0) props += ",col=" + std::to_string(r.source.column);
        props += ",";
      }
      props += "title=" + github_escape_property((r.hook ? "hook " : "") + r.id.str() + " " +
                                                 std::string(outcome_name(r.outcome)));
      out += "::error " + props + "::" + github_escape_data(message) + "\n";
    }
  }
  return out;
}

}  // namespace wavesync::output
