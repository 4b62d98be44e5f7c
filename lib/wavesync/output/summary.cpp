#include "wavesync/output/summary.hpp"

#include "wavesync/output/format.hpp"

#include <fmt/core.h>

#include <algorithm>

namespace wavesync::output {

std::string step_result_text(const StepRecord& step) {
  if (step.result) return std::string(engine::step_result_name(*step.result));
  return step.started ? "running" : "not run";
}

std::string format_summary(const RunRecord& record) {
  std::size_t label_width = 4;
  for (const StepRecord& s : record.steps) label_width = std::max(label_width, step_label(s.phase, s.wave).size());
  std::string out = fmt::format("{:<{}}  {:>9}  {:>5}  {:>8}  {}\n", "STEP", label_width, "RESOURCES", "HOOKS",
                                "DURATION", "RESULT");
  for (const StepRecord& s : record.steps) {
    out += fmt::format("{:<{}}  {:>9}  {:>5}  {:>8}  {}\n", step_label(s.phase, s.wave), label_width,
                       s.resource_count(), s.hook_count(), s.done ? format_duration(s.duration) : "-",
                       step_result_text(s));
  }
  std::size_t applied = 0;
  for (const StepRecord& s : record.steps)
    for (const ResourceRecord& r : s.resources)
      if (r.applied) ++applied;
  const std::string verdict =
      record.outcome ? std::string(engine::sync_outcome_name(*record.outcome)) : std::string("running");
  if (record.deletion) {
    return out + fmt::format("{}delete {} in {} ({} object{} deleted)\n", record.dry_run ? "dry-run " : "", verdict,
                             format_duration(record.duration), record.deleted, record.deleted == 1 ? "" : "s");
  }
  out += fmt::format("{}sync {} in {} ({} object{} {})\n", record.dry_run ? "dry-run " : "", verdict,
                     format_duration(record.duration), applied, applied == 1 ? "" : "s",
                     record.dry_run ? "checked" : "applied");
  return out;
}

std::string format_diagnostics(const std::vector<engine::Diagnostic>& diagnostics) {
  if (diagnostics.empty()) return {};
  std::string out = "diagnostics:\n";
  for (const engine::Diagnostic& d : diagnostics) {
    out += "  " + d.resource.str();
    if (!d.source.file.empty()) out += " (" + d.source.file_line() + ")";
    out += "\n";
    out += "    health: " + (d.health ? health_text(*d.health) : std::string("never observed")) + "\n";
    for (const std::string& c : d.conditions) out += "    condition: " + c + "\n";
    for (const std::string& p : d.pod_reasons) out += "    " + p + "\n";
    for (const std::string& e : d.events) out += "    event: " + e + "\n";
    if (!d.log_tail.empty()) {
      out += "    log tail:\n";
      for (const std::string& l : d.log_tail) out += "      | " + l + "\n";
    }
  }
  return out;
}

std::string format_final_report(const RunRecord& record) {
  std::string out = format_summary(record);
  if (record.outcome && *record.outcome != engine::SyncOutcome::succeeded) {
    for (const std::string& reason : record.reasons) out += "  - " + reason + "\n";
    out += format_diagnostics(record.diagnostics);
  }
  return out;
}

}  // namespace wavesync::output
