#include "wavesync/output/run_report.hpp"

#include "wavesync/output/format.hpp"
#include "wavesync/output/json_events.hpp"
#include "wavesync/output/summary.hpp"
#include "wavesync/output/xml_text.hpp"
#include "wavesync/plan/plan_json.hpp"

#include <fmt/core.h>

#include <cerrno>
#include <cstring>
#include <fstream>

namespace wavesync::output {

using nlohmann::json;

namespace {

std::chrono::milliseconds between(TimePoint a, TimePoint b) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(b - a);
}

json resource_json(const ResourceRecord& r) {
  json o{{"resource", object_id_json(r.id)},
         {"hook", r.hook},
         {"outcome", std::string(outcome_name(r.outcome))},
         {"warnings", r.details().warnings},
         {"notes", r.details().notes}};
  if (!r.source.file.empty()) o["source"] = r.source.str();
  if (r.applied) o["appliedAt"] = format_rfc3339(*r.applied);
  if (r.ended) o["endedAt"] = format_rfc3339(*r.ended);
  if (r.applied && r.ended) o["durationMs"] = between(*r.applied, *r.ended).count();
  if (r.apply_result) o["applyResult"] = std::string(engine::apply_result_name(*r.apply_result));
  if (r.details().health)
    o["health"] = json{{"status", std::string(health::status_name(r.details().health->status))}, {"message", r.details().health->message}};
  if (!r.details().message.empty()) o["message"] = r.details().message;
  return o;
}

// The plan without object bodies: a report is for people and dashboards, and a body may be a
// Secret.
json plan_summary(const Plan& plan) {
  json p = plan_to_json(plan);
  for (json& step : p["steps"])
    for (json& r : step["resources"]) r.erase("object");
  return p;
}

// Element text keeps its line breaks (attributes cannot).
std::string xml_text(const std::string& text) {
  std::string out = xml_escape(text);
  for (std::size_t at = out.find("&#10;"); at != std::string::npos; at = out.find("&#10;", at + 1))
    out.replace(at, 5, "\n");
  return out;
}

double seconds(std::chrono::milliseconds d) { return static_cast<double>(d.count()) / 1000.0; }

}  // namespace

json run_report_json(const RunRecord& record, const Plan* plan) {
  json steps = json::array();
  for (const StepRecord& s : record.steps) {
    json resources = json::array();
    for (const ResourceRecord& r : s.resources) resources.push_back(resource_json(r));
    json o{{"phase", std::string(phase_name(s.phase))},
           {"wave", s.wave},
           {"result", step_result_text(s)},
           {"durationMs", s.duration.count()},
           {"resources", std::move(resources)}};
    if (s.started) o["startedAt"] = format_rfc3339(*s.started);
    steps.push_back(std::move(o));
  }
  json diagnostics = json::array();
  for (const engine::Diagnostic& d : record.diagnostics) diagnostics.push_back(diagnostic_json(d));
  json events = json::array();
  for (const engine::Event& e : record.events) events.push_back(event_to_json(e));
  json o{{"runId", record.run_id},
         {"dryRun", record.dry_run},
         {"result", record.outcome ? std::string(engine::sync_outcome_name(*record.outcome)) : "running"},
         {"exitCode", record.exit_code},
         {"durationMs", record.duration.count()},
         {"reasons", record.reasons},
         {"plan", plan != nullptr ? plan_summary(*plan) : json(nullptr)},
         {"steps", std::move(steps)},
         {"diagnostics", std::move(diagnostics)},
         {"events", std::move(events)}};
  if (record.started) o["startedAt"] = format_rfc3339(*record.started);
  return o;
}

std::string junit_xml(const RunRecord& record) {
  std::size_t tests = 0, failures = 0, skipped = 0;
  std::string suites;
  for (const StepRecord& s : record.steps) {
    std::size_t s_failures = 0, s_skipped = 0;
    std::string cases;
    for (const ResourceRecord& r : s.resources) {
      const std::string name = (r.hook ? "hook " : "") + r.id.str();
      const double time = r.applied && r.ended ? seconds(between(*r.applied, *r.ended)) : 0.0;
      cases += fmt::format("    <testcase name=\"{}\" classname=\"{}\"", xml_escape(name),
                           xml_escape(fmt::format("wavesync.{}.wave{}", phase_name(s.phase), s.wave)));
      if (!r.source.file.empty()) cases += fmt::format(" file=\"{}\"", xml_escape(r.source.file.str()));
      if (r.source.line > 0) cases += fmt::format(" line=\"{}\"", r.source.line);
      cases += fmt::format(" time=\"{:.3f}\"", time);
      if (r.outcome == Outcome::failed || r.outcome == Outcome::timed_out) {
        ++s_failures;
        std::string message = r.outcome == Outcome::failed
                                  ? (r.details().message.empty() ? std::string("failed") : r.details().message)
                                  : "not ready when the sync ended" +
                                        (r.details().health ? ": " + health_text(*r.details().health) : std::string());
        std::vector<engine::Diagnostic> mine;
        for (const engine::Diagnostic& d : record.diagnostics)
          if (d.resource == r.id) mine.push_back(d);
        std::string body = format_diagnostics(mine);
        cases += fmt::format(">\n      <failure message=\"{}\" type=\"{}\">{}</failure>\n    </testcase>\n",
                             xml_escape(message), outcome_name(r.outcome), xml_text(body));
      } else if (r.outcome == Outcome::not_run) {
        ++s_skipped;
        cases += ">\n      <skipped message=\"not run: the sync stopped before this step\"/>\n    </testcase>\n";
      } else {
        std::string out;
        if (r.details().health) out = health_text(*r.details().health);
        if (out.empty()) {
          cases += "/>\n";
        } else {
          cases += fmt::format(">\n      <system-out>{}</system-out>\n    </testcase>\n", xml_text(out));
        }
      }
    }
    tests += s.resources.size();
    failures += s_failures;
    skipped += s_skipped;
    std::string timestamp;
    if (s.started) timestamp = fmt::format(" timestamp=\"{}\"", format_rfc3339(*s.started).substr(0, 19));
    suites += fmt::format(
        "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"{}\" time=\"{:.3f}\"{}>\n{}"
        "  </testsuite>\n",
        xml_escape(step_label(s.phase, s.wave)), s.resources.size(), s_failures, s_skipped, seconds(s.duration),
        timestamp, cases);
  }
  return fmt::format(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<testsuites name=\"wavesync\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"{}\" time=\"{:.3f}\">\n"
      "{}</testsuites>\n",
      tests, failures, skipped, seconds(record.duration), suites);
}

Result<void> write_text_file(const std::string& flag, const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return make_error(flag + " " + path + ": cannot write: " + std::strerror(errno));
  out << text;
  out.close();
  if (!out) return make_error(flag + " " + path + ": cannot write: " + std::strerror(errno));
  return {};
}

}  // namespace wavesync::output
